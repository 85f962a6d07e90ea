package dev.oneshot.nn;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.layers.BatchNorm2d;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Dropout;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {
    /** A small CNN for MNIST-sized input [N, 1, 28, 28], written as a custom module. */
    static final class SmallNet extends Module {
        final Sequential features;
        final Linear fc;

        SmallNet(long seed) {
            SeededRandom rng = new SeededRandom(seed);
            features = registerModule("features", new Sequential(
                    new Conv2d(1, 32, 3, 1, 1, true, rng), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2, 2),
                    new Dropout(0.25, rng.split()), new Flatten()));
            fc = registerModule("fc", new Linear(32 * 14 * 14, 10, true, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(features.forward(x));
        }
    }

    @Test
    void hierarchicalNamesInRegistrationOrder() {
        SmallNet net = new SmallNet(1);
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "fc.weight", "fc.bias"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked"),
                List.copyOf(net.namedBuffers().keySet()));
        assertSame(net.fc.weight(), net.namedParameters().get("fc.weight"));
        assertEquals(6, net.parameters().size());
        for (Tensor p : net.parameters()) {
            assertTrue(p.requiresGrad() && p.isLeaf());
        }
    }

    @Test
    void parameterCountOfKnownNet() {
        // conv 32·1·3·3 + 32 = 320; bn 32 + 32 = 64; fc 6272·10 + 10 = 62,730
        assertEquals(320 + 64 + 62_730, new SmallNet(1).parameterCount());
        // MLP 2→16→16→2: (32+16) + (256+16) + (32+2) = 354
        Sequential mlp = new Sequential(new Linear(2, 16, new SeededRandom(1)), new ReLU(),
                new Linear(16, 16, new SeededRandom(2)), new ReLU(), new Linear(16, 2, new SeededRandom(3)));
        assertEquals(354, mlp.parameterCount());
    }

    @Test
    void toStringIsAReadableTree() {
        String s = new SmallNet(1).toString();
        assertTrue(s.startsWith("SmallNet(\n  (features): Sequential(\n"), s);
        assertTrue(s.contains("\n    (0): Conv2d(1, 32, kernel=3, stride=1, padding=1)  320 params\n"), s);
        assertTrue(s.contains("\n    (1): BatchNorm2d(32, eps=1.0E-5, momentum=0.1)  64 params\n"), s);
        assertTrue(s.contains("\n    (2): ReLU()\n"), s);
        assertTrue(s.contains("\n    (3): MaxPool2d(kernel=2, stride=2)\n"), s);
        assertTrue(s.contains("\n    (4): Dropout(p=0.25)\n"), s);
        assertTrue(s.contains("\n  )  384 params\n  (fc): Linear(in=6272, out=10)  62,730 params\n"), s);
        assertTrue(s.endsWith("\n)  63,114 params\nTotal parameters: 63,114"), s);
    }

    @Test
    void trainAndEvalAreRecursive() {
        SmallNet net = new SmallNet(1);
        assertTrue(net.isTraining() && net.features.get(4).isTraining());
        net.eval();
        assertFalse(net.isTraining() || net.features.isTraining() || net.features.get(4).isTraining());
        assertSame(net, net.train());
        assertTrue(net.features.get(1).isTraining());
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Sequential mlp = new Sequential(new Linear(3, 4, new SeededRandom(1)), new ReLU(),
                new Linear(4, 1, new SeededRandom(2)));
        mlp.forward(Tensor.randn(3, 5, 3)).sum().backward();
        assertTrue(mlp.parameters().stream().anyMatch(p -> p.grad() != null && p.grad().data()[0] != 0f));
        mlp.zeroGrad();
        for (Tensor p : mlp.parameters()) {
            for (float g : p.gradData()) {
                assertEquals(0f, g);
            }
        }
    }

    @Test
    void registrationRejectsBadNames() {
        class Bad extends Module {
            Bad(String name, boolean twice) {
                registerParameter(name, Tensor.zeros(1));
                if (twice) {
                    registerBuffer(name, Tensor.zeros(1));
                }
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Bad("a.b", false));
        assertThrows(IllegalArgumentException.class, () -> new Bad("", false));
        var e = assertThrows(IllegalArgumentException.class, () -> new Bad("w", true));
        assertTrue(e.getMessage().contains("'w' is already registered"), e.getMessage());
    }

    @Test
    void setParameterChecksShape() {
        Sequential s = new Sequential(new Linear(2, 3, new SeededRandom(1)));
        Tensor w = Tensor.zeros(3, 2);
        s.setParameter("0.weight", w);
        assertSame(w, s.namedParameters().get("0.weight"));
        var e = assertThrows(IllegalArgumentException.class, () -> s.setParameter("0.bias", Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void aSharedModuleIsListedOnceAmongParametersButUnderEveryNameInTheStateDict() {
        Linear tower = new Linear(3, 2, new SeededRandom(1));
        Sequential twin = new Sequential(tower, tower);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(twin.namedParameters().keySet()));
        assertEquals(8, twin.parameterCount());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(twin.stateDict().keySet()));
    }
}
