package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;

/** Elementwise sigmoid: y = 1/(1 + e⁻ˣ) (stable at ±1000); dy/dx = y(1 − y). No parameters. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
