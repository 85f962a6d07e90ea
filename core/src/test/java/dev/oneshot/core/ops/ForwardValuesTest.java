package dev.oneshot.core.ops;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed forward values of the ops, their edge cases and their error messages. */
class ForwardValuesTest {
    private static final float TOL = 1e-6f;

    private static Tensor t(float[] v, int... shape) {
        return Tensor.fromArray(v, shape);
    }

    @Test
    void broadcastingBinaryOps() {
        Tensor a = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = t(new float[] {10, 20, 30}, 3);
        Tensor col = t(new float[] {100, 200}, 2, 1);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(row).data(), TOL);
        assertArrayEquals(new float[] {99, 98, 97, 196, 195, 194}, col.sub(a).data(), TOL);
        assertArrayEquals(new float[] {10, 40, 90, 40, 100, 180}, a.mul(row).data(), TOL);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, a.div(2f).data(), TOL);
        assertArrayEquals(new float[] {3, 3, 3, 4, 5, 6}, a.maximum(3f).data(), TOL);
        assertArrayEquals(new float[] {1, 2, 3, 3, 3, 3}, a.minimum(3f).data(), TOL);
        assertArrayEquals(new int[] {2, 2, 3}, a.add(t(new float[] {0, 0}, 2, 1, 1)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.mul(Tensor.zeros(2)));
        assertEquals("mul: shapes [2, 3] and [2] cannot broadcast (axis -1: 3 vs 2)", e.getMessage());
    }

    @Test
    void unaryOpsIncludingStableExtremes() {
        Tensor x = t(new float[] {-1000f, -1f, 0f, 1f, 1000f}, 5);
        float[] softplus = x.softplus().data();
        assertEquals(0f, softplus[0], TOL);
        assertEquals((float) Math.log1p(Math.exp(-1)), softplus[1], TOL);
        assertEquals((float) Math.log(2), softplus[2], TOL);
        assertEquals(1000f, softplus[4], TOL);
        float[] sigmoid = x.sigmoid().data();
        assertEquals(0f, sigmoid[0], TOL);
        assertEquals(0.5f, sigmoid[2], TOL);
        assertEquals(1f, sigmoid[4], TOL);
        assertArrayEquals(new float[] {0, 0, 0, 1, 1000}, x.relu().data(), TOL);
        assertTrue(Float.isNaN(Tensor.scalar(Float.NaN).relu().item()), "relu propagates NaN");
        assertArrayEquals(new float[] {1000, 1, 0, 1, 1000}, x.abs().data(), TOL);
        assertArrayEquals(new float[] {-1, (float) Math.tanh(-1), 0, (float) Math.tanh(1), 1}, x.tanh().data(), TOL);
        assertArrayEquals(new float[] {-1, -1, 0, 1, 1}, x.clamp(-1f, 1f).data(), TOL);
        assertArrayEquals(new float[] {2, 3}, t(new float[] {4, 9}, 2).sqrt().data(), TOL);
        assertArrayEquals(new float[] {8, 27}, t(new float[] {2, 3}, 2).pow(3f).data(), TOL);
        assertArrayEquals(new float[] {0, 1}, t(new float[] {1, (float) Math.E}, 2).log().data(), TOL);
        assertThrows(IllegalArgumentException.class, () -> x.clamp(1f, -1f));
    }

    @Test
    void softplusAndSigmoidGradientsAreFiniteAtExtremes() {
        Tensor x = t(new float[] {-1000f, 1000f}, 2).requiresGrad(true);
        x.softplus().add(x.sigmoid()).sum().backward();
        assertArrayEquals(new float[] {0f, 1f}, x.grad().data(), TOL);
    }

    @Test
    void sumsAndMeans() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        assertEquals(15f, a.sum().item());
        assertEquals(2.5f, a.mean().item());
        assertArrayEquals(new float[] {3, 5, 7}, a.sum(0, false).data(), TOL);
        assertArrayEquals(new int[] {1, 3}, a.sum(0, true).shape());
        assertArrayEquals(new float[] {3, 12}, a.sum(-1, false).data(), TOL);
        assertArrayEquals(new float[] {1, 4}, a.mean(1, false).data(), TOL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.sum(2, false));
        assertEquals("sum: axis 2 is out of range for a tensor of rank 2", e.getMessage());
    }

    @Test
    void maxAndMinWithIndices() {
        Tensor a = t(new float[] {3, 9, 1, 7, 7, 2}, 2, 3);
        Extremum.Result max = a.max(1, false);
        assertArrayEquals(new float[] {9, 7}, max.values().data());
        assertArrayEquals(new int[] {1, 0}, max.indices(), "first maximum wins a tie");
        Extremum.Result min = a.min(0, true);
        assertArrayEquals(new float[] {3, 7, 1}, min.values().data());
        assertArrayEquals(new int[] {1, 3}, min.values().shape());
        assertArrayEquals(new int[] {0, 1, 0}, min.indices());
        Tensor withNan = t(new float[] {1, Float.NaN, 3}, 3);
        assertTrue(Float.isNaN(withNan.max(0, false).values().item()));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 2).max(0, false));
    }

    @Test
    void permuteTransposeSliceSelect() {
        Tensor a = Tensor.arange(24).reshape(2, 3, 4);
        Tensor p = a.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(a.get(1, 2, 3), p.get(3, 1, 2));
        assertEquals(a.get(0, 1, 2), p.get(2, 0, 1));
        Tensor m = Tensor.arange(6).reshape(2, 3);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, m.transpose(0, 1).data(), TOL);
        assertArrayEquals(new float[] {3, 4, 5}, m.sliceRows(1, 2).data(), TOL);
        assertArrayEquals(new float[] {3, 4, 5, 0, 1, 2, 3, 4, 5}, m.indexSelect(new int[] {1, 0, 1}).data(), TOL);
        assertThrows(IllegalArgumentException.class, () -> a.permute(0, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.sliceRows(1, 3));
        assertEquals("sliceRows: rows [1, 3) are out of range for shape [2, 3]", e.getMessage());
        IndexOutOfBoundsException e2 = assertThrows(IndexOutOfBoundsException.class, () -> m.indexSelect(new int[] {0, 2}));
        assertEquals("indexSelect: index 2 at position 1 is out of range for shape [2, 3] (rows 0..1)", e2.getMessage());
    }

    @Test
    void concatAndStack() {
        Tensor a = Tensor.arange(4).reshape(2, 2);
        Tensor b = Tensor.full(9f, 2, 1);
        assertArrayEquals(new float[] {0, 1, 9, 2, 3, 9}, Tensor.concat(1, a, b).data(), TOL);
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3}, Tensor.concat(0, a, a).data(), TOL);
        Tensor s = Tensor.stack(1, a, a.mul(10f));
        assertArrayEquals(new int[] {2, 2, 2}, s.shape());
        assertArrayEquals(new float[] {0, 1, 0, 10, 2, 3, 20, 30}, s.data(), TOL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.concat(0, a, b));
        assertEquals("concat: along axis 0, part 1 has shape [2, 1] which does not match part 0's [2, 2] outside that axis",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.stack(0, a, b));
    }

    @Test
    void matmulValuesAndErrors() {
        Tensor a = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = t(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, a.matmul(b).data(), TOL);
        assertArrayEquals(new float[] {58, 64, 139, 154}, a.matmul(b.transpose(0, 1), false, true).data(), TOL);
        assertArrayEquals(new float[] {58, 64, 139, 154}, a.transpose(0, 1).matmul(b, true, false).data(), TOL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(32, 128).matmul(Tensor.zeros(64, 10)));
        assertEquals("matmul: [32, 128] x [64, 10]: inner dimensions differ (128 != 64)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)));
        assertEquals("matmul: [2, 3, 4] x [3, 4, 5]: batch sizes differ (2 != 3)", e.getMessage());
    }

    @Test
    void pairwiseDistanceAndNormalisation() {
        Tensor a = t(new float[] {0, 0, 3, 4}, 2, 2);
        Tensor b = t(new float[] {0, 0, 1, 1, 3, 4}, 3, 2);
        assertArrayEquals(new float[] {0, 2, 25, 25, 13, 0}, a.pairwiseSquaredDistance(b).data(), 1e-5f);
        Tensor d = a.pairwiseSquaredDistance(a);
        for (float v : d.data()) {
            assertTrue(v >= 0f, "distances are clamped at 0");
        }
        Tensor n = a.l2NormalizeRows(1e-12f);
        assertArrayEquals(new float[] {0, 0, 0.6f, 0.8f}, n.data(), TOL);
        Tensor zeroRow = Tensor.zeros(1, 3).requiresGrad(true);
        zeroRow.l2NormalizeRows(1e-6f).sum().backward();
        for (float g : zeroRow.grad().data()) {
            assertTrue(Float.isFinite(g), "a zero row has a finite gradient");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.pairwiseSquaredDistance(Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().startsWith("pairwiseSquaredDistance: [2, 2] and [3, 5]"), e.getMessage());
    }
}
