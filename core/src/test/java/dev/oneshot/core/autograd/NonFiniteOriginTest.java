package dev.oneshot.core.autograd;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first op (or leaf) of a recorded graph that holds a non-finite value, in forward order. */
class NonFiniteOriginTest {
    @Test
    void findsTheFirstOpWhoseOutputIsNonFiniteNotItsConsumers() {
        Tensor w = Tensor.wrap(new float[] {1, -2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor x = Tensor.wrap(new float[] {1, 1}, 1, 2);
        Tensor h = x.matmul(w);            // [4, 2]: finite
        Tensor l = h.log();                // log(4), log(2): finite
        Tensor y = h.sub(Tensor.wrap(new float[] {4, 2}, 1, 2)).log(); // log(0) = -Infinity: the origin
        Tensor loss = l.add(y).exp().sum(); // exp(-inf) = 0, so the loss itself is finite here
        NonFiniteOrigin o = NonFiniteOrigin.find(loss);
        assertFalse(o.leaf());
        assertEquals("log", o.op());
        assertEquals(0, o.index());
        assertEquals(Float.NEGATIVE_INFINITY, o.value());
        assertTrue(o.describe(null).matches("op 'log' \\(op \\d+ of \\d+\\) output \\[1, 2] holds -Infinity at index 0"),
                o.describe(null));
    }

    @Test
    void aNonFiniteParameterIsReportedAsTheLeafTheFirstOpRead() {
        Tensor w = Tensor.wrap(new float[] {1, Float.NaN}, 1, 2).requiresGrad(true);
        Tensor loss = w.square().sum();
        NonFiniteOrigin o = NonFiniteOrigin.find(loss);
        assertTrue(o.leaf());
        assertSame(w, o.tensor());
        assertEquals(1, o.index());
        assertEquals("parameter 'fc.weight' [1, 2] holds NaN at index 1 (read by op 'square', op 1 of 2)",
                o.describe("fc.weight"));
    }

    @Test
    void aFiniteGraphHasNoOrigin() {
        Tensor w = Tensor.wrap(new float[] {1, 2}, 1, 2).requiresGrad(true);
        assertNull(NonFiniteOrigin.find(w.square().sum()));
    }
}
