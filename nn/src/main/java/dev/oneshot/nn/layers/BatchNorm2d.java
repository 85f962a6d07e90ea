package dev.oneshot.nn.layers;

/** {@link BatchNorm} for NCHW inputs [N, C, H, W] (statistics per channel C over N, H, W). */
public final class BatchNorm2d extends BatchNorm {
    /** momentum 0.1, ε = 10⁻⁵, as PyTorch. */
    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        super(channels, eps, momentum);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }
}
