package dev.oneshot.nn;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import java.util.Iterator;

/**
 * Modules applied one after another: forward(x) = mₖ(…m₂(m₁(x))). Children are named
 * "0", "1", ... in order, so parameters are called {@code 0.weight}, {@code 3.bias}, ...
 * exactly as in PyTorch's {@code nn.Sequential}.
 *
 * <p>A {@link ReLU} directly followed by a {@link MaxPool2d} runs as one op,
 * {@link Tensor#reluMaxPool2d} (y = max(maxpool(x), 0)): bit for bit the same values and
 * gradients as the two layers one after the other, without the full-size ReLU output and its
 * gradient (relu is monotone, so it commutes with the max). The modules, their names and
 * parameters are unchanged.
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
        Iterator<Module> it = namedChildren().values().iterator();
        Module next = it.hasNext() ? it.next() : null;
        while (next != null) {
            Module m = next;
            next = it.hasNext() ? it.next() : null;
            if (m instanceof ReLU && next instanceof MaxPool2d pool) { // both final: forward is known
                x = x.reluMaxPool2d(pool.kernel(), pool.stride());
                next = it.hasNext() ? it.next() : null;
            } else {
                x = m.forward(x);
            }
        }
        return x;
    }
}
