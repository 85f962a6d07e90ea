package dev.oneshot.core.autograd;

import dev.oneshot.core.tensor.Tensor;

/**
 * One recorded op in the graph: the op's name, its inputs and its backward function.
 *
 * <p>An op computes its value, then calls {@link #record} with a {@link BackwardFunction}
 * closure written right beside the forward code (micrograd style). The closure captures what
 * the backward needs (inputs, saved outputs, indices). After {@code backward()} has run
 * through a node it is <em>released</em>: the closure and the inputs are dropped so the
 * memory of the graph can be reclaimed, and a second backward through it fails clearly.
 */
public final class Node {
    private final String op;
    private Tensor[] inputs;
    private BackwardFunction backward;

    private Node(String op, Tensor[] inputs, BackwardFunction backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    /**
     * Wraps an op's output. When grad mode is on and any input requires a gradient, the result
     * remembers {@code backward} and its inputs; otherwise it is a plain constant tensor and
     * the closure is dropped at once.
     *
     * @param op       op name, used in error messages ("matmul", "conv2d", ...)
     * @param data     the output values (row-major; not copied)
     * @param shape    the output shape (not copied)
     * @param backward the op's backward, accumulating into its inputs' gradients
     * @param inputs   the op's tensor inputs
     */
    public static Tensor record(String op, float[] data, int[] shape, BackwardFunction backward, Tensor... inputs) {
        if (!Grad.isEnabled() || !anyRequiresGrad(inputs)) {
            return Tensor.wrap(data, shape);
        }
        return Tensor.fromNode(data, shape, new Node(op, inputs.clone(), backward));
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** The op's name. */
    public String op() {
        return op;
    }

    /** The op's inputs, or an empty array once released. Entries may be null (optional inputs). */
    public Tensor[] inputs() {
        return inputs == null ? new Tensor[0] : inputs;
    }

    /** True once backward has run through this node and dropped its saved state. */
    public boolean isReleased() {
        return backward == null;
    }

    /** The error for a backward through this node after it was released. */
    IllegalStateException releasedError() {
        return new IllegalStateException(op + ": backward through a graph that was already released by an "
                + "earlier backward(); run the forward pass again (each forward supports one backward)");
    }

    /** Runs the op's backward with ∂L/∂out, then releases the node. */
    void runBackwardAndRelease(float[] gradOutput) {
        if (backward == null) {
            throw releasedError();
        }
        BackwardFunction fn = backward;
        backward = null;
        inputs = null;
        fn.backward(gradOutput);
    }
}
