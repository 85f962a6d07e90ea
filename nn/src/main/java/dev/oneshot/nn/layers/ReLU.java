package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;

/** Elementwise relu: y = max(x, 0); dy/dx = 1 for x &gt; 0, else 0. No parameters. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
