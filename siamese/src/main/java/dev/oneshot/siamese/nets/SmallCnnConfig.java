package dev.oneshot.siamese.nets;

/**
 * The small CNN for 28×28 single-channel images (the demo's network):
 * <pre>  Conv2d(1,c₁,3,pad 1) ReLU MaxPool2 → Conv2d(c₁,c₂,3,pad 1) ReLU MaxPool2 → Flatten
 *   → Linear(c₂·(s/4)², hidden) ReLU → Linear(hidden, embeddingDim)</pre>
 * {@link #demo()} is exactly PyTorch's
 * {@code Sequential(Conv2d(1,32,3,padding=1), ReLU(), MaxPool2d(2), Conv2d(32,64,3,padding=1), ReLU(),
 * MaxPool2d(2), Flatten(), Linear(3136,128), ReLU(), Linear(128,64))}.
 */
public record SmallCnnConfig(int inputSize, int inChannels, int channels1, int channels2, int hidden,
                             int embeddingDim, long seed) {

    public SmallCnnConfig {
        Configs.requirePositive("SmallCnnConfig", "inputSize", inputSize);
        Configs.requirePositive("SmallCnnConfig", "inChannels", inChannels);
        Configs.requirePositive("SmallCnnConfig", "channels1", channels1);
        Configs.requirePositive("SmallCnnConfig", "channels2", channels2);
        Configs.requirePositive("SmallCnnConfig", "hidden", hidden);
        Configs.requirePositive("SmallCnnConfig", "embeddingDim", embeddingDim);
        if (inputSize / 4 < 1) {
            throw new IllegalArgumentException("SmallCnnConfig: inputSize " + inputSize
                    + " is too small for two 2×2 poolings (need at least 4)");
        }
    }

    /** The demo network on 1×28×28 inputs, embedding dimension 64. */
    public static SmallCnnConfig demo() {
        return new SmallCnnConfig(28, 1, 32, 64, 128, 64, 42L);
    }

    public SmallCnnConfig withSeed(long newSeed) {
        return new SmallCnnConfig(inputSize, inChannels, channels1, channels2, hidden, embeddingDim, newSeed);
    }
}
