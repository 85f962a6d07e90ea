package dev.oneshot.core.kernels;

import java.util.Arrays;

/**
 * The k best entries (lowest key) with <b>distinct labels</b>, kept sorted by (key, row):
 * equal keys are ordered by the lower row index, and a NaN key ranks after every number
 * ({@link Float#compare} order, with −0 folded into +0). When a label is offered again, only
 * its better entry is kept.
 *
 * <p>The result is independent of the order in which entries are offered: an entry that was
 * pushed out by k better labels can never come back, because the bound only improves. That is
 * what lets a scan be split into bands whose partial results are merged ({@link #mergeFrom}).
 *
 * <p>Not thread-safe; reuse one per thread. Nothing is allocated after construction except
 * the per-thread partial results, created once on the first parallel scan.
 */
public final class TopK {
    private final int capacity;
    private final float[] keys;
    private final int[] rows;
    private final int[] labels;
    private int size;
    private TopK[] partials = new TopK[0];

    /** An empty result for the best {@code k} ≥ 1 labels. */
    public TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("TopK: k must be >= 1, got " + k);
        }
        capacity = k;
        keys = new float[k];
        rows = new int[k];
        labels = new int[k];
    }

    public int capacity() {
        return capacity;
    }

    /** Entries held, ≤ capacity (fewer when fewer distinct labels were offered). */
    public int size() {
        return size;
    }

    /** Key of entry i (0 = best). */
    public float key(int i) {
        check(i);
        return keys[i];
    }

    /** Row index of entry i. */
    public int row(int i) {
        check(i);
        return rows[i];
    }

    /** Label of entry i. */
    public int label(int i) {
        check(i);
        return labels[i];
    }

    public void clear() {
        size = 0;
    }

    /** Keys above this cannot enter: the worst key when full, else +∞. */
    public float bound() {
        return size == capacity ? keys[capacity - 1] : Float.POSITIVE_INFINITY;
    }

    /** Offers an entry; returns true if it was kept. */
    public boolean offer(float key, int row, int label) {
        key += 0f; // −0 → +0, so equal distances tie on the row index
        if (size == capacity && !before(key, row, keys[size - 1], rows[size - 1])) {
            return false;
        }
        int same = -1;
        for (int i = 0; i < size; i++) {
            if (labels[i] == label) {
                same = i;
                break;
            }
        }
        if (same >= 0) {
            if (!before(key, row, keys[same], rows[same])) {
                return false;
            }
            removeAt(same);
        } else if (size == capacity) {
            size--; // the worst entry leaves
        }
        int i = size;
        while (i > 0 && before(key, row, keys[i - 1], rows[i - 1])) {
            keys[i] = keys[i - 1];
            rows[i] = rows[i - 1];
            labels[i] = labels[i - 1];
            i--;
        }
        keys[i] = key;
        rows[i] = row;
        labels[i] = label;
        size++;
        return true;
    }

    /** Offers every entry of {@code other} (same result as having offered them here directly). */
    public void mergeFrom(TopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.keys[i], other.rows[i], other.labels[i]);
        }
    }

    /** Partial results for a split scan, created once and reused. */
    TopK[] partials(int parts) {
        if (partials.length < parts) {
            TopK[] grown = Arrays.copyOf(partials, parts);
            for (int p = partials.length; p < parts; p++) {
                grown[p] = new TopK(capacity);
            }
            partials = grown;
        }
        return partials;
    }

    private static boolean before(float key, int row, float otherKey, int otherRow) {
        int c = Float.compare(key, otherKey);
        return c < 0 || (c == 0 && row < otherRow);
    }

    private void removeAt(int i) {
        int tail = size - i - 1;
        System.arraycopy(keys, i + 1, keys, i, tail);
        System.arraycopy(rows, i + 1, rows, i, tail);
        System.arraycopy(labels, i + 1, labels, i, tail);
        size--;
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("TopK: entry " + i + " of " + size);
        }
    }
}
