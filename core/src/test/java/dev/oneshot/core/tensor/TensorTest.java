package dev.oneshot.core.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Factories, storage sharing, indexing and their error messages. */
class TensorTest {
    private static final float TOL = 1e-6f;

    @Test
    void factoriesFillAsNamed() {
        assertArrayEquals(new float[6], Tensor.zeros(2, 3).data());
        assertArrayEquals(new float[] {1, 1, 1, 1}, Tensor.ones(2, 2).data());
        assertArrayEquals(new float[] {7, 7, 7}, Tensor.full(7f, 3).data());
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).data());
        assertArrayEquals(new float[] {1f, 1.5f, 2f, 2.5f}, Tensor.arange(1f, 3f, 0.5f).data(), TOL);
        assertArrayEquals(new float[] {3f, 2f, 1f}, Tensor.arange(3f, 0f, -1f).data(), TOL);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Tensor.eye(3).data());
        assertEquals(0, Tensor.scalar(2f).rank());
        assertEquals(2f, Tensor.scalar(2f).item());
        assertArrayEquals(new int[] {2, 0, 3}, Tensor.zeros(2, 0, 3).shape());
    }

    @Test
    void fromArrayCopiesAndWrapShares() {
        float[] values = {1, 2, 3, 4};
        Tensor copied = Tensor.fromArray(values, 2, 2);
        Tensor wrapped = Tensor.wrap(values, 4);
        values[0] = 9f;
        assertEquals(1f, copied.get(0, 0));
        assertEquals(9f, wrapped.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(values, 3, 2));
        assertEquals("wrap: 4 values do not fill shape [3, 2] (6 elements)", e.getMessage());
    }

    @Test
    void seededRandomIsReproducibleAndHasTheRightMoments() {
        assertArrayEquals(Tensor.randn(123, 1000).data(), Tensor.randn(123, 1000).data());
        assertNotEquals(Tensor.randn(123, 10).data()[0], Tensor.randn(124, 10).data()[0]);
        float[] n = Tensor.randn(7, 100_000).data();
        double mean = 0;
        double sq = 0;
        for (float v : n) {
            mean += v;
            sq += v * v;
        }
        mean /= n.length;
        double std = Math.sqrt(sq / n.length - mean * mean);
        assertEquals(0, mean, 0.02);
        assertEquals(1, std, 0.02);
        float[] u = Tensor.rand(7, 10_000).data();
        for (float v : u) {
            assertTrue(v >= 0f && v < 1f, "uniform draw out of [0, 1): " + v);
        }
    }

    @Test
    void seededRandomSequenceIsPinned() {
        // SplitMix64 reference outputs for seed 0 (the published test vector of the algorithm).
        // Pinned so that a change of generator (which would change every seeded run) is noticed.
        SeededRandom rng = new SeededRandom(0);
        assertEquals(0xE220A8397B1DCDAFL, rng.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, rng.nextLong());
        assertEquals(0x06C45D188009454FL, rng.nextLong());
        int[] perm = new SeededRandom(5).permutation(6);
        int[] sorted = perm.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, sorted);
    }

    @Test
    void seededRandomStateRestoresTheExactSequence() {
        SeededRandom rng = new SeededRandom(99);
        rng.nextGaussian(); // leaves a spare Gaussian in the state
        SeededRandom.State saved = rng.state();
        String text = saved.encode();
        double[] expected = {rng.nextGaussian(), rng.nextDouble(), rng.nextInt(1000), rng.nextGaussian()};
        SeededRandom restored = SeededRandom.fromState(SeededRandom.State.decode(text));
        double[] actual = {restored.nextGaussian(), restored.nextDouble(), restored.nextInt(1000), restored.nextGaussian()};
        assertArrayEquals(expected, actual);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeededRandom.State.decode("mt19937:1:2"));
        assertTrue(e.getMessage().contains("'mt19937:1:2'"), e.getMessage());
    }

    @Test
    void nextIntIsUniformAcrossItsRange() {
        SeededRandom rng = new SeededRandom(3);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[rng.nextInt(7)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 400);
        }
        assertThrows(IllegalArgumentException.class, () -> rng.nextInt(0));
    }

    @Test
    void reshapeIsAViewSharingStorage() {
        Tensor t = Tensor.arange(6);
        Tensor v = t.reshape(2, -1);
        assertArrayEquals(new int[] {2, 3}, v.shape());
        assertSame(t.data(), v.data());
        v.data()[4] = 40f;
        assertEquals(40f, t.get(4));
        assertEquals(40f, v.get(1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, -1));
        assertEquals("reshape: [6] (6 elements) cannot be viewed as [4, -1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
        assertEquals("reshape: [6] (6 elements) cannot be viewed as [4, 2] (8 elements)", e.getMessage());
    }

    @Test
    void getChecksRankAndBounds() {
        Tensor t = Tensor.arange(6).reshape(2, 3);
        assertEquals(5f, t.get(1, 2));
        assertThrows(IllegalArgumentException.class, () -> t.get(1));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertEquals("get: index [2, 0] is out of bounds for shape [2, 3]", e.getMessage());
        assertThrows(IllegalStateException.class, t::item);
    }

    @Test
    void toStringShowsShapeAndValues() {
        Tensor t = Tensor.arange(3).requiresGrad(true);
        assertEquals("Tensor[3] requiresGrad [0.0, 1.0, 2.0]", t.toString());
        assertTrue(t.exp().toString().startsWith("Tensor[3] gradFn=exp"));
        assertTrue(Tensor.zeros(20).toString().endsWith("... (20 values)]"));
    }

    @Test
    void broadcastIndexMapsEachOutputToItsSource() {
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, Shape.broadcastIndex(new int[] {3}, new int[] {2, 3}));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, Shape.broadcastIndex(new int[] {2, 1}, new int[] {2, 3}));
        assertEquals(null, Shape.broadcastIndex(new int[] {2, 3}, new int[] {2, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast("add", new int[] {2, 3}, new int[] {4}));
        assertEquals("add: shapes [2, 3] and [4] cannot broadcast (axis -1: 3 vs 4)", e.getMessage());
    }
}
