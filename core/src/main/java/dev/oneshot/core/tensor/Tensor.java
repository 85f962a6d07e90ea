package dev.oneshot.core.tensor;

import dev.oneshot.core.autograd.Backprop;
import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.Elementwise;
import dev.oneshot.core.ops.BinaryOp;
import dev.oneshot.core.ops.Clamp;
import dev.oneshot.core.ops.Concat;
import dev.oneshot.core.ops.Conv2d;
import dev.oneshot.core.ops.Extremum;
import dev.oneshot.core.ops.IndexSelect;
import dev.oneshot.core.ops.L2NormalizeRows;
import dev.oneshot.core.ops.MatMul;
import dev.oneshot.core.ops.MaxPool2d;
import dev.oneshot.core.ops.PairwiseSquaredDistance;
import dev.oneshot.core.ops.Permute;
import dev.oneshot.core.ops.Pow;
import dev.oneshot.core.ops.Reshape;
import dev.oneshot.core.ops.SliceRows;
import dev.oneshot.core.ops.Sum;
import dev.oneshot.core.ops.UnaryOp;

import java.util.Arrays;

/**
 * An n-dimensional float32 array, row-major and contiguous, that can take part in automatic
 * differentiation.
 *
 * <p>Storage is one primitive {@code float[]} plus a shape; element {@code [i, j, k]} of a
 * {@code [A, B, C]} tensor lives at {@code (i·B + j)·C + k}. Every tensor is contiguous, so a
 * {@link #reshape reshape} is a view that shares storage, while {@link #permute permute} and
 * {@link #sliceRows sliceRows} copy (documented on each).
 *
 * <p>This class holds the data, the shape and the autograd state. The ops themselves live one
 * per class in {@code dev.oneshot.core.ops}, each with its forward and backward side by side;
 * the methods here are one-line shortcuts to them so that code reads {@code a.matmul(b).relu()}.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;
    private final Node gradFn;
    private boolean requiresGrad;
    private boolean retainGrad;
    private float[] grad;

    private Tensor(float[] data, int[] shape, Node gradFn, boolean requiresGrad) {
        this.data = data;
        this.shape = shape;
        this.gradFn = gradFn;
        this.requiresGrad = requiresGrad;
    }

    // ------------------------------------------------------------------ construction

    /**
     * Wraps an array without copying it (the tensor and the caller share the storage).
     * The array length must equal the product of the shape.
     */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = Shape.checked("wrap", shape);
        if (data.length != Shape.numel(s)) {
            throw new IllegalArgumentException("wrap: " + data.length + " values do not fill shape "
                    + Shape.toString(s) + " (" + Shape.numel(s) + " elements)");
        }
        return new Tensor(data, s, null, false);
    }

    /** Result of an op that recorded a node; only {@link Node#record} calls this. */
    public static Tensor fromNode(float[] data, int[] shape, Node node) {
        if (node == null) {
            throw new IllegalArgumentException("fromNode: node is null");
        }
        return new Tensor(data, shape, node, true);
    }

    /** A copy of {@code values} with the given shape. */
    public static Tensor fromArray(float[] values, int... shape) {
        return wrap(values.clone(), shape);
    }

    /** A scalar (shape {@code []}). */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0], null, false);
    }

    public static Tensor zeros(int... shape) {
        int[] s = Shape.checked("zeros", shape);
        return new Tensor(new float[Shape.numel(s)], s, null, false);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** 0, 1, ..., n−1 as a 1-D tensor. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start+step, ... (excluding end) as a 1-D tensor. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(start) || !Float.isFinite(end) || !Float.isFinite(step)) {
            throw new IllegalArgumentException("arange: need finite start/end and a non-zero step, got start="
                    + start + " end=" + end + " step=" + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - (double) start) / step));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (start + (double) i * step);
        }
        return new Tensor(v, new int[] {n}, null, false);
    }

    /** The n×n identity matrix. */
    public static Tensor eye(int n) {
        Tensor t = zeros(n, n);
        for (int i = 0; i < n; i++) {
            t.data[i * n + i] = 1f;
        }
        return t;
    }

    /** Standard normal draws N(0, 1) from a generator seeded with {@code seed}. */
    public static Tensor randn(long seed, int... shape) {
        return randn(new SeededRandom(seed), shape);
    }

    /** Standard normal draws N(0, 1), consuming {@code rng}. */
    public static Tensor randn(SeededRandom rng, int... shape) {
        Tensor t = zeros(shape);
        rng.fillGaussian(t.data, 0f, 1f);
        return t;
    }

    /** Uniform draws in [0, 1) from a generator seeded with {@code seed}. */
    public static Tensor rand(long seed, int... shape) {
        return rand(new SeededRandom(seed), shape);
    }

    /** Uniform draws in [0, 1), consuming {@code rng}. */
    public static Tensor rand(SeededRandom rng, int... shape) {
        Tensor t = zeros(shape);
        rng.fillUniform(t.data, 0f, 1f);
        return t;
    }

    // ------------------------------------------------------------------ data and shape

    /** The live row-major storage (not a copy): writes show in the tensor and its views. */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of one axis (negative axes count from the end). */
    public int size(int axis) {
        return shape[Shape.axis("size", axis, shape.length)];
    }

    /** Number of axes (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    /** The element at a full index, e.g. {@code t.get(i, j)}. */
    public float get(int... index) {
        return data[flatIndex(index)];
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shape.toString(shape)
                    + " has " + data.length + " elements, not 1");
        }
        return data[0];
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates but the tensor of shape " + Shape.toString(shape) + " has rank " + shape.length);
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index)
                        + " is out of bounds for shape " + Shape.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /** A copy with its own storage and no graph. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone(), null, false);
    }

    /** The same storage cut off from the graph: no gradient flows through the result. */
    public Tensor detach() {
        return new Tensor(data, shape, null, false);
    }

    // ------------------------------------------------------------------ autograd state

    /** True when gradients flow into this tensor (a parameter, or a result of such). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor (one not produced by a recorded op) as needing a gradient. */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can change the flag; this tensor was "
                    + "produced by '" + gradFn.op() + "' (use detach() for a constant copy)");
        }
        this.requiresGrad = flag;
        return this;
    }

    /** True for tensors not produced by a recorded op (inputs, parameters, constants). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The node that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** Keep this intermediate tensor's gradient after backward (leaves always keep theirs). */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    /** True when backward keeps this tensor's gradient. */
    public boolean retainsGrad() {
        return gradFn == null || retainGrad;
    }

    /** True once a gradient buffer exists (a backward reached this tensor, or gradData() was called). */
    public boolean hasGrad() {
        return grad != null;
    }

    /**
     * ∂L/∂this as a tensor sharing the gradient storage (writes into it change the gradient),
     * or null if none has been accumulated.
     */
    public Tensor grad() {
        return grad == null ? null : new Tensor(grad, shape, null, false);
    }

    /**
     * The gradient buffer, allocated (zeros) on first use. Backward functions add into it;
     * optimisers read it. Same length and layout as {@link #data()}.
     */
    public float[] gradData() {
        if (grad == null) {
            grad = BufferPool.zeroedFloats(data.length);
        }
        return grad;
    }

    /**
     * For a backward function that writes every element of this tensor's gradient: when no
     * gradient buffer exists yet, installs one with undefined contents and returns it, and the
     * caller must then write every element, as {@code 0f + value} (bit for bit what adding into
     * {@link #gradData()}'s zeros gives, −0 included); this saves a zeroing pass over a large
     * buffer. Returns null when a buffer exists: the caller accumulates into {@link #gradData()}.
     */
    public float[] gradDataToOverwrite() {
        if (grad != null) {
            return null;
        }
        grad = BufferPool.floats(data.length);
        return grad;
    }

    /** Sets the accumulated gradient to zero (keeps the buffer). */
    public void zeroGrad() {
        if (grad != null) {
            Elementwise.zero(grad);
        }
    }

    /** Forgets the gradient buffer; used by backward for intermediate tensors. */
    public void dropGrad() {
        grad = null;
    }

    /** Back-propagates from a scalar: ∂L/∂L = 1. */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward(): tensor of shape " + Shape.toString(shape)
                    + " is not a scalar; call backward(seedGradient) with a gradient of that shape");
        }
        Backprop.run(this, new float[] {1f});
    }

    /**
     * {@link #backward()}, then hands the storage of the graph's intermediate tensors (their
     * values, not the root's, not a leaf's, not one marked {@link #retainGrad()}) back to the
     * {@link BufferPool}, so that the next forward pass reuses it instead of allocating. The
     * caller promises not to read any intermediate tensor of this graph — nor a view or
     * {@link #detach() detached} alias of one — afterwards: their storage will be overwritten.
     * The root (this scalar) stays readable.
     */
    public void backwardAndRecycle() {
        if (data.length != 1) {
            throw new IllegalStateException("backwardAndRecycle(): tensor of shape " + Shape.toString(shape)
                    + " is not a scalar");
        }
        Backprop.run(this, new float[] {1f}, true);
    }

    /** Back-propagates a given ∂L/∂this (same shape as this tensor). */
    public void backward(Tensor seedGradient) {
        if (!Arrays.equals(seedGradient.shape, shape)) {
            throw new IllegalArgumentException("backward: seed gradient shape " + Shape.toString(seedGradient.shape)
                    + " differs from the tensor shape " + Shape.toString(shape));
        }
        Backprop.run(this, seedGradient.data);
    }

    // ------------------------------------------------------------------ elementwise (shortcuts)

    public Tensor add(Tensor other) {
        return BinaryOp.ADD.apply(this, other);
    }

    public Tensor sub(Tensor other) {
        return BinaryOp.SUB.apply(this, other);
    }

    public Tensor mul(Tensor other) {
        return BinaryOp.MUL.apply(this, other);
    }

    public Tensor div(Tensor other) {
        return BinaryOp.DIV.apply(this, other);
    }

    public Tensor maximum(Tensor other) {
        return BinaryOp.MAXIMUM.apply(this, other);
    }

    public Tensor minimum(Tensor other) {
        return BinaryOp.MINIMUM.apply(this, other);
    }

    public Tensor add(float c) {
        return add(scalar(c));
    }

    public Tensor sub(float c) {
        return sub(scalar(c));
    }

    public Tensor mul(float c) {
        return mul(scalar(c));
    }

    public Tensor div(float c) {
        return div(scalar(c));
    }

    public Tensor maximum(float c) {
        return maximum(scalar(c));
    }

    public Tensor minimum(float c) {
        return minimum(scalar(c));
    }

    public Tensor neg() {
        return UnaryOp.NEG.apply(this);
    }

    public Tensor exp() {
        return UnaryOp.EXP.apply(this);
    }

    public Tensor log() {
        return UnaryOp.LOG.apply(this);
    }

    public Tensor sqrt() {
        return UnaryOp.SQRT.apply(this);
    }

    public Tensor abs() {
        return UnaryOp.ABS.apply(this);
    }

    public Tensor square() {
        return UnaryOp.SQUARE.apply(this);
    }

    public Tensor relu() {
        return UnaryOp.RELU.apply(this);
    }

    public Tensor sigmoid() {
        return UnaryOp.SIGMOID.apply(this);
    }

    public Tensor tanh() {
        return UnaryOp.TANH.apply(this);
    }

    public Tensor softplus() {
        return UnaryOp.SOFTPLUS.apply(this);
    }

    public Tensor pow(float exponent) {
        return Pow.apply(this, exponent);
    }

    public Tensor clamp(float min, float max) {
        return Clamp.apply(this, min, max);
    }

    // ------------------------------------------------------------------ reductions (shortcuts)

    /** Σ of all elements, as a scalar. */
    public Tensor sum() {
        return Sum.all(this);
    }

    public Tensor sum(int axis, boolean keepDim) {
        return Sum.along(this, axis, keepDim);
    }

    /** Mean of all elements: sum · (1/n). */
    public Tensor mean() {
        return sum().mul(1f / Math.max(1, data.length));
    }

    public Tensor mean(int axis, boolean keepDim) {
        int n = size(axis);
        return sum(axis, keepDim).mul(1f / Math.max(1, n));
    }

    /** Maximum along an axis with the index of each maximum. */
    public Extremum.Result max(int axis, boolean keepDim) {
        return Extremum.max(this, axis, keepDim);
    }

    /** Minimum along an axis with the index of each minimum. */
    public Extremum.Result min(int axis, boolean keepDim) {
        return Extremum.min(this, axis, keepDim);
    }

    // ------------------------------------------------------------------ shape ops (shortcuts)

    /** A view with a new shape sharing this storage; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        return Reshape.apply(this, newShape);
    }

    /** Reorders the axes (copies the data). */
    public Tensor permute(int... axes) {
        return Permute.apply(this, axes);
    }

    /** Swaps two axes (copies the data). */
    public Tensor transpose(int axis0, int axis1) {
        return Permute.transpose(this, axis0, axis1);
    }

    /** Rows [start, end) along axis 0 (copies the data). */
    public Tensor sliceRows(int start, int end) {
        return SliceRows.apply(this, start, end);
    }

    /** Rows {@code indices[0], indices[1], ...} along axis 0 (a row may repeat). */
    public Tensor indexSelect(int[] indices) {
        return IndexSelect.rows(this, indices);
    }

    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, Tensor... parts) {
        return Concat.apply(axis, parts);
    }

    /** Joins same-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        return Concat.stack(axis, parts);
    }

    // ------------------------------------------------------------------ linear algebra and conv (shortcuts)

    /** Matrix product: [m, k]·[k, n] or batched [b, m, k]·[b, k, n]. */
    public Tensor matmul(Tensor other) {
        return MatMul.apply(this, other, false, false);
    }

    /** Matrix product with transpose flags: op(this)·op(other), op(X) = X or Xᵀ, without copying. */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return MatMul.apply(this, other, transposeThis, transposeOther);
    }

    /** [m, n] matrix of ‖aᵢ − bⱼ‖² between the rows of this [m, d] and other [n, d]. */
    public Tensor pairwiseSquaredDistance(Tensor other) {
        return PairwiseSquaredDistance.apply(this, other);
    }

    /** Each row divided by its L2 norm (norm clamped below at eps). */
    public Tensor l2NormalizeRows(float eps) {
        return L2NormalizeRows.apply(this, eps);
    }

    /** 2-D convolution of this [N, C, H, W] with weight [F, C, KH, KW] plus bias [F] (or null), zero padding. */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding) {
        return Conv2d.apply(this, weight, bias, stride, padding);
    }

    /**
     * {@code conv2d(weight, bias, stride, padding).reluMaxPool2d(2, 2)} in one op, bit for bit the
     * same values and gradients, without the full-size conv output (see {@link Conv2d#applyReluMaxPool2x2};
     * when no gradient is recorded a 3×3 conv may run by Winograd, equal to float rounding).
     */
    public Tensor conv2dReluMaxPool2d(Tensor weight, Tensor bias, int stride, int padding) {
        return Conv2d.applyReluMaxPool2x2(this, weight, bias, stride, padding);
    }

    /** 2-D max pooling of this [N, C, H, W] over kernel×kernel windows, no padding. */
    public Tensor maxPool2d(int kernel, int stride) {
        return MaxPool2d.apply(this, kernel, stride);
    }

    /**
     * {@code relu().maxPool2d(kernel, stride)} in one op, bit for bit the same values and
     * gradients: y = max(maxpool(x), 0), ∂L/∂x[argmax] += ∂L/∂y where y &gt; 0.
     */
    public Tensor reluMaxPool2d(int kernel, int stride) {
        return MaxPool2d.applyRelu(this, kernel, stride);
    }

    // ------------------------------------------------------------------ printing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.toString(shape));
        if (requiresGrad) {
            sb.append(gradFn == null ? " requiresGrad" : " gradFn=" + gradFn.op());
        }
        sb.append(' ');
        int limit = Math.min(data.length, 10);
        sb.append('[');
        for (int i = 0; i < limit; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        if (data.length > limit) {
            sb.append(", ... (").append(data.length).append(" values)");
        }
        return sb.append(']').toString();
    }
}
