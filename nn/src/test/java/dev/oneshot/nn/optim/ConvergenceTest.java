package dev.oneshot.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each optimiser minimises ‖Ax − b‖², built from core ops with backward, to x* = x_true. */
class ConvergenceTest {
    private static final float[] A = {
        2, 0, 1,
        0, 1, 0,
        1, 0, 3,
        0, 2, 1};
    private static final float[] X_TRUE = {0.5f, -1f, 2f};

    private static void assertConverges(Function<Tensor, Optimizer> make, int steps, double tol) {
        Tensor a = Tensor.fromArray(A, 4, 3);
        Tensor b = a.matmul(Tensor.fromArray(X_TRUE, 3, 1)).detach(); // b = A·x_true, so min = 0
        Tensor x = Tensor.zeros(3, 1).requiresGrad(true);
        Optimizer opt = make.apply(x);
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor l = a.matmul(x).sub(b).square().sum();
            loss = l.item();
            l.backward();
            opt.step();
        }
        assertTrue(loss < tol * tol, "loss " + loss);
        assertArrayEquals(X_TRUE, x.data(), (float) tol);
    }

    @Test
    void sgd() {
        assertConverges(x -> new Sgd(Toy.named("x", x), Hyper.sgd().withLr(0.02)), 1500, 1e-3);
    }

    @Test
    void sgdMomentum() {
        assertConverges(x -> new Sgd(Toy.named("x", x), Hyper.sgd().withLr(0.01).withMomentum(0.9)), 500, 1e-3);
    }

    @Test
    void sgdNesterov() {
        assertConverges(x -> new Sgd(Toy.named("x", x),
                Hyper.sgd().withLr(0.01).withMomentum(0.9).withNesterov(true)), 500, 1e-3);
    }

    @Test
    void adam() {
        assertConverges(x -> new Adam(Toy.named("x", x), Hyper.adam().withLr(0.05)), 2000, 1e-3);
    }

    @Test
    void adamW() {
        assertConverges(x -> new AdamW(Toy.named("x", x), Hyper.adamW().withLr(0.05).withWeightDecay(0)), 2000, 1e-3);
    }
}
