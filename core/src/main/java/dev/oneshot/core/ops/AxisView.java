package dev.oneshot.core.ops;

/**
 * A tensor seen as [outer, n, inner] around one axis: element (o, k, j) is at
 * (o·n + k)·inner + j. Reductions and concatenation along an axis walk this view.
 */
final class AxisView {
    final int outer;
    final int n;
    final int inner;

    private AxisView(int outer, int n, int inner) {
        this.outer = outer;
        this.n = n;
        this.inner = inner;
    }

    static AxisView of(int[] shape, int axis) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return new AxisView(outer, shape[axis], inner);
    }

    /** The shape after reducing {@code axis}: size 1 with keepDim, removed otherwise. */
    int[] reducedShape(int[] shape, int axis, boolean keepDim) {
        if (keepDim) {
            int[] s = shape.clone();
            s[axis] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                s[j++] = shape[i];
            }
        }
        return s;
    }
}
