package dev.oneshot.siamese.nets;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.BatchNorm2d;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import dev.oneshot.nn.layers.Sigmoid;

/**
 * Ready-made embedding networks f for a {@link dev.oneshot.siamese.twin.TwinNetwork}, each
 * built from a config record (never by hand edits) as a {@link Sequential}, so parameter
 * names follow PyTorch's ({@code 0.weight}, {@code 3.bias}, ...). Weights use PyTorch's
 * default initialisation drawn from the config's seed.
 */
public final class EmbeddingNets {
    private EmbeddingNets() {
    }

    /** The small CNN (see {@link SmallCnnConfig}). */
    public static Sequential smallCnn(SmallCnnConfig c) {
        SeededRandom rng = new SeededRandom(c.seed());
        int s = c.inputSize() / 4;
        return new Sequential(
                new Conv2d(c.inChannels(), c.channels1(), 3, 1, 1, true, rng), new ReLU(), new MaxPool2d(2, 2),
                new Conv2d(c.channels1(), c.channels2(), 3, 1, 1, true, rng), new ReLU(), new MaxPool2d(2, 2),
                new Flatten(),
                new Linear(c.channels2() * s * s, c.hidden(), true, rng), new ReLU(),
                new Linear(c.hidden(), c.embeddingDim(), true, rng));
    }

    /** Conv-4 (see {@link Conv4Config}). */
    public static Sequential conv4(Conv4Config c) {
        SeededRandom rng = new SeededRandom(c.seed());
        Sequential net = new Sequential();
        int in = c.inChannels();
        for (int b = 0; b < c.blocks(); b++) {
            net.add(new Conv2d(in, c.channels(), 3, 1, 1, true, rng));
            net.add(new BatchNorm2d(c.channels()));
            net.add(new ReLU());
            net.add(new MaxPool2d(2, 2));
            in = c.channels();
        }
        net.add(new Flatten());
        net.add(new Linear(c.channels() * c.finalHeight() * c.finalWidth(), c.embeddingDim(), true, rng));
        return net;
    }

    /** Koch et al.'s CNN (see {@link KochConfig}). */
    public static Sequential koch(KochConfig c) {
        SeededRandom rng = new SeededRandom(c.seed());
        int[] ch = c.channels();
        int[] k = c.kernels();
        Sequential net = new Sequential();
        int in = c.inChannels();
        for (int i = 0; i < 4; i++) {
            net.add(new Conv2d(in, ch[i], k[i], 1, 0, true, rng));
            net.add(new ReLU());
            if (i < 3) {
                net.add(new MaxPool2d(2, 2));
            }
            in = ch[i];
        }
        net.add(new Flatten());
        net.add(new Linear(ch[3] * c.finalSize() * c.finalSize(), c.embeddingDim(), true, rng));
        if (c.sigmoidEmbedding()) {
            net.add(new Sigmoid());
        }
        return net;
    }
}
