package dev.oneshot.siamese.nets;

/**
 * Conv-4, the usual few-shot backbone: {@code blocks} × [Conv2d 3×3 pad 1 → {@code channels},
 * BatchNorm2d, ReLU, MaxPool2] → Flatten → Linear(channels·h·w, embeddingDim), where h and w
 * are the input height and width halved {@code blocks} times (rounded down). Inputs need not be
 * square: faces keep their aspect ratio (e.g. 56×46 → 3×2 after four blocks).
 */
public record Conv4Config(int inputHeight, int inputWidth, int inChannels, int channels, int blocks, int embeddingDim,
                          long seed) {

    public Conv4Config {
        Configs.requirePositive("Conv4Config", "inputHeight", inputHeight);
        Configs.requirePositive("Conv4Config", "inputWidth", inputWidth);
        Configs.requirePositive("Conv4Config", "inChannels", inChannels);
        Configs.requirePositive("Conv4Config", "channels", channels);
        Configs.requirePositive("Conv4Config", "blocks", blocks);
        Configs.requirePositive("Conv4Config", "embeddingDim", embeddingDim);
        if ((Math.min(inputHeight, inputWidth) >> blocks) < 1) {
            throw new IllegalArgumentException("Conv4Config: input " + inputHeight + "×" + inputWidth
                    + " is too small for " + blocks + " 2×2 poolings (need at least " + (1 << blocks) + " per side)");
        }
    }

    /** A square {@code inputSize×inputSize} input. */
    public Conv4Config(int inputSize, int inChannels, int channels, int blocks, int embeddingDim, long seed) {
        this(inputSize, inputSize, inChannels, channels, blocks, embeddingDim, seed);
    }

    /** 4 blocks of 64 channels on 1×size×size inputs, embedding dimension 64. */
    public static Conv4Config standard(int inputSize) {
        return new Conv4Config(inputSize, 1, 64, 4, 64, 42L);
    }

    /** Height after the blocks. */
    public int finalHeight() {
        return inputHeight >> blocks;
    }

    /** Width after the blocks. */
    public int finalWidth() {
        return inputWidth >> blocks;
    }
}
