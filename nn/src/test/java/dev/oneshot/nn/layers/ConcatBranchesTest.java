package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.persist.Architecture;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Branches side by side: the joined forward, each branch's own gradient, the spec, the errors. */
class ConcatBranchesTest {
    private static Tensor input() {
        float[] v = new float[3 * 4];
        new SeededRandom(5).fillUniform(v, -1f, 1f);
        return Tensor.fromArray(v, 3, 4);
    }

    private static Module[] branches() {
        SeededRandom rng = new SeededRandom(9);
        return new Module[] {new Sequential(new Linear(4, 2, rng), new Tanh()), new Linear(4, 3, rng),
            new Sequential(new Linear(4, 1, rng), new L2Normalize())};
    }

    @Test
    void outputIsTheBranchesOutputsSideBySide() {
        Module[] b = branches();
        ConcatBranches c = new ConcatBranches(b);
        Tensor x = input();
        Tensor y = c.forward(x);
        assertArrayEquals(new int[] {3, 6}, y.shape());
        float[][] parts = {b[0].forward(x).data(), b[1].forward(x).data(), b[2].forward(x).data()};
        int[] widths = {2, 3, 1};
        for (int row = 0; row < 3; row++) {
            int at = 0;
            for (int p = 0; p < 3; p++) {
                for (int j = 0; j < widths[p]; j++) {
                    assertEquals(parts[p][row * widths[p] + j], y.data()[row * 6 + at + j], "row " + row + " branch " + p);
                }
                at += widths[p];
            }
        }
        // the last branch gives ±1 (a one-wide unit vector): the columns really come from it
        assertEquals(1f, Math.abs(y.data()[5]));
    }

    @Test
    void eachBranchGetsItsOwnBlockOfTheGradient() {
        Tensor x = input();
        float[] g = new float[3 * 6];
        new SeededRandom(3).fillUniform(g, -1f, 1f);
        Module[] joined = branches();
        new ConcatBranches(joined).forward(x).backward(Tensor.fromArray(g, 3, 6));
        // the same branches alone, each seeded with its columns of g
        Module[] alone = branches();
        int[] widths = {2, 3, 1};
        int at = 0;
        for (int p = 0; p < 3; p++) {
            float[] gp = new float[3 * widths[p]];
            for (int row = 0; row < 3; row++) {
                System.arraycopy(g, row * 6 + at, gp, row * widths[p], widths[p]);
            }
            alone[p].forward(x).backward(Tensor.fromArray(gp, 3, widths[p]));
            at += widths[p];
            for (var e : alone[p].namedParameters().entrySet()) {
                Tensor mine = joined[p].namedParameters().get(e.getKey());
                assertArrayEquals(e.getValue().grad().data(), mine.grad().data(), "branch " + p + " " + e.getKey());
            }
        }
        // negative control: branch 0 seeded with columns one to the right (a block off by one) differs
        Module shifted = branches()[0];
        float[] off = new float[3 * 2];
        for (int row = 0; row < 3; row++) {
            System.arraycopy(g, row * 6 + 1, off, row * 2, 2);
        }
        shifted.forward(x).backward(Tensor.fromArray(off, 3, 2));
        assertFalse(Arrays.equals(shifted.namedParameters().get("0.weight").grad().data(),
                joined[0].namedParameters().get("0.weight").grad().data()), "the check tells blocks apart");
    }

    @Test
    void specBuildsTheSameBranches() {
        ConcatBranches c = new ConcatBranches(branches());
        String spec = c.spec();
        assertTrue(spec.startsWith("ConcatBranches[Sequential[Linear(4,2"), spec);
        Module rebuilt = Architecture.build(spec, new SeededRandom(1));
        assertEquals(spec, rebuilt.spec());
        rebuilt.loadStateDict(c.stateDict());
        assertArrayEquals(c.forward(input()).data(), rebuilt.forward(input()).data());
        assertEquals(c.stateDict().keySet(), rebuilt.stateDict().keySet());
        assertTrue(c.stateDict().containsKey("1.weight") && c.stateDict().containsKey("0.0.weight"),
                "children named by position, as a PyTorch ModuleList's");
    }

    @Test
    void badBranchesAreNamed() {
        assertEquals("ConcatBranches: needs at least one branch",
                assertThrows(IllegalArgumentException.class, ConcatBranches::new).getMessage());
        ConcatBranches flat = new ConcatBranches(new Linear(4, 2, new SeededRandom(1)), new Flatten());
        var e = assertThrows(IllegalArgumentException.class,
                () -> flat.forward(Tensor.zeros(2, 1, 4)));
        assertTrue(e.getMessage().startsWith("ConcatBranches: branch 0 gave shape [2, 1, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Architecture.build("ConcatBranches[]", new SeededRandom(1)));
    }
}
