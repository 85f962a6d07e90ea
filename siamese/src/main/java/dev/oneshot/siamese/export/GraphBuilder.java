package dev.oneshot.siamese.export;

import dev.oneshot.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the nodes and constants of one ONNX graph while the layers are visited, and tracks
 * the shape of every value so that each layer can check its input the way its Java forward does
 * (and an error names the layer). The batch axis is {@link #BATCH}: the graph declares it by
 * name, so one file takes batches of any size.
 *
 * <p>Constants are registered by name once: the towers of a twin (mirror averaging, the two
 * images of the verification head) refer to the very same initializers, as the Java towers
 * share the very same parameter tensors.
 */
final class GraphBuilder {
    /** The size of the batch axis in a {@link Value}'s dims: chosen by each run. */
    static final int BATCH = -1;

    /** A value of the graph: its name and shape (dims[0] is {@link #BATCH} for activations). */
    record Value(String name, int[] dims) {
        Value {
            dims = dims.clone();
        }

        int rank() {
            return dims.length;
        }

        int dim(int axis) {
            return dims[axis];
        }

        /** {@code [N, 32, 14, 14]}, for messages. */
        String shape() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < dims.length; i++) {
                b.append(i == 0 ? "" : ", ").append(dims[i] == BATCH ? "N" : Integer.toString(dims[i]));
            }
            return b.append(']').toString();
        }
    }

    private final List<Onnx.Node> nodes = new ArrayList<>();
    private final Map<String, Onnx.Initializer> initializers = new LinkedHashMap<>();
    private final Map<String, Tensor> initializerSources = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();

    /** Declares a graph input of the given shape. */
    Value input(String name, int... dims) {
        claim(name);
        return new Value(name, dims);
    }

    /**
     * A float32 constant holding a tensor of the model (a weight, a running statistic) under its
     * state-dict name; asking again for the same name with the same tensor returns the same constant.
     */
    String weight(String name, Tensor t) {
        Tensor known = initializerSources.get(name);
        if (known != null) {
            if (known != t) {
                throw new IllegalStateException("ONNX export: two different tensors are both named '" + name + "'");
            }
            return name;
        }
        claim(name);
        initializerSources.put(name, t);
        initializers.put(name, Onnx.Initializer.floats(name, t.shape(), Arrays.copyOf(t.data(), t.numel())));
        return name;
    }

    /** A float32 constant computed by the exporter (a transposed weight, an ε); same name ⇒ same constant. */
    String floats(String name, int[] dims, float[] values) {
        return constant(Onnx.Initializer.floats(name, dims, values));
    }

    /** An int64 constant (indices, axes); same name ⇒ same constant. */
    String int64s(String name, int[] dims, long[] values) {
        return constant(Onnx.Initializer.int64s(name, dims, values));
    }

    private String constant(Onnx.Initializer c) {
        Onnx.Initializer known = initializers.get(c.name());
        if (known != null) {
            if (!Arrays.equals(known.rawLittleEndian(), c.rawLittleEndian()) || !Arrays.equals(known.dims(), c.dims())) {
                throw new IllegalStateException("ONNX export: two different constants are both named '" + c.name() + "'");
            }
            return c.name();
        }
        claim(c.name());
        initializers.put(c.name(), c);
        return c.name();
    }

    /** Appends the node {@code out = opType(inputs)} and returns its output, of shape {@code outDims}. */
    Value node(String opType, String out, int[] outDims, List<String> inputs, Onnx.Attribute... attributes) {
        claim(out);
        nodes.add(new Onnx.Node(out, opType, inputs, List.of(out), List.of(attributes)));
        return new Value(out, outDims);
    }

    /**
     * The same value under the name {@code name} (a graph output's name): renames the output of
     * the last node when it produced {@code v}, else adds an Identity node.
     */
    Value rename(Value v, String name) {
        if (v.name().equals(name)) {
            return v;
        }
        Onnx.Node last = nodes.isEmpty() ? null : nodes.get(nodes.size() - 1);
        if (last != null && last.outputs().equals(List.of(v.name()))) {
            claim(name);
            nodes.set(nodes.size() - 1, new Onnx.Node(last.name(), last.opType(), last.inputs(), List.of(name),
                    last.attributes()));
            names.remove(v.name());
            return new Value(name, v.dims());
        }
        return node("Identity", name, v.dims(), List.of(v.name()));
    }

    /** The nodes so far, in order. */
    List<Onnx.Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The constants so far, in the order they were registered. */
    List<Onnx.Initializer> initializers() {
        return List.copyOf(initializers.values());
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("ONNX export: the name '" + name + "' is used twice in one graph");
        }
    }
}
