package dev.oneshot.core.autograd;

import dev.oneshot.core.tensor.BufferPool;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation over the recorded graph.
 *
 * <p>Chain rule, node by node: if out = f(x₁..xₙ) then ∂L/∂xᵢ += ∂L/∂out · ∂f/∂xᵢ. Visiting the
 * nodes in reverse topological order guarantees that ∂L/∂out is complete (every consumer has
 * added its share) before the node passes it on.
 *
 * <p>The topological sort is iterative (an explicit stack, so a 100,000-op chain does not
 * overflow the Java stack) and the visited set compares tensors by identity, never by value.
 */
public final class Backprop {
    private Backprop() {
    }

    /**
     * Back-propagates {@code seed} (∂L/∂root, same shape as root) through the graph behind
     * {@code root}, accumulating into the gradients of every tensor that requires one.
     * Gradients of intermediate (non-leaf) tensors are dropped afterwards unless
     * {@link Tensor#retainGrad()} was called on them; the graph is released.
     */
    public static void run(Tensor root, float[] seed) {
        run(root, seed, false);
    }

    /**
     * {@link #run(Tensor, float[])}; with {@code recycleValues}, afterwards the value storage of
     * every intermediate tensor of the graph that is not retained is given back to the
     * {@link BufferPool} — once per array (a reshape shares its input's storage), and never an
     * array that the root or a leaf of the graph (a parameter, an input) also uses.
     */
    public static void run(Tensor root, float[] seed, boolean recycleValues) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: tensor of shape " + Shape.toString(root.shape())
                    + " does not require a gradient (no input of the ops that made it has requiresGrad set, "
                    + "or it was computed inside Grad.off())");
        }
        if (seed.length != root.numel()) {
            throw new IllegalArgumentException("backward: seed gradient has " + seed.length
                    + " elements but the tensor of shape " + Shape.toString(root.shape()) + " has " + root.numel());
        }
        if (root.gradFn() != null && root.gradFn().isReleased()) {
            throw root.gradFn().releasedError();
        }
        List<Tensor> order = topologicalOrder(root);
        Set<float[]> keep = null;
        if (recycleValues) {
            keep = Collections.newSetFromMap(new IdentityHashMap<>());
            keep.add(root.data());
            for (Tensor t : order) {
                for (Tensor in : t.gradFn().inputs()) {
                    if (in != null && in.gradFn() == null) {
                        keep.add(in.data());
                    }
                }
            }
        }
        float[] rootGrad = root.gradData();
        for (int i = 0; i < seed.length; i++) {
            rootGrad[i] += seed[i];
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Node node = t.gradFn();
            float[] g = t.gradData();
            node.runBackwardAndRelease(g);
            if (!t.retainsGrad()) {
                t.dropGrad();
                BufferPool.give(g); // nothing else holds an intermediate's gradient
            }
        }
        if (keep != null) {
            for (Tensor t : order) {
                if (!t.retainsGrad() && keep.add(t.data())) {
                    BufferPool.give(t.data());
                }
            }
        }
    }

    /** Tensors produced by ops (non-leaves), inputs before the outputs that use them. */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        if (root.gradFn() == null) {
            return order;
        }
        visited.add(root);
        stack.push(new Frame(root));
        while (!stack.isEmpty()) {
            Frame frame = stack.peek();
            Tensor[] inputs = frame.tensor.gradFn().inputs();
            Tensor unvisited = null;
            while (unvisited == null && frame.nextInput < inputs.length) {
                Tensor in = inputs[frame.nextInput++];
                if (in != null && in.gradFn() != null && in.requiresGrad() && visited.add(in)) {
                    if (in.gradFn().isReleased()) {
                        throw in.gradFn().releasedError();
                    }
                    unvisited = in;
                }
            }
            if (unvisited != null) {
                stack.push(new Frame(unvisited));
            } else {
                stack.pop();
                order.add(frame.tensor); // all of its inputs are already in the order
            }
        }
        return order;
    }

    /** A depth-first search frame: a tensor and the index of the next input to visit. */
    private static final class Frame {
        final Tensor tensor;
        int nextInput;

        Frame(Tensor tensor) {
            this.tensor = tensor;
        }
    }
}
