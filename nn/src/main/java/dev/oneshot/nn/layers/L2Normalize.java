package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;

/**
 * Puts each row of [N, d] on the unit sphere: yᵢ = xᵢ / max(‖xᵢ‖, ε) (core's fused
 * {@code l2NormalizeRows}, whose backward removes the radial component of the gradient).
 * Typically the last layer of an embedding network.
 */
public final class L2Normalize extends Module {
    private final float eps;

    public L2Normalize(float eps) {
        if (!(eps > 0f)) {
            throw new IllegalArgumentException("L2Normalize: eps must be positive, got " + eps);
        }
        this.eps = eps;
    }

    /** ε = 10⁻¹², as PyTorch's {@code F.normalize}. */
    public L2Normalize() {
        this(1e-12f);
    }

    /** The norm floor ε. */
    public float eps() {
        return eps;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.l2NormalizeRows(eps);
    }

    @Override
    public String spec() {
        return "L2Normalize(eps=" + eps + ")";
    }

    @Override
    protected String extraRepr() {
        return "eps=" + eps;
    }
}
