package dev.oneshot.core.kernels;

import dev.oneshot.core.tensor.BufferPool;

/**
 * Inference only: a 3×3, stride-1, padding-1 convolution, bias (and a batch norm in eval mode),
 * ReLU and 2×2 stride-2 max pooling by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray,
 * 2016). Each pooling window is one 2×2 output tile of the convolution, computed from the 4×4
 * input patch d around it as
 * <pre>  Y = Aᵀ [ Σ_c (G g_fc Gᵀ) ⊙ (Bᵀ d_c B) ] A</pre>
 * with
 * <pre>
 *   Bᵀ = | 1  0 −1  0 |    G = | 1    0    0  |    Aᵀ = | 1  1  1  0 |
 *        | 0  1  1  0 |        | ½    ½    ½  |         | 0  1 −1 −1 |
 *        | 0 −1  1  0 |        | ½   −½    ½  |
 *        | 0  1  0 −1 |        | 0    0    1  |
 * </pre>
 * The sum over channels is, for each of the 16 positions ξ of the 4×4 transformed tile, one
 * matrix product M_ξ [F × T] = U_ξ [F × C] · V_ξ [C × T] over a block of T tiles — 16 products
 * of C multiply-adds per tile and filter instead of the 36 of four direct outputs (2.25× fewer).
 * The tile's four outputs are then biased (and batch-normalised), and the pooled value
 * max(0, max of the four) is written: the full-size convolution output is never built, and a
 * pooling that rounds down (7×7 → 3×3) simply has no tile for the last row and column.
 *
 * <p>Not bit for bit the direct convolution: the transforms add and subtract in another order,
 * so values agree to float rounding (a few units in the last place of the largest term). Used
 * where no gradient is recorded; training uses {@link ConvKernel}, whose backward needs the
 * direct arithmetic. The blocks of tiles are sized by the tile count alone, so the result does not
 * depend on the thread count.
 */
public final class WinogradConv {
    /** Tiles per block at most: the GEMMs' column count (a multiple of the vector kernel's column strip). */
    static final int TILES = 128;

    /**
     * Floats between consecutive ξ planes of V and M beyond their C·T or F·T: with T = 128 the
     * planes would start a power of two apart, and the output pass, which reads all 16 at once,
     * would find them all in the same few cache sets.
     */
    static final int SKEW = 48;

    /** Per thread: [0] the transformed input V [16, C, T] (planes SKEW apart), [1] the products M [16, F, T] (likewise). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private WinogradConv() {
    }

    /**
     * Tiles per block: {@link #TILES}, or for few tiles (a small layer or batch) fewer, down to
     * 32, so that there are about 8 blocks to share between threads. Depends on the tile count
     * alone, never on the thread count.
     */
    static int tilesPerBlock(int tiles) {
        int eighth = (tiles + 7) / 8;
        return Math.max(32, Math.min(TILES, (eighth + 31) / 32 * 32));
    }

    /** Whether this kernel computes {@code g}'s convolution: 3×3, stride 1, padding 1, at least 2×2 output. */
    public static boolean applies(Im2Col.Geometry g) {
        return g.kernelH() == 3 && g.kernelW() == 3 && g.stride() == 1 && g.padding() == 1 && g.height() >= 2
                && g.width() >= 2;
    }

    /**
     * out[n, f, y, x] = max(0, max over the 2×2 window (y, x) of bn(conv(x)[n, f] + b[f])).
     *
     * @param g       one image's geometry ({@link #applies} must hold)
     * @param x       [N, C, H, W]; not modified
     * @param w       [F, C, 3, 3]; not modified
     * @param b       [F] or null
     * @param mean    [F] or null (no batch norm; then scale and shift are null too): each conv
     *                output v (bias included) becomes (v − mean[f])·scale[f] + shift[f]
     * @param out     [N, F, H/2, W/2] (rounded down); every entry written
     */
    public static void forwardReluMaxPool2x2(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w,
                                             float[] b, float[] mean, float[] scale, float[] shift, float[] out) {
        if (!applies(g)) {
            throw new IllegalArgumentException("WinogradConv: needs a 3×3 kernel, stride 1, padding 1 and an image of "
                    + "at least 2×2, got " + g);
        }
        int channels = g.channels();
        int tilesPerImage = (g.height() / 2) * (g.width() / 2);
        int tiles = batch * tilesPerImage;
        if (tiles == 0) {
            return;
        }
        float[] u = transformFilters(w, filters, channels); // from the buffer pool, given back below
        int per = tilesPerBlock(tiles);
        int blocks = (tiles + per - 1) / per;
        int parts = Parallel.threads() < 2 ? 1 : blocks;
        int chunk = (blocks + parts - 1) / parts;
        Parallel.run(parts, part -> {
            for (int blk = part * chunk; blk < Math.min(blocks, (part + 1) * chunk); blk++) {
                int t0 = blk * per;
                int nt = Math.min(per, tiles - t0);
                float[][] s = SCRATCH.get();
                if (s[0].length < 16 * (channels * TILES + SKEW)) {
                    s[0] = new float[16 * (channels * TILES + SKEW)];
                }
                if (s[1].length < 16 * (filters * TILES + SKEW)) {
                    s[1] = new float[16 * (filters * TILES + SKEW)];
                }
                float[] v = s[0];
                float[] m = s[1];
                transformInput(g, x, t0, nt, v);
                for (int xi = 0; xi < 16; xi++) {
                    Gemm.block(false, false, filters, nt, channels, u, xi * filters * channels, v,
                            xi * (channels * nt + SKEW), m, xi * (filters * nt + SKEW), false, 0, filters, 0, nt);
                }
                transformOutput(g, filters, t0, nt, m, b, mean, scale, shift, out);
            }
        });
        BufferPool.give(u);
    }

    /** U_ξ[f, c] = (G g Gᵀ)_ξ for g = w[f, c]: u[ξ·F·C + f·C + c], a buffer-pool array the caller gives back. */
    static float[] transformFilters(float[] w, int filters, int channels) {
        float[] u = BufferPool.floats(16 * filters * channels); // every entry is written
        float[] gg = new float[12]; // G·g, 4 × 3
        int plane = filters * channels;
        for (int f = 0; f < filters; f++) {
            for (int c = 0; c < channels; c++) {
                int o = (f * channels + c) * 9;
                for (int j = 0; j < 3; j++) {
                    float g0 = w[o + j];
                    float g1 = w[o + 3 + j];
                    float g2 = w[o + 6 + j];
                    gg[j] = g0;
                    gg[3 + j] = 0.5f * (g0 + g1 + g2);
                    gg[6 + j] = 0.5f * (g0 - g1 + g2);
                    gg[9 + j] = g2;
                }
                int at = f * channels + c;
                for (int i = 0; i < 4; i++) {
                    float r0 = gg[3 * i];
                    float r1 = gg[3 * i + 1];
                    float r2 = gg[3 * i + 2];
                    u[(4 * i) * plane + at] = r0;
                    u[(4 * i + 1) * plane + at] = 0.5f * (r0 + r1 + r2);
                    u[(4 * i + 2) * plane + at] = 0.5f * (r0 - r1 + r2);
                    u[(4 * i + 3) * plane + at] = r2;
                }
            }
        }
        return u;
    }

    /**
     * V_ξ[c, t] = (Bᵀ d B)_ξ for tiles t0 … t0 + nt − 1 and every channel: v[ξ·C·nt + c·nt + t].
     * Per run of tiles within one image and channel, in two passes: d·B along each tile's four
     * input rows (tile x's columns 2x − 1 … 2x + 2, zero beyond the image: the padding) into
     * rows[4i + j][tile], then Bᵀ· down the columns in one loop over the run's tiles.
     */
    private static void transformInput(Im2Col.Geometry g, float[] x, int t0, int nt, float[] v) {
        int channels = g.channels();
        int h = g.height();
        int wd = g.width();
        int pw = wd / 2;
        int tilesPerImage = (h / 2) * pw;
        int plane = channels * nt + SKEW;
        float[][] rows = rowScratch(tilesPerImage);
        for (int t = 0; t < nt; ) {
            int n = (t0 + t) / tilesPerImage;
            int first = (t0 + t) % tilesPerImage;            // the run: the image's tiles first … first + len − 1
            int len = Math.min(nt - t, tilesPerImage - first);
            for (int c = 0; c < channels; c++) {
                int img = (n * channels + c) * h * wd;
                for (int ty = first / pw; ty <= (first + len - 1) / pw; ty++) {
                    for (int i = 0; i < 4; i++) {
                        rowTransform(x, img, 2 * ty - 1 + i, h, wd, pw, rows, 4 * i, ty * pw);
                    }
                }
                int at = c * nt + t - first;
                for (int j = 0; j < 4; j++) {
                    float[] a0 = rows[j];
                    float[] a1 = rows[4 + j];
                    float[] a2 = rows[8 + j];
                    float[] a3 = rows[12 + j];
                    int o0 = j * plane + at;
                    int o1 = (4 + j) * plane + at;
                    int o2 = (8 + j) * plane + at;
                    int o3 = (12 + j) * plane + at;
                    for (int k = first; k < first + len; k++) {
                        v[o0 + k] = a0[k] - a2[k];
                        v[o1 + k] = a1[k] + a2[k];
                        v[o2 + k] = a2[k] - a1[k];
                        v[o3 + k] = a1[k] - a3[k];
                    }
                }
            }
            t += len;
        }
    }

    /** Per thread: the 16 row-transformed arrays of {@link #transformInput}, one value per tile of an image. */
    private static final ThreadLocal<float[][]> ROWS = ThreadLocal.withInitial(() -> new float[16][0]);

    private static float[][] rowScratch(int tiles) {
        float[][] rows = ROWS.get();
        if (rows[0].length < tiles) {
            for (int i = 0; i < 16; i++) {
                rows[i] = new float[tiles];
            }
        }
        return rows;
    }

    /**
     * d·B along input row yy (zero outside the image) for the pw tiles of a tile row:
     * rows[base + j][at + x] for j = 0 … 3 from columns e0 … e3 = 2x − 1 … 2x + 2:
     * e0 − e2, e1 + e2, e2 − e1, e1 − e3.
     */
    private static void rowTransform(float[] x, int img, int yy, int h, int wd, int pw, float[][] rows, int base,
                                     int at) {
        float[] r0 = rows[base];
        float[] r1 = rows[base + 1];
        float[] r2 = rows[base + 2];
        float[] r3 = rows[base + 3];
        if (yy < 0 || yy >= h) {
            java.util.Arrays.fill(r0, at, at + pw, 0f);
            java.util.Arrays.fill(r1, at, at + pw, 0f);
            java.util.Arrays.fill(r2, at, at + pw, 0f);
            java.util.Arrays.fill(r3, at, at + pw, 0f);
            return;
        }
        int row = img + yy * wd;
        for (int k = 0; k < pw; k++) {
            int col = 2 * k - 1;
            float e0 = k == 0 ? 0f : x[row + col];
            float e1 = x[row + col + 1];
            float e2 = x[row + col + 2];
            float e3 = col + 3 < wd ? x[row + col + 3] : 0f;
            r0[at + k] = e0 - e2;
            r1[at + k] = e1 + e2;
            r2[at + k] = e2 - e1;
            r3[at + k] = e1 - e3;
        }
    }

    /** One filter's run of tiles: Aᵀ M A, bias and batch norm as one affine map, ReLU, the max of the tile's four. */
    interface PooledTiles {
        /**
         * out[dst + k] = max(0, max over the tile's four Y of Y·a + c) for k &lt; len, where
         * Y = Aᵀ M A and M_ξ = m[ξ·plane + at + k].
         */
        void pooled(float[] m, int plane, int at, int len, float a, float c, float[] out, int dst);
    }

    /** The plain-Java {@link PooledTiles}: the formula one tile at a time. */
    static final PooledTiles SCALAR = (m, plane, at, len, a, c, out, dst) -> {
        for (int k = 0; k < len; k++) {
            int q = at + k;
            // Aᵀ·M: rows 0 + 1 + 2 and 1 − 2 − 3, per column; then ·A along the rows
            float s00 = m[q] + m[4 * plane + q] + m[8 * plane + q];
            float s01 = m[plane + q] + m[5 * plane + q] + m[9 * plane + q];
            float s02 = m[2 * plane + q] + m[6 * plane + q] + m[10 * plane + q];
            float s03 = m[3 * plane + q] + m[7 * plane + q] + m[11 * plane + q];
            float s10 = m[4 * plane + q] - m[8 * plane + q] - m[12 * plane + q];
            float s11 = m[5 * plane + q] - m[9 * plane + q] - m[13 * plane + q];
            float s12 = m[6 * plane + q] - m[10 * plane + q] - m[14 * plane + q];
            float s13 = m[7 * plane + q] - m[11 * plane + q] - m[15 * plane + q];
            float y00 = (s00 + s01 + s02) * a + c;
            float y01 = (s01 - s02 - s03) * a + c;
            float y10 = (s10 + s11 + s12) * a + c;
            float y11 = (s11 - s12 - s13) * a + c;
            out[dst + k] = Math.max(0f, Math.max(Math.max(y00, y01), Math.max(y10, y11)));
        }
    };

    private static final PooledTiles VECTOR = VectorSupport.load(PooledTiles.class, "VectorWinograd");

    /** Y = Aᵀ M A per tile and filter, biased, batch-normalised, then max(0, max of the four) into out. */
    private static void transformOutput(Im2Col.Geometry g, int filters, int t0, int nt, float[] m, float[] b,
                                        float[] mean, float[] scale, float[] shift, float[] out) {
        int pw = g.width() / 2;
        int tilesPerImage = (g.height() / 2) * pw;
        int plane = filters * nt + SKEW;
        PooledTiles vector = VectorSupport.ifEnabled(VECTOR);
        PooledTiles kernel = vector != null ? vector : SCALAR;
        for (int t = 0; t < nt; ) { // a run of tiles within one image: consecutive outputs
            int n = (t0 + t) / tilesPerImage;
            int r = (t0 + t) % tilesPerImage;
            int len = Math.min(nt - t, tilesPerImage - r);
            for (int f = 0; f < filters; f++) {
                // (Y + b − μ)·scale + shift as Y·a + c; without a batch norm a = 1 and c = b exactly
                float bias = b == null ? 0f : b[f];
                float a = mean == null ? 1f : scale[f];
                float c = mean == null ? bias : (bias - mean[f]) * scale[f] + shift[f];
                kernel.pooled(m, plane, f * nt + t, len, a, c, out, (n * filters + f) * tilesPerImage + r);
            }
            t += len;
        }
    }
}
