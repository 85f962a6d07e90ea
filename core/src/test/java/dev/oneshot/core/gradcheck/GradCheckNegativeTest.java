package dev.oneshot.core.gradcheck;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.away;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checker that cannot fail proves nothing. Each test here builds an op with a deliberately
 * wrong backward and asserts that {@link GradCheck} rejects it, while the same op with the
 * correct backward passes.
 */
class GradCheckNegativeTest {

    /** How the backward of the sabotaged matmul goes wrong. */
    enum Bug { NONE, SCALE_ONE_ELEMENT, TRANSPOSED, ASSIGN_INSTEAD_OF_ACCUMULATE, NON_DETERMINISTIC, IGNORES_UPSTREAM }

    /** C = A·B for square A, B with the backward broken as {@code bug} says. */
    static Tensor matmulWith(Bug bug, Tensor a, Tensor b, int scaledElement) {
        int n = a.size(0);
        float[] c = new float[n * n];
        Gemm.multiply(false, false, n, n, n, a.data(), 0, b.data(), 0, c, 0, false);
        SeededRandom noise = new SeededRandom(System.nanoTime());
        return Node.record("sabotaged-matmul", c, new int[] {n, n}, g -> {
            float[] ga = new float[n * n];
            float[] gb = new float[n * n];
            Gemm.multiply(false, true, n, n, n, g, 0, b.data(), 0, ga, 0, false); // ∂A = G·Bᵀ
            Gemm.multiply(true, false, n, n, n, a.data(), 0, g, 0, gb, 0, false); // ∂B = Aᵀ·G
            switch (bug) {
                case SCALE_ONE_ELEMENT -> ga[scaledElement] *= 1.01f;
                case TRANSPOSED -> transposeInPlace(ga, n);
                case NON_DETERMINISTIC -> ga[0] += (float) (1e-3 * noise.nextGaussian());
                case IGNORES_UPSTREAM -> ga[0] += 0.5f;
                default -> { }
            }
            if (a.requiresGrad()) {
                float[] dst = a.gradData();
                for (int i = 0; i < dst.length; i++) {
                    if (bug == Bug.ASSIGN_INSTEAD_OF_ACCUMULATE) {
                        dst[i] = ga[i];
                    } else {
                        dst[i] += ga[i];
                    }
                }
            }
            if (b.requiresGrad()) {
                float[] dst = b.gradData();
                for (int i = 0; i < dst.length; i++) {
                    if (bug == Bug.ASSIGN_INSTEAD_OF_ACCUMULATE) {
                        dst[i] = gb[i];
                    } else {
                        dst[i] += gb[i];
                    }
                }
            }
        }, a, b);
    }

    private static void transposeInPlace(float[] m, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float t = m[i * n + j];
                m[i * n + j] = m[j * n + i];
                m[j * n + i] = t;
            }
        }
    }

    private static GradCheckReport checkSabotaged(Bug bug, int scaledElement) {
        return GradCheck.check("matmul with " + bug, x -> matmulWith(bug, x[0], x[1], scaledElement),
                away(7, 4, 4), away(8, 4, 4));
    }

    @Test
    void correctBackwardPasses() {
        checkSabotaged(Bug.NONE, 0).assertPassed();
    }

    /** A 1% error in any single gradient element is caught, whichever element it is. */
    @ParameterizedTest
    @ValueSource(ints = {0, 5, 10, 15})
    void onePercentErrorInOneElementFails(int element) {
        GradCheckReport report = checkSabotaged(Bug.SCALE_ONE_ELEMENT, element);
        assertFalse(report.passed(), report.summary());
        assertTrue(report.failures().stream().allMatch(f -> f.contains("input 0 element " + element)),
                () -> "only the scaled element should be flagged: " + report.failures());
    }

    @Test
    void transposedGradientFails() {
        GradCheckReport report = checkSabotaged(Bug.TRANSPOSED, 0);
        assertFalse(report.passed(), report.summary());
    }

    /** Assigning instead of accumulating loses one of the two uses of a tensor fed in twice. */
    @Test
    void missingAccumulationFails() {
        Tensor a = away(9, 4, 4);
        GradCheck.check("A·A (correct)", x -> matmulWith(Bug.NONE, x[0], x[0], 0), a).assertPassed();
        GradCheckReport report = GradCheck.check("A·A with assignment",
                x -> matmulWith(Bug.ASSIGN_INSTEAD_OF_ACCUMULATE, x[0], x[0], 0), a);
        assertFalse(report.passed(), report.summary());
    }

    @Test
    void nonDeterministicBackwardFails() {
        GradCheckReport report = checkSabotaged(Bug.NON_DETERMINISTIC, 0);
        assertFalse(report.passed());
        assertTrue(report.failures().stream().anyMatch(f -> f.contains("two backward passes")), report.failures()::toString);
    }

    @Test
    void backwardThatIgnoresUpstreamFails() {
        GradCheckReport report = checkSabotaged(Bug.IGNORES_UPSTREAM, 0);
        assertFalse(report.passed());
        assertTrue(report.failures().stream().anyMatch(f -> f.contains("zero upstream")), report.failures()::toString);
    }

    @Test
    void gradientOfWrongShapeFails() {
        Tensor x = away(10, 2, 3);
        GradCheckReport report = GradCheck.check("no-backward", in -> Node.record("forgets-input",
                in[0].data().clone(), in[0].shape(), g -> { }, in[0]), x);
        assertFalse(report.passed());
        assertTrue(report.failures().get(0).contains("left none"), report.failures()::toString);
    }

    @Test
    void assertPassedThrowsWithTheFailures() {
        GradCheckReport report = checkSabotaged(Bug.TRANSPOSED, 0);
        AssertionError e = assertThrows(AssertionError.class, report::assertPassed);
        assertTrue(e.getMessage().contains("Jacobian mismatch"), e.getMessage());
    }
}
