package dev.oneshot.nn.layers;

/** {@link BatchNorm} for [N, C] or [N, C, L] inputs (statistics per feature C). */
public final class BatchNorm1d extends BatchNorm {
    /** momentum 0.1, ε = 10⁻⁵, as PyTorch. */
    public BatchNorm1d(int features) {
        this(features, 1e-5, 0.1);
    }

    public BatchNorm1d(int features, double eps, double momentum) {
        super(features, eps, momentum);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }
}
