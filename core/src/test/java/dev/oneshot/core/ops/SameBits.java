package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.function.BiFunction;

/** The exact comparisons the fused-op tests share: the parts of a run (outputs, statistics, gradients), bit for bit. */
final class SameBits {
    private SameBits() {
    }

    /** Each part of {@code got} equals that of {@code want} ({@code assertArrayEquals}: NaN equals NaN). */
    static void assertParts(float[][] want, float[][] got, String[] names, String what) {
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], got[i], what + " " + (names == null ? "part " + i : names[i]));
        }
    }

    /** One run of a test case: the fused op or the ops in sequence, gradients fresh or accumulated, which arithmetic. */
    @FunctionalInterface
    interface Run<C> {
        float[][] parts(C k, boolean fused, boolean accumulate, boolean vector);
    }

    /** For every case, both arithmetics, gradients fresh and accumulated: the fused op's parts are the unfused ops'. */
    static <C> void fusedAsUnfused(List<C> cases, String[] names, Run<C> run) {
        for (C k : cases) {
            for (boolean vector : new boolean[] {false, true}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    assertParts(run.parts(k, false, accumulate, vector), run.parts(k, true, accumulate, vector), names,
                            k + " vector=" + vector + " accumulate=" + accumulate);
                }
            }
        }
    }

    /** For every case, run(case, threads) gives the same parts on 2 and 3 threads as on one. */
    static <C> void forThreadCounts(List<C> cases, BiFunction<C, Integer, float[][]> run) {
        for (C k : cases) {
            float[][] one = run.apply(k, 1);
            for (int threads = 2; threads <= 3; threads++) {
                assertParts(one, run.apply(k, threads), null, k + " threads=" + threads);
            }
        }
    }
}
