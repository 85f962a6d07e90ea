package dev.oneshot.nn;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A building block of a network: it owns parameters (trained tensors), buffers (state that is
 * saved but not trained, such as BatchNorm's running statistics) and child modules, and maps an
 * input tensor to an output tensor in {@link #forward}.
 *
 * <p>Parameters are plain leaf {@link Tensor}s with {@code requiresGrad(true)}: autograd fills
 * their {@code gradData()}, an optimiser reads it and updates {@code data()} in place.
 * Everything is registered by name, in insertion order, so a module tree has PyTorch-style
 * hierarchical names: a {@code Sequential} registered as {@code features} whose child "0" is a
 * Conv2d gives {@code features.0.weight}. {@link #stateDict()} uses those names and PyTorch's
 * layouts, so weights can travel between the two.
 *
 * <p>A module is in training mode after construction; {@link #eval()} switches the whole
 * tree to inference behaviour (Dropout becomes the identity, BatchNorm uses running statistics).
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes the module's output; records the autograd graph unless grad mode is off. */
    public abstract Tensor forward(Tensor input);

    // ------------------------------------------------------------------ registration

    /** Registers a trained tensor under {@code name}; marks it {@code requiresGrad(true)}. */
    protected final Tensor registerParameter(String name, Tensor tensor) {
        checkNew(name, tensor);
        if (!tensor.isLeaf()) {
            throw new IllegalArgumentException(describe() + ": parameter '" + name
                    + "' must be a leaf tensor, not the result of '" + tensor.gradFn().op() + "'");
        }
        parameters.put(name, tensor.requiresGrad(true));
        return tensor;
    }

    /** Registers saved-but-not-trained state (e.g. running statistics) under {@code name}. */
    protected final Tensor registerBuffer(String name, Tensor tensor) {
        checkNew(name, tensor);
        buffers.put(name, tensor);
        return tensor;
    }

    /** Registers a child module; its names get the prefix {@code name.}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNew(name, module);
        if (module == this) {
            throw new IllegalArgumentException(describe() + ": a module cannot be its own child");
        }
        children.put(name, module);
        return module;
    }

    private void checkNew(String name, Object value) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(describe() + ": invalid name '" + name + "' (non-empty, no dots)");
        }
        if (value == null) {
            throw new IllegalArgumentException(describe() + ": '" + name + "' is null");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(describe() + ": name '" + name + "' is already registered");
        }
    }

    /** This module's own parameter {@code name} (not a child's). */
    protected final Tensor parameter(String name) {
        Tensor t = parameters.get(name);
        if (t == null) {
            throw new IllegalArgumentException(describe() + ": no parameter '" + name + "'");
        }
        return t;
    }

    /** This module's own buffer {@code name}. */
    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalArgumentException(describe() + ": no buffer '" + name + "'");
        }
        return t;
    }

    /**
     * Replaces the parameter at a hierarchical name by another leaf tensor of the same shape
     * (the module then uses that very tensor: weight tying, or a gradient check that passes in
     * its own tensors). Unlike {@link #loadStateDict}, nothing is copied.
     */
    public final void setParameter(String dottedName, Tensor tensor) {
        int dot = dottedName.indexOf('.');
        if (dot >= 0) {
            child(dottedName.substring(0, dot)).setParameter(dottedName.substring(dot + 1), tensor);
            return;
        }
        Tensor old = parameter(dottedName);
        if (!Arrays.equals(old.shape(), tensor.shape()) || !tensor.isLeaf()) {
            throw new IllegalArgumentException(describe() + ": setParameter '" + dottedName + "' needs a leaf tensor "
                    + "of shape " + Shape.toString(old.shape()) + ", got " + Shape.toString(tensor.shape()));
        }
        parameters.put(dottedName, tensor);
    }

    /** The direct child {@code name}. */
    public final Module child(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalArgumentException(describe() + ": no child module '" + name + "'");
        }
        return m;
    }

    /** Direct children by name, in registration order (read-only). */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    // ------------------------------------------------------------------ traversal

    /**
     * All parameters of the tree with hierarchical names, e.g. {@code features.0.weight}. A
     * tensor reachable under two names (a shared module, tied weights) is listed once, under
     * its first name, as in PyTorch: an optimiser must not update it twice.
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> all = new LinkedHashMap<>();
        collect("", all, true);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        all.forEach((name, t) -> {
            if (seen.add(t)) {
                out.put(name, t);
            }
        });
        return out;
    }

    /** All buffers of the tree with hierarchical names, e.g. {@code bn.running_mean}. */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params) {
        (params ? parameters : buffers).forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collect(prefix + k + ".", out, params));
    }

    /** All parameters of the tree in name order (the list an optimiser updates). */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Total number of scalar parameters in the tree. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    /** Sets every parameter gradient in the tree to zero. */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    // ------------------------------------------------------------------ train / eval

    /** Training mode for the whole tree (the default). Returns this. */
    public final Module train() {
        return setTraining(true);
    }

    /** Inference mode for the whole tree. Returns this. */
    public final Module eval() {
        return setTraining(false);
    }

    private Module setTraining(boolean flag) {
        training = flag;
        children.values().forEach(m -> m.setTraining(flag));
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters then buffers, by hierarchical name; the live tensors, not copies. Unlike
     * {@link #namedParameters()}, a shared tensor appears under every name (as in PyTorch).
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        collect("", out, false);
        return out;
    }

    /**
     * Copies values into this tree's existing tensors (strict, as PyTorch's default): fails,
     * naming the first offending tensor, if a key is missing, unexpected, or of another shape.
     * Nothing is modified unless every key matches.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        LinkedHashMap<String, Tensor> own = stateDict();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                throw new IllegalArgumentException("loadStateDict: missing key '" + e.getKey() + "' (expected shape "
                        + Shape.toString(e.getValue().shape()) + ")");
            }
            if (!Arrays.equals(given.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict: shape mismatch for '" + e.getKey()
                        + "': model has " + Shape.toString(e.getValue().shape()) + ", state dict has "
                        + Shape.toString(given.shape()));
            }
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (!own.containsKey(e.getKey())) {
                throw new IllegalArgumentException("loadStateDict: unexpected key '" + e.getKey() + "' (shape "
                        + Shape.toString(e.getValue().shape()) + ")");
            }
        }
        own.forEach((k, t) -> System.arraycopy(state.get(k).data(), 0, t.data(), 0, t.numel()));
    }

    // ------------------------------------------------------------------ architecture

    /**
     * A one-line description of this module from which it can be rebuilt, stored in model
     * files and checkpoints: {@code Kind} or {@code Kind(arg,key=value,...)}, containers add
     * {@code [child,child,...]} (grammar and registry: {@code dev.oneshot.nn.persist.Architecture}).
     * The default, the class's simple name, is right for modules without constructor
     * arguments (ReLU, Flatten); layers with arguments override it.
     */
    public String spec() {
        return getClass().getSimpleName();
    }

    // ------------------------------------------------------------------ printing

    /** The arguments shown in {@link #toString()}, e.g. {@code "1, 32, kernel=3"}; empty by default. */
    protected String extraRepr() {
        return "";
    }

    private String describe() {
        return getClass().getSimpleName();
    }

    /**
     * A tree like PyTorch's: one line per leaf module with its parameter count, containers
     * indented, and a total on the last line (see {@link ModulePrinter}).
     */
    @Override
    public String toString() {
        return ModulePrinter.render(this);
    }
}
