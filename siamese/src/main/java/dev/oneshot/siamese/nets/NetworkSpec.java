package dev.oneshot.siamese.nets;

import dev.oneshot.core.json.JsonObject;
import dev.oneshot.nn.Sequential;
import dev.oneshot.siamese.data.InputSpec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which embedding network a recipe trains, independent of the input size and the seed (those
 * come from the recipe's input and the run): {@link SmallCnn}, {@link Conv4} or {@link Koch}.
 * {@link #build} makes the network for an input, initialised from a seed.
 */
public sealed interface NetworkSpec {
    /** A freshly initialised network for {@code input}, weights drawn from {@code seed}. */
    Sequential build(InputSpec input, long seed);

    /** The embedding width d. */
    int embeddingDim();

    /** The JSON form, with a {@code kind}. */
    Map<String, Object> toJson();

    /** Reads {@link #toJson()}'s form. */
    static NetworkSpec fromJson(JsonObject o) {
        String kind = o.string("kind");
        return switch (kind) {
            case SmallCnn.KIND -> {
                o.requireOnly("kind", "channels", "hidden", "dim");
                int[] c = o.intArray("channels", 1, 4096);
                if (c.length != 2) {
                    throw new IllegalArgumentException(o.where() + ".channels: the small CNN has 2 convolutions, got "
                            + c.length + " channel counts");
                }
                yield new SmallCnn(c[0], c[1], o.integer("hidden", 1, 1 << 16), o.integer("dim", 1, 1 << 16));
            }
            case Conv4.KIND -> {
                o.requireOnly("kind", "channels", "blocks", "dim");
                yield new Conv4(o.integer("channels", 1, 4096), o.integer("blocks", 1, 10), o.integer("dim", 1, 1 << 16));
            }
            case Koch.KIND -> {
                o.requireOnly("kind", "channels", "kernels", "dim", "sigmoid");
                yield new Koch(o.intArray("channels", 1, 4096), o.intArray("kernels", 1, 64),
                        o.integer("dim", 1, 1 << 16), o.bool("sigmoid", false));
            }
            default -> throw new IllegalArgumentException(o.where() + ".kind: expected one of " + SmallCnn.KIND + ", "
                    + Conv4.KIND + ", " + Koch.KIND + ", got '" + kind + "'");
        };
    }

    private static void requireSquare(String what, InputSpec input) {
        if (input.height() != input.width()) {
            throw new IllegalArgumentException(what + " takes square inputs, got " + input.display()
                    + " (Conv-4 takes any height × width)");
        }
    }

    /**
     * The small CNN ({@link SmallCnnConfig}): conv {@code channels1}, conv {@code channels2},
     * a hidden dense layer, then the embedding. Square inputs.
     */
    record SmallCnn(int channels1, int channels2, int hidden, int dim) implements NetworkSpec {
        static final String KIND = "small-cnn";

        @Override
        public Sequential build(InputSpec input, long seed) {
            requireSquare("the small CNN", input);
            return EmbeddingNets.smallCnn(new SmallCnnConfig(input.height(), input.channels(), channels1, channels2,
                    hidden, dim, seed));
        }

        @Override
        public int embeddingDim() {
            return dim;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", KIND);
            o.put("channels", List.of(channels1, channels2));
            o.put("hidden", hidden);
            o.put("dim", dim);
            return o;
        }
    }

    /** Conv-4 ({@link Conv4Config}): {@code blocks} × [conv 3×3, BatchNorm, ReLU, max-pool 2], then linear to d. */
    record Conv4(int channels, int blocks, int dim) implements NetworkSpec {
        static final String KIND = "conv4";

        @Override
        public Sequential build(InputSpec input, long seed) {
            return EmbeddingNets.conv4(new Conv4Config(input.height(), input.width(), input.channels(), channels,
                    blocks, dim, seed));
        }

        @Override
        public int embeddingDim() {
            return dim;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", KIND);
            o.put("channels", channels);
            o.put("blocks", blocks);
            o.put("dim", dim);
            return o;
        }
    }

    /** Koch et al.'s four convolutions ({@link KochConfig}), then linear to d (optionally a sigmoid). Square inputs. */
    record Koch(int[] channels, int[] kernels, int dim, boolean sigmoid) implements NetworkSpec {
        static final String KIND = "koch";

        public Koch {
            if (channels.length != 4 || kernels.length != 4) {
                throw new IllegalArgumentException("NetworkSpec.Koch: need 4 channel counts and 4 kernel sizes, got "
                        + channels.length + " and " + kernels.length);
            }
            channels = channels.clone();
            kernels = kernels.clone();
        }

        @Override
        public Sequential build(InputSpec input, long seed) {
            requireSquare("Koch's network", input);
            return EmbeddingNets.koch(new KochConfig(input.height(), input.channels(), channels, kernels, dim, sigmoid,
                    seed));
        }

        @Override
        public int[] channels() {
            return channels.clone();
        }

        @Override
        public int[] kernels() {
            return kernels.clone();
        }

        @Override
        public int embeddingDim() {
            return dim;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", KIND);
            o.put("channels", channels.clone());
            o.put("kernels", kernels.clone());
            o.put("dim", dim);
            o.put("sigmoid", sigmoid);
            return o;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Koch k && Arrays.equals(channels, k.channels) && Arrays.equals(kernels, k.kernels)
                    && dim == k.dim && sigmoid == k.sigmoid;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(channels) + Arrays.hashCode(kernels)) + dim + (sigmoid ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Koch[channels=" + Arrays.toString(channels) + ", kernels=" + Arrays.toString(kernels) + ", dim="
                    + dim + ", sigmoid=" + sigmoid + "]";
        }
    }
}
