package dev.oneshot.nn.persist;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.BatchNorm1d;
import dev.oneshot.nn.layers.BatchNorm2d;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Dropout;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.L2Normalize;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import dev.oneshot.nn.layers.Sigmoid;
import dev.oneshot.nn.layers.Tanh;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureTest {
    /** Every built-in layer kind, nested once. */
    static Sequential everyLayer(SeededRandom rng) {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1, true, rng), new BatchNorm2d(4), new ReLU(),
                new MaxPool2d(2, 2), new Flatten(),
                new Sequential(new Linear(64, 8, true, rng), new Dropout(0.25, rng), new BatchNorm1d(8, 1e-3, 0.2)),
                new Tanh(), new Linear(8, 3, false, rng), new Sigmoid(), new L2Normalize());
    }

    @Test
    void theBriefsExampleReadsAsDocumented() {
        SeededRandom rng = new SeededRandom(1);
        Module m = new Sequential(new Conv2d(1, 32, 3, 1, 1, true, rng), new ReLU(), new MaxPool2d(2, 2),
                new Flatten(), new Linear(3136, 128, true, rng));
        assertEquals("Sequential[Conv2d(1,32,k=3,s=1,p=1,bias=true),ReLU,MaxPool2d(k=2,s=2),Flatten,"
                + "Linear(3136,128,bias=true)]", m.spec());
    }

    @Test
    void everyKindRebuildsToTheSameSpecAndShapes() {
        Module m = everyLayer(new SeededRandom(2));
        String spec = m.spec();
        assertEquals("Sequential[Conv2d(1,4,k=3,s=1,p=1,bias=true),BatchNorm2d(4,eps=1.0E-5,momentum=0.1),ReLU,"
                + "MaxPool2d(k=2,s=2),Flatten,Sequential[Linear(64,8,bias=true),Dropout(p=0.25),"
                + "BatchNorm1d(8,eps=0.001,momentum=0.2)],Tanh,Linear(8,3,bias=false),Sigmoid,"
                + "L2Normalize(eps=1.0E-12)]", spec);
        Module rebuilt = Architecture.build(spec, new SeededRandom(3));
        assertEquals(spec, rebuilt.spec());
        assertEquals(spec, Architecture.parse(spec).toString());
        rebuilt.stateDict().forEach((k, t) ->
                assertEquals(java.util.Arrays.toString(m.stateDict().get(k).shape()), java.util.Arrays.toString(t.shape()), k));
        assertEquals(m.stateDict().keySet(), rebuilt.stateDict().keySet());
    }

    @Test
    void defaultsAndSpacesAreAccepted() {
        Module m = Architecture.build(" Sequential[ Conv2d(2, 3, k=5), MaxPool2d(k=2), Linear(4,5) ] ", new SeededRandom(0));
        assertEquals("Sequential[Conv2d(2,3,k=5,s=1,p=0,bias=true),MaxPool2d(k=2,s=2),Linear(4,5,bias=true)]", m.spec());
        assertEquals("Sequential[]", Architecture.build("Sequential[]", new SeededRandom(0)).spec());
    }

    @Test
    void errorsSayWhatAndWhere() {
        SeededRandom r = new SeededRandom(0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Architecture.build("Sequential[Foo]", r))
                .getMessage().startsWith("unknown module kind 'Foo'"));
        assertEquals("Conv2d: unknown argument 'strde' (allowed: k, s, p, bias) in 'Conv2d(1,2,k=3,strde=2)'",
                assertThrows(IllegalArgumentException.class, () -> Architecture.build("Conv2d(1,2,k=3,strde=2)", r))
                        .getMessage());
        assertEquals("Conv2d: missing argument 'k' in 'Conv2d(1,2)'",
                assertThrows(IllegalArgumentException.class, () -> Architecture.build("Conv2d(1,2)", r)).getMessage());
        assertEquals("architecture 'Sequential[ReLU,Linear(3,4]': expected ')' at position 26",
                assertThrows(IllegalArgumentException.class, () -> Architecture.parse("Sequential[ReLU,Linear(3,4]"))
                        .getMessage());
        assertEquals("ReLU: a ReLU has no children in 'ReLU[Tanh]'",
                assertThrows(IllegalArgumentException.class, () -> Architecture.build("ReLU[Tanh]", r)).getMessage());
    }

    /** A user-defined module joins the format by overriding spec() and registering a factory. */
    static final class Scale extends Module {
        final float factor;

        Scale(float factor) {
            this.factor = factor;
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(factor);
        }

        @Override
        public String spec() {
            return "Scale(" + factor + ")";
        }
    }

    @Test
    void customKindsCanBeRegistered() {
        Architecture.register("Scale", (s, rng) -> new Scale((float) Double.parseDouble(s.allowOnly(1).positional().get(0))));
        Module m = Architecture.build("Sequential[Tanh,Scale(2.5)]", new SeededRandom(0));
        assertEquals("Sequential[Tanh,Scale(2.5)]", m.spec());
    }
}
