package dev.oneshot.core.tensor;

import dev.oneshot.core.ops.BatchNorm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferPoolTest {
    private static final int BIG = BufferPool.MIN_LENGTH + 5;

    @Test
    void aGivenBufferIsHandedOutAgainByExactLengthAndZeroedOnRequest() {
        BufferPool.clear();
        float[] a = new float[BIG];
        a[3] = 7f;
        BufferPool.give(a);
        assertEquals(4L * BIG, BufferPool.pooledBytes());
        assertNotSame(a, BufferPool.floats(BIG + 1), "another length is a new array");
        float[] z = BufferPool.zeroedFloats(BIG);
        assertSame(a, z);
        assertEquals(0f, z[3]);
        assertEquals(0L, BufferPool.pooledBytes());
        assertNotSame(a, BufferPool.floats(BIG), "handed out once only");
    }

    @Test
    void smallBuffersAreNotPooledAndADoubleGiveIsRefused() {
        BufferPool.clear();
        float[] small = new float[BufferPool.MIN_LENGTH - 1];
        BufferPool.give(small);
        assertNotSame(small, BufferPool.floats(small.length));
        int[] ints = new int[BIG];
        BufferPool.give(ints);
        var e = assertThrows(IllegalStateException.class, () -> BufferPool.give(ints));
        assertTrue(e.getMessage().contains("given back twice"), e.getMessage());
        assertSame(ints, BufferPool.ints(BIG));
    }

    /**
     * A full pool makes room for the lengths in use by dropping the lengths asked for least
     * recently (before, a pool filled by one network's buffers pooled nothing of the next one's).
     */
    @Test
    void aFullPoolDropsTheLeastRecentlyUsedLengthsForANewOne() {
        long saved = BufferPool.capacityBytes();
        BufferPool.clear();
        try {
            int a = BIG;
            int b = BIG + 1;
            int c = BIG - 1; // fits where b was
            BufferPool.capacityBytes(4L * (a + b)); // room for one buffer of a and one of b
            float[] fa = new float[a];
            float[] fb = new float[b];
            BufferPool.give(fa);
            BufferPool.give(fb);
            assertTrue(fa == BufferPool.floats(a)); // a is now the length used last
            BufferPool.give(fa);
            float[] fc = new float[c];
            BufferPool.give(fc); // the pool is full: b, used least recently, makes room
            assertTrue(fc == BufferPool.floats(c), "the new length is pooled");
            assertTrue(fa == BufferPool.floats(a), "the recently used length is kept");
            assertTrue(fb != BufferPool.floats(b), "the least recently used length was dropped");
            int[] ic = new int[c];
            BufferPool.give(fa);
            BufferPool.give(fc);
            BufferPool.give(ic); // ints make room by dropping float lengths too
            assertTrue(ic == BufferPool.ints(c), "an int buffer makes room by dropping float lengths");
            assertTrue(BufferPool.pooledBytes() <= BufferPool.capacityBytes(), BufferPool.pooledBytes() + " pooled");
        } finally {
            BufferPool.capacityBytes(saved);
            BufferPool.clear();
        }
    }

    /** conv → batchNorm → relu → maxPool → reshape → sum of squares, over inputs big enough to be pooled. */
    private static Tensor loss(Tensor x, Tensor w, Tensor b, Tensor gamma, Tensor beta) {
        Tensor y = x.conv2d(w, b, 1, 1);
        y = BatchNorm.train(y, gamma, beta, 1e-5f, null, null).relu().maxPool2d(2, 2);
        return y.reshape(x.size(0), -1).square().sum();
    }

    @Test
    void recyclingBackwardGivesBitwiseTheSameGradientsStepAfterStep() {
        BufferPool.clear();
        SeededRandom rng = new SeededRandom(3);
        Tensor x = Tensor.rand(rng, 8, 2, 24, 24);
        Tensor[] plain = {Tensor.randn(rng, 6, 2, 3, 3), Tensor.randn(rng, 6), Tensor.rand(rng, 6), Tensor.randn(rng, 6)};
        Tensor[] pooled = new Tensor[plain.length];
        for (int i = 0; i < plain.length; i++) {
            plain[i].requiresGrad(true);
            pooled[i] = plain[i].copy().requiresGrad(true);
        }
        float[] input = x.data().clone();
        for (int step = 0; step < 3; step++) {
            Tensor l1 = loss(x, plain[0], plain[1], plain[2], plain[3]);
            l1.backward();
            Tensor l2 = loss(x, pooled[0], pooled[1], pooled[2], pooled[3]);
            l2.backwardAndRecycle();
            assertEquals(l1.item(), l2.item(), "loss at step " + step);
            assertTrue(BufferPool.pooledBytes() > 0, "the intermediates went back to the pool");
            for (int i = 0; i < plain.length; i++) {
                assertArrayEquals(plain[i].gradData(), pooled[i].gradData(), "gradient " + i + " at step " + step);
                for (Tensor[] p : new Tensor[][] {plain, pooled}) { // a small SGD step, the same on both
                    float[] d = p[i].data();
                    float[] g = p[i].gradData();
                    for (int k = 0; k < d.length; k++) {
                        d[k] -= 1e-3f * g[k];
                    }
                    p[i].zeroGrad();
                }
            }
            assertArrayEquals(input, x.data(), "the input (a leaf) is never recycled");
        }
    }
}
