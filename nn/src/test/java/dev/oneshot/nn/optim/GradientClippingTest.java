package dev.oneshot.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    private static Tensor withGrad(float... g) {
        Tensor t = Tensor.zeros(g.length).requiresGrad(true);
        System.arraycopy(g, 0, t.gradData(), 0, g.length);
        return t;
    }

    @Test
    void scalesAllGradientsByTheGlobalNorm() {
        Tensor a = withGrad(3, 0);
        Tensor b = withGrad(0, 4);       // global norm √(9 + 16) = 5
        Tensor none = Tensor.zeros(2).requiresGrad(true); // no gradient: ignored
        double norm = GradientClipping.clipByGlobalNorm(List.of(a, none, b), 1.0);
        assertEquals(5.0, norm, 1e-12);
        double c = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * c), 0}, a.gradData(), 1e-7f);
        assertArrayEquals(new float[] {0, (float) (4 * c)}, b.gradData(), 1e-7f);
        assertEquals(null, none.grad());
        assertEquals(1.0, GradientClipping.clipByGlobalNorm(List.of(a, b), 10), 1e-6);
    }

    @Test
    void belowTheThresholdNothingChanges() {
        Tensor a = withGrad(0.3f, -0.4f);
        assertEquals(0.5, GradientClipping.clipByGlobalNorm(List.of(a), 1.0), 1e-7);
        assertArrayEquals(new float[] {0.3f, -0.4f}, a.gradData());
    }

    @Test
    void nonFiniteNormIsReturnedAndNothingIsScaled() {
        Tensor a = withGrad(Float.NaN, 1);
        Tensor b = withGrad(100, 0);
        assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0)));
        assertArrayEquals(new float[] {100, 0}, b.gradData());
        Tensor c = withGrad(Float.POSITIVE_INFINITY, 1);
        assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clipByGlobalNorm(List.of(c), 1.0));
        assertEquals(1f, c.gradData()[1]);
    }

    @Test
    void normIsAccumulatedInDouble() {
        float[] g = new float[1 << 20];
        java.util.Arrays.fill(g, 1e-3f);
        double norm = GradientClipping.clipByGlobalNorm(List.of(withGrad(g)), 1e9);
        assertEquals(Math.sqrt(g.length * (double) 1e-3f * 1e-3f), norm, 1e-9); // summed in double: only double rounding error
    }

    @Test
    void badMaxNormIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GradientClipping.clipByGlobalNorm(List.of(), 0));
        assertTrue(e.getMessage().contains("maxNorm"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(List.of(), Double.NaN));
    }
}
