package dev.oneshot.core.kernels;

import dev.oneshot.core.tensor.BufferPool;

/**
 * The batch loops of a 2-D convolution by im2col + GEMM (the maths and the gradient formulas
 * are in {@code dev.oneshot.core.ops.Conv2d}). Images are independent, so the batch is split
 * between threads — a few large pieces of work instead of one small, barely parallel GEMM
 * per image — and each thread keeps its own im2col scratch buffer across calls.
 *
 * <p><b>Determinism.</b> Every output and every ∂x element is computed by one thread exactly as
 * on one thread. ∂W, the only sum over images, is accumulated per fixed group of
 * {@link #GROUP} consecutive images (in image order) and the group partials are then added
 * to ∂W in group order; the grouping does not depend on the thread count, so ∂W is bitwise
 * the same for 1, 2, ... threads.
 */
public final class ConvKernel {
    /** Images per ∂W partial sum. */
    static final int GROUP = 8;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private ConvKernel() {
    }

    /** This thread's scratch buffer of at least {@code size} floats (contents undefined). */
    private static float[] scratch(int size) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    /**
     * y_n = W·im2col(x_n) + b for every image n.
     *
     * @param g       geometry of one image
     * @param batch   N
     * @param filters F
     * @param x       [N, C, H, W]; not modified
     * @param w       [F, C·KH·KW]; not modified
     * @param b       [F] or null; not modified
     * @param out     [N, F, OH·OW]; modified (every entry written)
     */
    public static void forward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] b,
                               float[] out) {
        int k = g.patchSize();
        int p = g.outPixels();
        int imageSize = g.imageSize();
        int parts = Math.min(Parallel.threads(), batch);
        if (parts < 2) {
            // one image or one thread: one GEMM per image (Gemm may still split a large one)
            float[] cols = scratch(k * p);
            for (int n = 0; n < batch; n++) {
                Im2Col.im2col(g, x, n * imageSize, cols, 0);
                Gemm.multiply(false, false, filters, p, k, w, 0, cols, 0, out, n * filters * p, false);
                addBias(b, out, n, filters, p);
            }
            return;
        }
        int chunk = (batch + parts - 1) / parts;
        Parallel.run(parts, part -> {
            float[] cols = scratch(k * p);
            for (int n = part * chunk; n < Math.min(batch, (part + 1) * chunk); n++) {
                Im2Col.im2col(g, x, n * imageSize, cols, 0);
                Gemm.block(false, false, filters, p, k, w, 0, cols, 0, out, n * filters * p, false,
                        0, filters, 0, p);
                addBias(b, out, n, filters, p);
            }
        });
    }

    private static void addBias(float[] b, float[] out, int n, int filters, int p) {
        if (b == null) {
            return;
        }
        for (int f = 0; f < filters; f++) {
            int row = (n * filters + f) * p;
            float bf = b[f];
            for (int q = 0; q < p; q++) {
                out[row + q] += bf;
            }
        }
    }

    /**
     * ∂W += Σ_n G_n·im2col(x_n)ᵀ and ∂x_n += col2im(Wᵀ·G_n) for every image n (either may be
     * skipped by passing null). ∂b is left to the caller.
     *
     * @param gy [N, F, OH·OW], ∂L/∂y; not modified
     * @param gw [F, C·KH·KW] or null; accumulated into
     * @param gx [N, C, H, W] or null; accumulated into
     */
    public static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] gy,
                                float[] gw, float[] gx) {
        if (gw == null && gx == null) {
            return;
        }
        int k = g.patchSize();
        int p = g.outPixels();
        int imageSize = g.imageSize();
        int groups = (batch + GROUP - 1) / GROUP;
        // every partial is first written with accumulate = false (its group's first image)
        float[] partials = gw == null ? null : BufferPool.floats(groups * filters * k);
        int parts = Math.min(Parallel.threads(), groups);
        int chunk = (groups + parts - 1) / parts; // groups per part
        // The GEMM's SIMD loop runs along C's rows: when the patch is shorter than the filter
        // count (a first layer, K = C·3·3 = 9 against F = 32), compute ∂Wᵀ [K, F] instead of
        // ∂W [F, K] so that loop is F long rather than a mostly scalar 9.
        boolean transposed = k < filters;
        Parallel.run(parts, part -> {
            float[] scratch = scratch(k * p); // cols_n, then ∂cols_n
            for (int grp = part * chunk; grp < Math.min(groups, (part + 1) * chunk); grp++) {
                for (int n = grp * GROUP; n < Math.min(batch, (grp + 1) * GROUP); n++) {
                    int gOff = n * filters * p;
                    if (gw != null) {
                        Im2Col.im2col(g, x, n * imageSize, scratch, 0);
                        if (transposed) { // partialᵀ [K, F] += cols_n [K, P] · G_nᵀ [P, F]
                            Gemm.block(false, true, k, filters, p, scratch, 0, gy, gOff,
                                    partials, grp * filters * k, n > grp * GROUP, 0, k, 0, filters);
                        } else {          // partial [F, K] += G_n [F, P] · cols_nᵀ [P, K]
                            Gemm.block(false, true, filters, k, p, gy, gOff, scratch, 0,
                                    partials, grp * filters * k, n > grp * GROUP, 0, filters, 0, k);
                        }
                    }
                    if (gx != null) { // ∂cols_n [K, P] = Wᵀ [K, F] · G_n [F, P], scatter-added into ∂x_n
                        Gemm.block(true, false, k, p, filters, w, 0, gy, gOff, scratch, 0, false,
                                0, k, 0, p);
                        Im2Col.col2im(g, scratch, 0, gx, n * imageSize);
                    }
                }
            }
        });
        if (gw != null) {
            for (int grp = 0; grp < groups; grp++) {
                int off = grp * filters * k;
                if (transposed) {
                    for (int f = 0; f < filters; f++) {
                        for (int kk = 0; kk < k; kk++) {
                            gw[f * k + kk] += partials[off + kk * filters + f];
                        }
                    }
                } else {
                    for (int i = 0; i < filters * k; i++) {
                        gw[i] += partials[off + i];
                    }
                }
            }
            BufferPool.give(partials);
        }
    }
}
