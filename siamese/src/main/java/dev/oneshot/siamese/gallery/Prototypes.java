package dev.oneshot.siamese.gallery;

import java.util.Arrays;

/**
 * Class-mean prototypes, one row per identity (row = label): the running mean of the
 * identity's embeddings, updated in float as m ← m + (x − m)/count on each enrolment (so
 * replaying the same rows in the same order, as loading does, gives bitwise the same
 * prototypes), and, when the model normalises, that mean re-normalised to unit length.
 */
final class Prototypes {
    private final int dim;
    private final boolean normalized;
    private RowStore means;
    private RowStore unit;
    private int[] counts = new int[16];
    private final float[] tmp;

    Prototypes(int dim, boolean normalized) {
        this.dim = dim;
        this.normalized = normalized;
        this.means = new RowStore(dim);
        this.unit = normalized ? new RowStore(dim) : means;
        this.tmp = new float[dim];
    }

    /** The searched rows: unit means if normalised, else the means. */
    RowStore protos() {
        return unit;
    }

    void add(int label, float[] src, int offset) {
        if (label > means.size) {
            throw new IllegalArgumentException("Gallery: identity " + label + " first appears after identity "
                    + means.size + " has none (rows must follow enrolment order)");
        }
        if (label == means.size) {
            counts = label < counts.length ? counts : Arrays.copyOf(counts, counts.length * 2);
            counts[label] = 1;
            means.add(src, offset, label);
        } else {
            int c = ++counts[label];
            means.copyRow(label, tmp, 0);
            for (int t = 0; t < dim; t++) {
                tmp[t] += (src[offset + t] - tmp[t]) / c;
            }
            means.set(label, tmp, 0);
        }
        if (normalized) {
            means.copyRow(label, tmp, 0);
            double n = Math.sqrt(RowStore.squaredNorm(tmp, 0, dim));
            float inv = (float) (1.0 / Math.max(n, 1e-12));
            for (int t = 0; t < dim; t++) {
                tmp[t] *= inv;
            }
            if (label == unit.size) {
                unit.add(tmp, 0, label);
            } else {
                unit.set(label, tmp, 0);
            }
        }
    }

    void remove(int label) {
        means = means.without(label);
        unit = normalized ? unit.without(label) : means;
        System.arraycopy(counts, label + 1, counts, label, counts.length - label - 1);
    }
}
