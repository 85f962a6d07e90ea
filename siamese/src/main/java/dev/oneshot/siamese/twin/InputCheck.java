package dev.oneshot.siamese.twin;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Refuses non-finite input at the door: a NaN or ±∞ pixel would otherwise flow through every
 * layer and come out as a NaN embedding (enrolled, or matched at distance NaN) far from its
 * cause. The error names the input, the first bad flat index and, for a batch of images
 * [n, C, H, W], which image, channel, row and column that is.
 */
public final class InputCheck {
    private InputCheck() {
    }

    /**
     * Fails if any value of {@code x} is NaN or infinite.
     *
     * @param what names the input in the message, e.g. {@code "Gallery.enroll('alice'): images"}
     * @throws IllegalArgumentException naming {@code what}, the shape, the value and where it is
     */
    public static void requireFinite(String what, Tensor x) {
        float[] d = x.data();
        int n = x.numel();
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(d[i])) {
                throw new IllegalArgumentException(what + " " + Shape.toString(x.shape()) + " has a non-finite value "
                        + d[i] + " at index " + i + where(x.shape(), i) + "; images must be finite");
            }
        }
    }

    /** Fails if any value of the vector is NaN or infinite, naming {@code what}, the value and its index. */
    public static void requireFinite(String what, float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(what + " (" + v.length + " values) has a non-finite value " + v[i]
                        + " at index " + i);
            }
        }
    }

    /** {@code " (image 1, channel 0, row 3, column 7)"} for a rank-4 batch, else the multi-index. */
    static String where(int[] shape, int flat) {
        int[] idx = new int[shape.length];
        int rest = flat;
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = shape[a] == 0 ? 0 : rest % shape[a];
            rest = shape[a] == 0 ? 0 : rest / shape[a];
        }
        if (shape.length == 4) {
            return " (image " + idx[0] + ", channel " + idx[1] + ", row " + idx[2] + ", column " + idx[3] + ")";
        }
        return " " + java.util.Arrays.toString(idx);
    }
}
