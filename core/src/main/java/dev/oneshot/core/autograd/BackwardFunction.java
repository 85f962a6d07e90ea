package dev.oneshot.core.autograd;

/**
 * The backward half of an op: given ∂L/∂out (same layout as the op's output), add the op's
 * contribution to ∂L/∂input into every input that requires a gradient.
 *
 * <p>Implementations must <b>accumulate</b> ({@code g[i] += ...}), never assign: an input
 * used twice (or a parameter shared by the two towers of a twin network) receives the sum.
 */
@FunctionalInterface
public interface BackwardFunction {
    void backward(float[] gradOutput);
}
