package dev.oneshot.nn;

import dev.oneshot.core.tensor.Tensor;

/**
 * Modules applied one after another: forward(x) = mₖ(…m₂(m₁(x))). Children are named
 * "0", "1", ... in order, so parameters are called {@code 0.weight}, {@code 3.bias}, ...
 * exactly as in PyTorch's {@code nn.Sequential}.
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
        for (Module m : namedChildren().values()) {
            x = m.forward(x);
        }
        return x;
    }
}
