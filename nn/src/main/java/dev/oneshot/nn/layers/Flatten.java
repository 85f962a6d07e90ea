package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;

/** [N, d₁, d₂, ...] → [N, d₁·d₂·…]: keeps the batch axis, a view (no copy). */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("Flatten: need at least a batch axis, got " + Shape.toString(x.shape()));
        }
        return x.reshape(x.size(0), x.size(0) == 0 ? 0 : x.numel() / x.size(0));
    }
}
