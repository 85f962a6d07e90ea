package dev.oneshot.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.layers.BatchNorm2d;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Sequential} runs a first layer's Conv2d → BatchNorm2d → ReLU → MaxPool2d(2, 2) (training),
 * Conv2d → ReLU → MaxPool2d(2, 2), BatchNorm2d → ReLU → MaxPool2d(2, 2) (training) and ReLU →
 * MaxPool2d as fused ops;
 * the network's output and every parameter gradient are bit for bit those of the layers called
 * one by one, in training and under {@code Grad.off} (with Winograd inference off; on, the eval
 * block agrees to float rounding), and the modules and parameter names stay as built.
 */
class SequentialFusionTest {
    private static Sequential net() {
        SeededRandom rng = new SeededRandom(5);
        return new Sequential(
                new Conv2d(1, 6, 3, 1, 1, true, rng), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2, 2), // conv2dTrainBatchNormReluMaxPool2d
                new Conv2d(6, 6, 3, 1, 1, true, rng), new ReLU(), new MaxPool2d(2, 2),            // conv2dReluMaxPool2d
                new Conv2d(6, 6, 3, 1, 1, true, rng), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2, 2), // batchNormReluMaxPool2d
                new Conv2d(6, 4, 3, 1, 1, true, rng), new ReLU(), new MaxPool2d(3, 1),            // reluMaxPool2d
                new ReLU(), new Flatten(), new Linear(4, 3, true, rng), new ReLU());
    }

    /** The children's forwards one after the other (no fusion). */
    private static Tensor layerByLayer(Sequential s, Tensor x) {
        Tensor y = x;
        for (Module m : s.namedChildren().values()) {
            y = m.forward(y);
        }
        return y;
    }

    @Test
    void fusedForwardAndGradientsAreThoseOfTheLayers() {
        Tensor x = Tensor.randn(7, 3, 1, 24, 24);
        Sequential a = net();
        Sequential b = net();
        a.train();
        b.train();
        Tensor ya = a.forward(x);
        Tensor yb = layerByLayer(b, x);
        assertArrayEquals(yb.data(), ya.data());
        ya.sum().backward();
        yb.sum().backward();
        Map<String, Tensor> pa = a.namedParameters();
        Map<String, Tensor> pb = b.namedParameters();
        assertEquals(pb.keySet(), pa.keySet());
        for (String name : pa.keySet()) {
            assertArrayEquals(pb.get(name).gradData(), pa.get(name).gradData(), name);
        }
        Map<String, Tensor> ba = a.namedBuffers();
        Map<String, Tensor> bb = b.namedBuffers();
        assertEquals(bb.keySet(), ba.keySet());
        for (String name : ba.keySet()) { // the batch norm's running statistics, updated by the fused op too
            assertArrayEquals(bb.get(name).data(), ba.get(name).data(), name);
        }
        boolean winograd = dev.oneshot.core.ops.Conv2d.winogradInference();
        try (Grad.Scope off = Grad.off()) {
            dev.oneshot.core.ops.Conv2d.setWinogradInference(false); // the direct arithmetic: the same bits
            assertArrayEquals(layerByLayer(b, x).data(), a.forward(x).data());
            a.eval(); // the conv → batch norm → ReLU → pool blocks now run as one pass as well
            b.eval();
            assertArrayEquals(layerByLayer(b, x).data(), a.forward(x).data());
            dev.oneshot.core.ops.Conv2d.setWinogradInference(true);  // Winograd: the same values to rounding
            assertArrayEquals(layerByLayer(b, x).data(), a.forward(x).data(), 1e-5f);
        } finally {
            dev.oneshot.core.ops.Conv2d.setWinogradInference(winograd);
        }
        assertEquals(18, a.size());
    }
}
