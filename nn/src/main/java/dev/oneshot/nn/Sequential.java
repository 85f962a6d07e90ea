package dev.oneshot.nn;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.layers.BatchNorm2d;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import java.util.List;

/**
 * Modules applied one after another: forward(x) = mₖ(…m₂(m₁(x))). Children are named
 * "0", "1", ... in order, so parameters are called {@code 0.weight}, {@code 3.bias}, ...
 * exactly as in PyTorch's {@code nn.Sequential}.
 *
 * <p>A {@link ReLU} directly followed by a {@link MaxPool2d} runs as one op,
 * {@link Tensor#reluMaxPool2d} (y = max(maxpool(x), 0)): bit for bit the same values and
 * gradients as the two layers one after the other, without the full-size ReLU output and its
 * gradient (relu is monotone, so it commutes with the max). The modules, their names and
 * parameters are unchanged. Likewise a {@link Conv2d} followed by ReLU and a 2×2, stride-2
 * MaxPool2d runs as {@link Tensor#conv2dReluMaxPool2d}: each block of images is convolved and
 * pooled while in cache, and the full-size conv output is never built; and in inference
 * (under {@code Grad.off}, the batch norm in eval mode) Conv2d → BatchNorm2d → ReLU →
 * MaxPool2d(2, 2) runs as one pass too, the batch norm applied to each block in cache; in
 * training BatchNorm2d → ReLU → MaxPool2d(2, 2) runs as one op, bit for bit the three layers
 * (see {@link BatchNorm2d#forwardReluMaxPool2x2}). A 3×3,
 * stride-1, padding-1 conv of several channels runs by Winograd's F(2×2, 3×3), in training and
 * inference alike, whether fused or not: its values equal the direct arithmetic's to float
 * rounding, not bit for bit ({@code dev.oneshot.core.ops.Conv2d.WINOGRAD_PROPERTY}).
 */
public final class Sequential extends Module {
    private int size;

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module (named by its position) and returns this. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(size), module);
        size++;
        return this;
    }

    /** The module at position {@code index}. */
    public Module get(int index) {
        return child(Integer.toString(index));
    }

    /** Number of modules. */
    public int size() {
        return size;
    }

    /** {@code Sequential[spec0,spec1,...]}. */
    @Override
    public String spec() {
        StringBuilder b = new StringBuilder("Sequential[");
        for (Module m : namedChildren().values()) {
            b.append(b.length() > "Sequential[".length() ? "," : "").append(m.spec());
        }
        return b.append(']').toString();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        List<Module> m = List.copyOf(namedChildren().values());
        for (int i = 0; i < m.size(); i++) {
            // the layer classes are final: their forwards are known
            if (m.get(i) instanceof Conv2d conv && i + 3 < m.size() && m.get(i + 1) instanceof BatchNorm2d bn
                    && !bn.isTraining() && !Grad.isEnabled() && m.get(i + 2) instanceof ReLU
                    && m.get(i + 3) instanceof MaxPool2d pool && pool.kernel() == 2 && pool.stride() == 2) {
                x = dev.oneshot.core.ops.Conv2d.inferBatchNormReluMaxPool2x2(x, conv.weight(), conv.bias(),
                        conv.stride(), conv.padding(), bn.weight(), bn.bias(), bn.eps(), bn.runningMean().data(),
                        bn.runningVar().data());
                i += 3;
            } else if (m.get(i) instanceof Conv2d conv && i + 3 < m.size() && m.get(i + 1) instanceof BatchNorm2d bn
                    && bn.isTraining() && Grad.isEnabled() && m.get(i + 2) instanceof ReLU
                    && m.get(i + 3) instanceof MaxPool2d pool && pool.kernel() == 2 && pool.stride() == 2) {
                x = bn.forwardConvReluMaxPool2x2(conv, x);
                i += 3;
            } else if (m.get(i) instanceof Conv2d conv && i + 2 < m.size() && m.get(i + 1) instanceof ReLU
                    && m.get(i + 2) instanceof MaxPool2d pool && pool.kernel() == 2 && pool.stride() == 2) {
                x = x.conv2dReluMaxPool2d(conv.weight(), conv.bias(), conv.stride(), conv.padding());
                i += 2;
            } else if (m.get(i) instanceof BatchNorm2d bn && bn.isTraining() && i + 2 < m.size()
                    && m.get(i + 1) instanceof ReLU && m.get(i + 2) instanceof MaxPool2d pool && pool.kernel() == 2
                    && pool.stride() == 2) {
                x = bn.forwardReluMaxPool2x2(x);
                i += 2;
            } else if (m.get(i) instanceof ReLU && i + 1 < m.size() && m.get(i + 1) instanceof MaxPool2d pool) {
                x = x.reluMaxPool2d(pool.kernel(), pool.stride());
                i += 1;
            } else {
                x = m.get(i).forward(x);
            }
        }
        return x;
    }
}
