package dev.oneshot.core.tensor;

import java.util.Arrays;

/** Shape arithmetic: element counts, row-major strides, broadcasting, and readable shape strings. */
public final class Shape {
    private Shape() {
    }

    /** Number of elements of a tensor of this shape (1 for a scalar, shape {@code []}). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + toString(shape) + " has " + n
                    + " elements, more than a Java array holds (" + Integer.MAX_VALUE + ")");
        }
        return (int) n;
    }

    /** Row-major strides: the last axis has stride 1. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= shape[i];
        }
        return s;
    }

    /** "[2, 3]" — the format every error message uses. */
    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Checks that every dimension is non-negative; returns a defensive copy. */
    public static int[] checked(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + toString(shape));
            }
        }
        return shape.clone();
    }

    /** Resolves a possibly negative axis (-1 = last) against a rank, or fails naming the op. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /**
     * The numpy broadcast of two shapes: align from the right; each pair of dimensions must be
     * equal or one of them 1.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + toString(a) + " and " + toString(b)
                        + " cannot broadcast (axis " + (i - rank) + ": " + da + " vs " + db + ")");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /**
     * For each element of a tensor of shape {@code to}, the flat index of the element of the
     * broadcast source of shape {@code from} that it reads; {@code null} when the shapes are
     * equal (the identity map). The same map serves backward: summing ∂L/∂out[i] into
     * grad[map[i]] is exactly the reduction over the broadcast axes.
     */
    public static int[] broadcastIndex(int[] from, int[] to) {
        if (Arrays.equals(from, to)) {
            return null;
        }
        int rank = to.length;
        int[] fromStrides = new int[rank];
        int[] fs = strides(from);
        for (int i = 0; i < from.length; i++) {
            int axis = i + rank - from.length;
            fromStrides[axis] = from[i] == 1 ? 0 : fs[i];
        }
        int n = numel(to);
        int[] map = new int[n];
        int[] counter = new int[rank];
        int idx = 0;
        for (int i = 0; i < n; i++) {
            map[i] = idx;
            for (int axis = rank - 1; axis >= 0; axis--) {
                counter[axis]++;
                idx += fromStrides[axis];
                if (counter[axis] < to[axis]) {
                    break;
                }
                idx -= fromStrides[axis] * to[axis];
                counter[axis] = 0;
            }
        }
        return map;
    }
}
