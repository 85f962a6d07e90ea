package dev.oneshot.core.autograd;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.util.List;

/**
 * Where a non-finite value entered a recorded graph: the first tensor, in the order the
 * forward pass computed them, that holds a NaN or ±∞ — either a leaf (a parameter or an input
 * the graph read) or the output of an op whose inputs were all finite.
 *
 * <p>Found on failure only, by walking the graph that is still recorded before
 * {@code backward()} releases it: the happy path pays nothing.
 *
 * @param op       the op that produced the tensor, or the op that read it when {@code leaf}
 * @param leaf     true when the tensor is a leaf (parameter or input), not an op's output
 * @param tensor   the tensor holding the value (compare by identity to name a parameter)
 * @param index    the flat index of the first non-finite value in it
 * @param value    that value (NaN, Infinity or -Infinity)
 * @param position 1-based position of the op in the forward order
 * @param ops      number of ops in the graph
 */
public record NonFiniteOrigin(String op, boolean leaf, Tensor tensor, int index, float value, int position, int ops) {

    /**
     * The origin of the first non-finite value behind {@code root}, or null if every tensor of
     * the graph (leaves included) is finite. The graph must not have been released.
     */
    public static NonFiniteOrigin find(Tensor root) {
        List<Tensor> order = Backprop.topologicalOrder(root);
        for (int k = 0; k < order.size(); k++) {
            Tensor t = order.get(k);
            Node node = t.gradFn();
            for (Tensor in : node.inputs()) {
                if (in != null && in.gradFn() == null) {
                    int bad = firstNonFinite(in);
                    if (bad >= 0) {
                        return new NonFiniteOrigin(node.op(), true, in, bad, in.data()[bad], k + 1, order.size());
                    }
                }
            }
            int bad = firstNonFinite(t);
            if (bad >= 0) {
                return new NonFiniteOrigin(node.op(), false, t, bad, t.data()[bad], k + 1, order.size());
            }
        }
        if (root.gradFn() == null) {
            int bad = firstNonFinite(root);
            return bad < 0 ? null : new NonFiniteOrigin("(none)", true, root, bad, root.data()[bad], 0, 0);
        }
        return null;
    }

    private static int firstNonFinite(Tensor t) {
        float[] d = t.data();
        int n = t.numel();
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(d[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * E.g. {@code "op 'matmul' (5th of 23 ops) output [64, 128] holds Infinity at index 3"} or,
     * for a leaf named {@code leafName} (may be null), {@code "parameter '0.weight' [32, 1, 3, 3]
     * holds NaN at index 0 (read by op 'conv2d', 1st of 23 ops)"}.
     */
    public String describe(String leafName) {
        String at = Shape.toString(tensor.shape()) + " holds " + value + " at index " + index;
        if (leaf) {
            return (leafName != null ? "parameter '" + leafName + "' " : "input ") + at + " (read by op '" + op + "', op "
                    + position + " of " + ops + ")";
        }
        return "op '" + op + "' (op " + position + " of " + ops + ") output " + at;
    }
}
