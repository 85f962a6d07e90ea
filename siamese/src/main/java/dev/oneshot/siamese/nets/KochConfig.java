package dev.oneshot.siamese.nets;

/**
 * The convolutional Siamese network of Koch, Zemel and Salakhutdinov (2015):
 * <pre>  conv c₁@k₁ ReLU pool2 → conv c₂@k₂ ReLU pool2 → conv c₃@k₃ ReLU pool2 → conv c₄@k₄ ReLU
 *   → Flatten → Linear(·, embeddingDim) Sigmoid</pre>
 * {@link #original()} is the published 105×105 network (64@10, 128@7, 128@4, 256@4, 4096-d
 * sigmoid embedding; 256·6·6 = 9216 inputs to the dense layer). {@link #small(int)} keeps
 * the shape of the network with smaller kernels and widths for smaller, faster inputs.
 */
public record KochConfig(int inputSize, int inChannels, int[] channels, int[] kernels, int embeddingDim,
                         boolean sigmoidEmbedding, long seed) {

    public KochConfig {
        Configs.requirePositive("KochConfig", "inputSize", inputSize);
        Configs.requirePositive("KochConfig", "inChannels", inChannels);
        Configs.requirePositive("KochConfig", "embeddingDim", embeddingDim);
        if (channels.length != 4 || kernels.length != 4) {
            throw new IllegalArgumentException("KochConfig: need 4 channel counts and 4 kernel sizes, got "
                    + channels.length + " and " + kernels.length);
        }
        channels = channels.clone();
        kernels = kernels.clone();
        int size = inputSize;
        for (int i = 0; i < 4; i++) {
            Configs.requirePositive("KochConfig", "channels[" + i + "]", channels[i]);
            Configs.requirePositive("KochConfig", "kernels[" + i + "]", kernels[i]);
            size = size - kernels[i] + 1;
            if (size < 1 || (i < 3 && size / 2 < 1)) {
                throw new IllegalArgumentException("KochConfig: inputSize " + inputSize
                        + " is too small: the feature map vanishes after conv " + (i + 1) + " (kernel " + kernels[i] + ")");
            }
            if (i < 3) {
                size /= 2;
            }
        }
    }

    /** The published network for 1×105×105 Omniglot images. */
    public static KochConfig original() {
        return new KochConfig(105, 1, new int[] {64, 128, 128, 256}, new int[] {10, 7, 4, 4}, 4096, true, 42L);
    }

    /**
     * The same four-conv shape for small inputs (28–64 px): kernels 5, 3, 3, 2 and channels
     * 32, 64, 64, 128, with a 128-d embedding.
     */
    public static KochConfig small(int inputSize) {
        return new KochConfig(inputSize, 1, new int[] {32, 64, 64, 128}, new int[] {5, 3, 3, 2}, 128, false, 42L);
    }

    /** Spatial size of the last convolution's output. */
    public int finalSize() {
        int size = inputSize;
        for (int i = 0; i < 4; i++) {
            size = size - kernels[i] + 1;
            if (i < 3) {
                size /= 2;
            }
        }
        return size;
    }

    @Override
    public int[] channels() {
        return channels.clone();
    }

    @Override
    public int[] kernels() {
        return kernels.clone();
    }
}
