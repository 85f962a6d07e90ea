package dev.oneshot.siamese.nets;

/**
 * Conv-4, the usual few-shot backbone: {@code blocks} × [Conv2d 3×3 pad 1 → {@code channels},
 * BatchNorm2d, ReLU, MaxPool2] → Flatten → Linear(channels·s², embeddingDim), where s is the
 * input size halved {@code blocks} times (rounded down).
 */
public record Conv4Config(int inputSize, int inChannels, int channels, int blocks, int embeddingDim, long seed) {

    public Conv4Config {
        Configs.requirePositive("Conv4Config", "inputSize", inputSize);
        Configs.requirePositive("Conv4Config", "inChannels", inChannels);
        Configs.requirePositive("Conv4Config", "channels", channels);
        Configs.requirePositive("Conv4Config", "blocks", blocks);
        Configs.requirePositive("Conv4Config", "embeddingDim", embeddingDim);
        if ((inputSize >> blocks) < 1) {
            throw new IllegalArgumentException("Conv4Config: inputSize " + inputSize + " is too small for "
                    + blocks + " 2×2 poolings (need at least " + (1 << blocks) + ")");
        }
    }

    /** 4 blocks of 64 channels on 1×28×28 inputs, embedding dimension 64. */
    public static Conv4Config standard(int inputSize) {
        return new Conv4Config(inputSize, 1, 64, 4, 64, 42L);
    }

    /** Spatial size after the blocks. */
    public int finalSize() {
        return inputSize >> blocks;
    }
}
