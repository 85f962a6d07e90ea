package dev.oneshot.siamese.gallery;

import java.util.Arrays;

/**
 * Growable row storage for embeddings, in fixed-size chunks so that a million rows of 128
 * floats never need one 512 MB array (and growing never copies old rows). Each row has an
 * int label (the identity's index) and its cached squared norm ‖g‖² for the matrix search
 * form. Not thread-safe: {@link Gallery} guards it with its lock.
 */
final class RowStore {
    /** Rows per chunk: 2¹⁶ rows of 128 floats = 32 MB per chunk. */
    static final int DEFAULT_CHUNK_ROWS = 1 << 16;

    final int dim;
    final int chunkRows;
    float[][] chunks = new float[0][];
    int[][] labels = new int[0][];
    float[][] norms = new float[0][];
    int size;

    RowStore(int dim, int chunkRows) {
        this.dim = dim;
        this.chunkRows = chunkRows;
    }

    RowStore(int dim) {
        this(dim, DEFAULT_CHUNK_ROWS);
    }

    /** Appends a row (copied from {@code src[offset..offset+dim)}) with its label. */
    void add(float[] src, int offset, int label) {
        int c = size / chunkRows;
        int r = size % chunkRows;
        if (c == chunks.length) {
            int rowsInChunk = c == 0 ? Math.min(chunkRows, 64) : chunkRows;
            chunks = Arrays.copyOf(chunks, c + 1);
            labels = Arrays.copyOf(labels, c + 1);
            norms = Arrays.copyOf(norms, c + 1);
            chunks[c] = new float[rowsInChunk * dim];
            labels[c] = new int[rowsInChunk];
            norms[c] = new float[rowsInChunk];
        } else if (r == labels[c].length) { // the first chunk starts small and doubles
            int grown = Math.min(chunkRows, labels[c].length * 2);
            chunks[c] = Arrays.copyOf(chunks[c], grown * dim);
            labels[c] = Arrays.copyOf(labels[c], grown);
            norms[c] = Arrays.copyOf(norms[c], grown);
        }
        System.arraycopy(src, offset, chunks[c], r * dim, dim);
        labels[c][r] = label;
        norms[c][r] = squaredNorm(src, offset, dim);
        size++;
    }

    /** Overwrites row {@code row} (and its norm) with {@code src[offset..offset+dim)}. */
    void set(int row, float[] src, int offset) {
        float[] chunk = chunkOf(row);
        System.arraycopy(src, offset, chunk, offsetOf(row), dim);
        norms[row / chunkRows][row % chunkRows] = squaredNorm(src, offset, dim);
    }

    static float squaredNorm(float[] v, int offset, int dim) {
        float n = 0f;
        for (int t = 0; t < dim; t++) {
            n += v[offset + t] * v[offset + t];
        }
        return n;
    }

    float[] chunkOf(int row) {
        return chunks[row / chunkRows];
    }

    int offsetOf(int row) {
        return (row % chunkRows) * dim;
    }

    int label(int row) {
        return labels[row / chunkRows][row % chunkRows];
    }

    /** Copies row {@code row} into {@code dst[offset..)}. */
    void copyRow(int row, float[] dst, int offset) {
        System.arraycopy(chunkOf(row), offsetOf(row), dst, offset, dim);
    }

    /**
     * A new store without the rows whose label is {@code removed}; labels above it shift down
     * by one (the identity list loses that entry too). Row order is otherwise kept.
     */
    RowStore without(int removed) {
        RowStore out = new RowStore(dim, chunkRows);
        for (int row = 0; row < size; row++) {
            int l = label(row);
            if (l != removed) {
                out.add(chunkOf(row), offsetOf(row), l > removed ? l - 1 : l);
            }
        }
        return out;
    }

    /** All rows as one [size·dim] array (for saving). */
    float[] toArray() {
        float[] out = new float[Math.multiplyExact(size, dim)];
        for (int row = 0; row < size; row++) {
            copyRow(row, out, row * dim);
        }
        return out;
    }

    int[] labelsArray() {
        int[] out = new int[size];
        for (int row = 0; row < size; row++) {
            out[row] = label(row);
        }
        return out;
    }
}
