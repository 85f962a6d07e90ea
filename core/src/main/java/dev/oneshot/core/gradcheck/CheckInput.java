package dev.oneshot.core.gradcheck;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * One input of an {@link OpCheck}, as data: which {@link KinkFreeInputs} family its values come
 * from, the seed and the shape. {@link #create()} builds a fresh leaf (requiresGrad set) each
 * call, so a row can be run any number of times without state leaking between runs.
 */
public final class CheckInput {
    /** The value family: the {@link KinkFreeInputs} method that fills the tensor. */
    public enum Values {
        /** {@link KinkFreeInputs#away}: magnitudes in [0.2, 1.5], random signs. */
        AWAY,
        /** {@link KinkFreeInputs#positive}: values in [0.5, 2]. */
        POSITIVE,
        /** {@link KinkFreeInputs#distinct}: a shuffled grid of spacing 0.1 shifted by an offset. */
        DISTINCT
    }

    private final Values values;
    private final long seed;
    private final float offset;
    private final int[] shape;

    private CheckInput(Values values, long seed, float offset, int[] shape) {
        this.values = values;
        this.seed = seed;
        this.offset = offset;
        this.shape = shape.clone();
    }

    /** Values away from 0, for ops with a kink or pole there. */
    public static CheckInput away(long seed, int... shape) {
        return new CheckInput(Values.AWAY, seed, 0f, shape);
    }

    /** Positive values, for log, sqrt, division and negative powers. */
    public static CheckInput positive(long seed, int... shape) {
        return new CheckInput(Values.POSITIVE, seed, 0f, shape);
    }

    /** Pairwise distinct values (no ties within the step), for max, min, pooling and clamp. */
    public static CheckInput distinct(long seed, float offset, int... shape) {
        return new CheckInput(Values.DISTINCT, seed, offset, shape);
    }

    public Values values() {
        return values;
    }

    public long seed() {
        return seed;
    }

    /** The grid offset of {@link Values#DISTINCT}; 0 for the other families. */
    public float offset() {
        return offset;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** A fresh leaf tensor with these values and {@code requiresGrad} set. */
    public Tensor create() {
        return switch (values) {
            case AWAY -> KinkFreeInputs.away(seed, shape);
            case POSITIVE -> KinkFreeInputs.positive(seed, shape);
            case DISTINCT -> KinkFreeInputs.distinct(seed, offset, shape);
        };
    }

    /** E.g. {@code away#20[2, 3]}. */
    @Override
    public String toString() {
        return values.name().toLowerCase(java.util.Locale.ROOT) + "#" + seed + Shape.toString(shape);
    }
}
