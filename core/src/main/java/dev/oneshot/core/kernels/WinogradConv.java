package dev.oneshot.core.kernels;

import dev.oneshot.core.tensor.BufferPool;

/**
 * A 3×3, stride-1, padding-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and
 * Gray, 2016): each 2×2 output tile is computed from the 4×4 input patch d around it as
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
 *
 * <p>Inference ({@link #forwardReluMaxPool2x2}): with bias, a batch norm in eval mode, ReLU and
 * 2×2 stride-2 max pooling, each pooling window is one tile; its four outputs are biased (and
 * batch-normalised) and only max(0, max of the four) is written — the full-size convolution
 * output is never built, and a pooling that rounds down (7×7 → 3×3) has no tile for the last row
 * and column. Training ({@link #forward}, {@link #backward}): the full output, and the gradients
 * by the transposed transforms in reverse order.
 *
 * <p>Not bit for bit the direct convolution ({@link ConvKernel}): the transforms add and subtract
 * in another order, so values agree to float rounding (a few units in the last place of the
 * largest term). The blocks of tiles are sized by the tile count alone, so the result does not
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
        check(g);
        int th = g.height() / 2;
        int tw = g.width() / 2;
        forEachBlock(g, th, tw, batch, filters, x, w, (t0, nt, m) ->
                transformOutput(g, filters, t0, nt, m, b, mean, scale, shift, out));
    }

    /** What a forward does with a block's products M (tiles t0 … t0 + nt − 1). */
    @FunctionalInterface
    private interface BlockOutput {
        void write(int t0, int nt, float[] m);
    }

    /**
     * The forwards' loop: the filters transformed once, then blocks of {@link #tilesPerBlock} tiles
     * (of th × tw per image) shared between threads, each block's products M handed to {@code output}.
     */
    private static void forEachBlock(Im2Col.Geometry g, int th, int tw, int batch, int filters, float[] x,
                                     float[] w, BlockOutput output) {
        int tiles = batch * th * tw;
        if (tiles == 0) {
            return;
        }
        float[] u = transformFilters(w, filters, g.channels()); // from the buffer pool, given back below
        Packed packed = Packed.of(u, false, filters, g.channels());
        int per = tilesPerBlock(tiles);
        int blocks = (tiles + per - 1) / per;
        int parts = Parallel.threads() < 2 ? 1 : blocks;
        int chunk = (blocks + parts - 1) / parts;
        Parallel.run(parts, part -> {
            for (int blk = part * chunk; blk < Math.min(blocks, (part + 1) * chunk); blk++) {
                int t0 = blk * per;
                int nt = Math.min(per, tiles - t0);
                output.write(t0, nt, products(g, th, tw, filters, x, u, packed, t0, nt));
            }
        });
        BufferPool.give(u);
        if (packed != null) {
            BufferPool.give(packed.panels);
        }
    }

    /**
     * The sixteen U_ξ (or U_ξᵀ) packed once for the GEMM kernel, so that the blocks' products do
     * not pack them again (bit for bit the same products).
     */
    private record Packed(GemmPath kernel, float[] panels, int size) {
        /** Null when the kernel in use does not pre-pack. */
        static Packed of(float[] u, boolean transpose, int filters, int channels) {
            GemmPath kernel = Gemm.prepacking();
            if (kernel == null) {
                return null;
            }
            int m = transpose ? channels : filters;
            int k = transpose ? filters : channels;
            int size = kernel.packedASize(m, k);
            float[] panels = BufferPool.floats(16 * size); // each ξ's part written whole
            int parts = Parallel.threads() < 2 || m * k < FILTER_SPLIT_MIN ? 1 : Math.min(Parallel.threads(), 16);
            int chunk = (16 + parts - 1) / parts;
            Parallel.run(parts, part -> {
                for (int xi = part * chunk; xi < Math.min(16, (part + 1) * chunk); xi++) {
                    kernel.packA(transpose, m, k, u, xi * filters * channels, panels, xi * size);
                }
            });
            return new Packed(kernel, panels, size);
        }

        /** Columns [0, n) of C_ξ = op(U_ξ)·B (B [k × n] from bOffset, C from cOffset). */
        void product(int xi, int m, int n, int k, float[] b, int bOffset, float[] c, int cOffset) {
            kernel.computePackedA(panels, xi * size, false, m, n, k, b, bOffset, c, cOffset, false, 0, n);
        }
    }

    /** This thread's scratch V [16, C, nt] and M [16, F, nt] (each plane {@link #SKEW} floats longer), grown on demand. */
    private static float[][] scratch(int channels, int filters, int nt) {
        float[][] s = SCRATCH.get();
        int tiles = Math.max(TILES, nt);
        if (s[0].length < 16 * (channels * tiles + SKEW)) {
            s[0] = new float[16 * (channels * tiles + SKEW)];
        }
        if (s[1].length < 16 * (filters * tiles + SKEW)) {
            s[1] = new float[16 * (filters * tiles + SKEW)];
        }
        return s;
    }

    /**
     * M_ξ = U_ξ · V_ξ for tiles t0 … t0 + nt − 1 of a th × tw grid per image: the input
     * transform, then the 16 GEMMs. Returns this thread's M scratch (V is overwritten).
     */
    private static float[] products(Im2Col.Geometry g, int th, int tw, int filters, float[] x, float[] u,
                                    Packed packed, int t0, int nt) {
        int channels = g.channels();
        float[][] s = scratch(channels, filters, nt);
        float[] v = s[0];
        float[] m = s[1];
        transformInput(g, th, tw, x, t0, nt, v);
        for (int xi = 0; xi < 16; xi++) {
            if (packed != null) {
                packed.product(xi, filters, nt, channels, v, xi * (channels * nt + SKEW), m,
                        xi * (filters * nt + SKEW));
            } else {
                Gemm.block(false, false, filters, nt, channels, u, xi * filters * channels, v,
                        xi * (channels * nt + SKEW), m, xi * (filters * nt + SKEW), false, 0, filters, 0, nt);
            }
        }
        return m;
    }

    /**
     * Tiles of the images that fix {@link #backward}'s ∂W groups (whole images, at least one; see
     * {@link #GROUP_IMAGES}): 5 images at 14×14 (245 tiles), 16 at 7×7. The groups, not the
     * blocks a group is computed in, set the order of ∂W's sums.
     */
    static final int BACKWARD_TILES = 256;

    /**
     * Tiles per block of {@link #backward} at least, unless a group holds fewer: a block's V and
     * M (16 planes of C·T and F·T floats each, 1 MB at C = F = 64 and T = 128) stay in L2.
     */
    static final int BLOCK_MIN_TILES = 128;

    /** The micro-kernel's strip of columns (32 with AVX-512; a multiple of the 16 of AVX2). */
    private static final int STRIP = 32;

    /**
     * Images per block of {@link #backward}, within a group of {@code perGroup}: whole images of
     * {@link #BLOCK_MIN_TILES} to {@link #BACKWARD_TILES} tiles (or the whole group) whose last
     * strip of ∂V's product is the fullest, the smaller block on a tie — 5 images at 14×14 (245
     * tiles leave 11 of 8 strips' 256 columns unused, 3 images 13 of 160, 4 images 28 of 224), 8
     * at 7×7 (128 tiles, none unused).
     * ∂U's products continue the same fused multiply-add chain from block to block, so the split
     * never changes a bit.
     */
    static int imagesPerBlock(int tilesPerImage, int perGroup) {
        int best = perGroup;
        int bestWaste = Integer.MAX_VALUE;
        for (int k = 1; k <= perGroup; k++) {
            int tiles = k * tilesPerImage;
            if ((tiles < BLOCK_MIN_TILES && k < perGroup) || (tiles > BACKWARD_TILES && k > 1)) {
                continue;
            }
            int waste = (STRIP - tiles % STRIP) % STRIP;
            if (waste < bestWaste) {
                best = k;
                bestWaste = waste;
            }
        }
        return best;
    }

    /**
     * Images per ∂W partial of {@link #backward} at least (as {@link ConvKernel}'s groups), unless
     * {@link #BACKWARD_TILES} hold half as many images or more: then a group is those images.
     */
    static final int GROUP_IMAGES = 8;

    /**
     * Training forward: y[n, f] = conv(x)[n, f] + b[f] at full size, each 2×2 output tile by
     * F(2×2, 3×3). An odd-sized output's last tiles stick out by a row or column, whose values
     * are computed and dropped. Values equal {@link ConvKernel#forward}'s to float rounding.
     *
     * @param x   [N, C, H, W]; not modified
     * @param w   [F, C, 3, 3]; not modified
     * @param b   [F] or null
     * @param out [N, F, H, W]; every entry written
     */
    public static void forward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] b,
                               float[] out) {
        check(g);
        int th = (g.height() + 1) / 2;
        int tw = (g.width() + 1) / 2;
        forEachBlock(g, th, tw, batch, filters, x, w, (t0, nt, m) ->
                fullOutput(g, th, tw, filters, t0, nt, m, b, out));
    }

    /**
     * Training forward of conv, ReLU and 2×2 max pooling in one pass: the outputs and arg-max of
     * {@link #forward} followed by {@link Pooling#maxForward(float[], int, int, int, int, int, float[], int[], boolean)}
     * with the ReLU, bit for bit, without the full-size conv output — each pooling window is one
     * tile, whose four outputs (biased) go straight to {@link Pooling#reluMaxOfQuarters}. A pooling
     * that rounds down (7×7 → 3×3) has no tile for the last row and column.
     *
     * @param out    [N, F, H/2, W/2]; every entry written
     * @param argmax [N, F, H/2, W/2]: each window's winner as a flat index into [N, F, H, W]
     */
    public static void forwardReluMaxPool2x2Training(Im2Col.Geometry g, int batch, int filters, float[] x,
                                                     float[] w, float[] b, float[] out, int[] argmax) {
        check(g);
        int th = g.height() / 2;
        int tw = g.width() / 2;
        forEachBlock(g, th, tw, batch, filters, x, w, (t0, nt, m) ->
                pooledOutput(g, filters, t0, nt, m, b, out, argmax));
    }

    /** Per run of tiles within an image and filter: Y = Aᵀ M A + b in quarters, then pooled with the arg-max. */
    private static void pooledOutput(Im2Col.Geometry g, int filters, int t0, int nt, float[] m, float[] b,
                                     float[] out, int[] argmax) {
        int wd = g.width();
        int tw = wd / 2;
        int tilesPerImage = (g.height() / 2) * tw;
        int plane = filters * nt + SKEW;
        int hw = g.height() * wd;
        WinogradLoops loops = loops();
        float[] y = lines(4 * nt)[0]; // a run's four quarters, nt apart
        int[] corner = CORNERS.get();
        if (corner.length < nt) {
            corner = new int[Math.max(nt, TILES)];
            CORNERS.set(corner);
        }
        for (int t = 0; t < nt; ) {
            int n = (t0 + t) / tilesPerImage;
            int r = (t0 + t) % tilesPerImage;
            int len = Math.min(nt - t, tilesPerImage - r);
            for (int k = 0; k < len; k++) { // window r + k's top-left element in its plane
                corner[k] = 2 * ((r + k) / tw) * wd + 2 * ((r + k) % tw);
            }
            for (int f = 0; f < filters; f++) {
                loops.outputTiles(m, f * nt + t, plane, b == null ? 0f : b[f], y, nt, 0, len);
                int p = n * filters + f;
                // y + 0 in the pooling: only a −0 becomes +0, which ties with it and pools to +0 either way
                Pooling.reluMaxOfQuarters(y, 0, len, nt, 0f, out, p * tilesPerImage + r, argmax, corner, p * hw, wd);
            }
            t += len;
        }
    }

    /** Per thread: the window corners of a run ({@link #pooledOutput}). */
    private static final ThreadLocal<int[]> CORNERS = ThreadLocal.withInitial(() -> new int[TILES]);

    /**
     * Y = Aᵀ M A + b per tile and filter, written where the tile lies inside the output: per run
     * of tiles within an image, the four outputs of every tile in one loop over the run (into
     * lines indexed by tile), then spread to the output's rows 2y and 2y + 1.
     */
    private static void fullOutput(Im2Col.Geometry g, int th, int tw, int filters, int t0, int nt, float[] m,
                                   float[] b, float[] out) {
        int h = g.height();
        int wd = g.width();
        int tilesPerImage = th * tw;
        int plane = filters * nt + SKEW;
        float[] y = lines(4 * tilesPerImage)[0]; // the four quarters of every tile of a run, tilesPerImage apart
        int q = tilesPerImage;
        WinogradLoops loops = loops();
        for (int t = 0; t < nt; ) {
            int n = (t0 + t) / tilesPerImage;
            int first = (t0 + t) % tilesPerImage;
            int len = Math.min(nt - t, tilesPerImage - first);
            for (int f = 0; f < filters; f++) {
                float bias = b == null ? 0f : b[f];
                // m index of the image's tile 0
                loops.outputTiles(m, f * nt + t - first, plane, bias, y, q, first, first + len);
                int img = (n * filters + f) * h * wd;
                for (int ty = first / tw; ty <= (first + len - 1) / tw; ty++) {
                    int from = Math.max(first, ty * tw);
                    int to = Math.min(first + len, (ty + 1) * tw);
                    int row = img + 2 * ty * wd - 2 * ty * tw; // + 2k: tile k's left column in row 2y
                    boolean below = 2 * ty + 1 < h;
                    int whole = Math.min(to, ty * tw + wd / 2); // tiles with both columns inside
                    for (int k = from; k < whole; k++) {
                        out[row + 2 * k] = y[k];
                        out[row + 2 * k + 1] = y[q + k];
                    }
                    if (whole < to) {
                        out[row + 2 * whole] = y[whole];
                    }
                    if (below) {
                        for (int k = from; k < whole; k++) {
                            out[row + wd + 2 * k] = y[2 * q + k];
                            out[row + wd + 2 * k + 1] = y[3 * q + k];
                        }
                        if (whole < to) {
                            out[row + wd + 2 * whole] = y[2 * q + whole];
                        }
                    }
                }
            }
            t += len;
        }
    }

    /**
     * Backward of {@link #forward}: with ∂M = A ∂Y Aᵀ per output tile (∂Y zero outside the output),
     * <pre>  ∂U_ξ = Σ_tiles ∂M_ξ · V_ξᵀ,   ∂w = Gᵀ ∂U G
     *   ∂V_ξ = U_ξᵀ · ∂M_ξ,          ∂d = B ∂V Bᵀ, added into the 4×4 input patch of each tile</pre>
     * (each transform's transpose, in reverse order). Blocks hold whole images, so each image's
     * ∂x is summed by one thread; ∂W is summed per fixed group of images and the groups added in
     * order — the same bits for any thread count. ∂b is left to the caller.
     *
     * @param gy [N, F, H, W], ∂L/∂y; not modified
     * @param gw [F, C, 3, 3] or null; accumulated into
     * @param gx [N, C, H, W] or null; accumulated into, or with {@code gxOverwrite} overwritten
     */
    public static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] gy,
                                float[] gw, float[] gx, boolean gxOverwrite) {
        backward(g, batch, filters, x, w, gy, gw, gx, gxOverwrite, null);
    }

    /**
     * {@link #backward(Im2Col.Geometry, int, int, float[], float[], float[], float[], float[], boolean)}
     * and, with gb, {@link ConvKernel#biasBackward} bit for bit — each plane of ∂L/∂y summed as its
     * tiles' ∂Y are gathered from it (in cache), instead of another pass over ∂L/∂y.
     *
     * @param gb [F] or null; accumulated into
     */
    public static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] gy,
                                float[] gw, float[] gx, boolean gxOverwrite, float[] gb) {
        check(g);
        if (batch == 0 || (gw == null && gx == null && gb == null)) {
            return;
        }
        backward(g, batch, filters, x, w, gy, null, gw, gx, gxOverwrite, gb, 0);
    }

    /**
     * {@link #backward(Im2Col.Geometry, int, int, float[], float[], float[], float[], float[], boolean, float[])}
     * in blocks of {@code imagesPerBlock} images (at most a group's) instead of
     * {@link #imagesPerBlock}'s: the same bits, for the tests that show it.
     */
    static void backwardInBlocksOf(int imagesPerBlock, Im2Col.Geometry g, int batch, int filters, float[] x,
                                   float[] w, float[] gy, float[] gw, float[] gx, boolean gxOverwrite, float[] gb) {
        check(g);
        backward(g, batch, filters, x, w, gy, null, gw, gx, gxOverwrite, gb, imagesPerBlock);
    }

    /**
     * The backward of {@link #forwardReluMaxPool2x2Training} from the pooled gradient: bit for bit
     * {@link Pooling#maxBackward(float[], int[], float[], int, boolean, float[])} (with the ReLU mask)
     * into a zeroed ∂L/∂y, then {@link #backward} and {@link ConvKernel#biasBackward} — without
     * that full-size ∂L/∂y: each image and filter's plane of it is built in a scratch line (in
     * cache) just before its tiles' ∂Y are gathered from it, and its sum kept for ∂b.
     *
     * @param gPooled ∂L/∂z [N, F, H/2, W/2]; not modified
     * @param argmax  the forward's arg-max (flat indices into [N, F, H, W])
     * @param pooled  z, the forward's output (the ReLU mask)
     * @param gb      [F] or null; accumulated into
     */
    public static void backwardReluMaxPool2x2(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w,
                                              float[] gPooled, int[] argmax, float[] pooled, float[] gw,
                                              float[] gx, boolean gxOverwrite, float[] gb) {
        check(g);
        if (batch == 0 || (gw == null && gx == null && gb == null)) {
            return;
        }
        backward(g, batch, filters, x, w, null, new PooledGradient(g, gPooled, argmax, pooled), gw, gx, gxOverwrite,
                gb, 0);
    }

    /**
     * ∂L/∂y of a ReLU and a 2×2 max pooling, plane by plane into a line: zeros, and 0 + ∂L/∂z·(z &gt; 0 ? 1 : 0)
     * at each window's winner (the scatter into zeros of {@link Pooling#maxBackward}).
     */
    private record PooledGradient(Im2Col.Geometry g, float[] gPooled, int[] argmax, float[] pooled) {
        /** Plane p = n·F + f of ∂L/∂y into line[0, H·W). */
        void plane(int p, float[] line) {
            int hw = g.height() * g.width();
            int per = (g.height() / 2) * (g.width() / 2);
            java.util.Arrays.fill(line, 0, hw, 0f);
            int shift = -p * hw; // argmax is a flat index into [N, F, H, W]
            BatchNormKernel.planeLoops(per).winnerGradients(gPooled, pooled, argmax, p * per, (p + 1) * per, shift,
                    line);
        }
    }

    /**
     * {@link #backward}'s loop, ∂L/∂y given whole (gy) or built plane by plane from a pooled
     * gradient; with gb, each plane's sum taken where the plane is read (the sums of
     * {@link ConvKernel#biasBackward}, the same four lanes) and added image by image.
     */
    private static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] gy,
                                 PooledGradient pooledGy, float[] gw, float[] gx, boolean gxOverwrite, float[] gb,
                                 int imagesPerBlock) {
        float[] sums = gb == null ? null : BufferPool.floats(batch * filters); // every plane's sum written
        if (gw == null && gx == null) { // the bias gradient alone
            int hw = g.height() * g.width();
            float[] line = lines(hw + WinogradLoops.SLACK)[4];
            for (int p = 0; p < batch * filters; p++) {
                if (pooledGy != null) {
                    pooledGy.plane(p, line);
                }
                sums[p] = pooledGy != null ? ScalarPlaneLoops.sum(line, 0, hw, 0f)
                        : ScalarPlaneLoops.sum(gy, p * hw, hw, 0f);
            }
        } else {
            backwardBlocks(g, batch, filters, x, w, gy, pooledGy, sums, gw, gx, gxOverwrite, imagesPerBlock);
        }
        if (gb != null) { // as ConvKernel.biasBackward: per filter, the images' plane sums in order
            for (int f = 0; f < filters; f++) {
                for (int n = 0; n < batch; n++) {
                    gb[f] += sums[n * filters + f];
                }
            }
            BufferPool.give(sums);
        }
    }

    /**
     * The blocks of whole images of {@link #backward}: ∂M, then ∂U and ∂V, per block; blocks of
     * {@link #imagesPerBlock} images unless {@code imagesPerBlock} (a test's) is positive.
     */
    private static void backwardBlocks(Im2Col.Geometry g, int batch, int filters, float[] x, float[] w, float[] gy,
                                       PooledGradient pooledGy, float[] sums, float[] gw, float[] gx,
                                       boolean gxOverwrite, int imagesPerBlock) {
        int channels = g.channels();
        int th = (g.height() + 1) / 2;
        int tw = (g.width() + 1) / 2;
        int tilesPerImage = th * tw;
        int fixing = Math.max(1, BACKWARD_TILES / tilesPerImage); // the images that set the groups
        int perGroup = fixing >= GROUP_IMAGES / 2 ? fixing : fixing * ((GROUP_IMAGES + fixing - 1) / fixing);
        int perBlock = imagesPerBlock > 0 ? Math.min(imagesPerBlock, perGroup)
                : imagesPerBlock(tilesPerImage, perGroup);
        int groups = (batch + perGroup - 1) / perGroup;
        int uSize = 16 * filters * channels;
        float[] u = gx == null ? null : transformFilters(w, filters, channels);
        Packed packed = u == null ? null : Packed.of(u, true, filters, channels); // U_ξᵀ, for ∂V
        float[] partials = gw == null ? null : BufferPool.floats(groups * uSize); // each written whole
        int parts = Parallel.threads() < 2 ? 1 : groups;
        int chunk = (groups + parts - 1) / parts;
        Parallel.run(parts, part -> {
            for (int grp = part * chunk; grp < Math.min(groups, (part + 1) * chunk); grp++) {
                int first = grp * perGroup;
                int end = Math.min(batch, first + perGroup);
                for (int n0 = first; n0 < end; n0 += perBlock) {
                    int nb = Math.min(perBlock, end - n0);
                    int nt = nb * tilesPerImage;
                    int t0 = n0 * tilesPerImage;
                    float[][] s = scratch(channels, filters, nt);
                    float[] v = s[0];
                    float[] m = s[1];
                    int vPlane = channels * nt + SKEW;
                    int mPlane = filters * nt + SKEW;
                    gradientTransform(g, th, tw, filters, gy, pooledGy, sums, n0, nb, m);
                    if (gw != null) {
                        transformInput(g, th, tw, x, t0, nt, v);
                        for (int xi = 0; xi < 16; xi++) {
                            Gemm.block(false, true, filters, channels, nt, m, xi * mPlane, v, xi * vPlane,
                                    partials, grp * uSize + xi * filters * channels, n0 != first,
                                    0, filters, 0, channels);
                        }
                    }
                    if (gx != null) {
                        for (int xi = 0; xi < 16; xi++) {
                            if (packed != null) {
                                packed.product(xi, channels, nt, filters, m, xi * mPlane, v, xi * vPlane);
                            } else {
                                Gemm.block(true, false, channels, nt, filters, u, xi * filters * channels, m,
                                        xi * mPlane, v, xi * vPlane, false, 0, channels, 0, nt);
                            }
                        }
                        scatterInput(g, th, tw, v, nt, n0, nb, gx, gxOverwrite);
                    }
                }
            }
        });
        if (u != null) {
            BufferPool.give(u);
        }
        if (packed != null) {
            BufferPool.give(packed.panels);
        }
        if (gw != null) {
            // the group partials in order, into the first; ranges of entries split between threads
            int sumParts = Parallel.threads() < 2 || groups < 4 ? 1 : Parallel.threads();
            int span = (uSize + sumParts - 1) / sumParts;
            WinogradLoops loops = loops();
            Parallel.run(sumParts, part -> {
                int from = part * span;
                int to = Math.min(uSize, (part + 1) * span);
                for (int grp = 1; grp < groups; grp++) { // partials[i] += partials[grp·uSize + i], a vector at a time
                    loops.addShifted(partials, -grp * uSize, partials, grp * uSize + from, grp * uSize + to);
                }
            });
            filterGradient(partials, filters, channels, gw);
            BufferPool.give(partials);
        }
    }

    /**
     * ∂M_ξ[f, t] = (A ∂Y Aᵀ)_ξ for the tiles of images n0 … n0 + nb − 1 (tile t = image·th·tw +
     * ty·tw + tx): with ∂Y = [p q; r s] (zero outside the output), A∂Y has rows (p, q),
     * (p + r, q + s), (p − r, q − s), (−r, −s), and each row (a, b) becomes (a, a + b, a − b, −b).
     * Per image and filter, p, q, r and s are first gathered into lines indexed by tile, then
     * the sixteen planes computed in one loop over the image's tiles.
     */
    private static void gradientTransform(Im2Col.Geometry g, int th, int tw, int filters, float[] gy,
                                          PooledGradient pooledGy, float[] sums, int n0, int nb, float[] m) {
        int h = g.height();
        int wd = g.width();
        int tilesPerImage = th * tw;
        int nt = nb * tilesPerImage;
        int plane = filters * nt + SKEW;
        float[][] lines = lines(Math.max(tilesPerImage, h * wd) + WinogradLoops.SLACK);
        float[] ps = lines[0];
        float[] qs = lines[1];
        float[] rs = lines[2];
        float[] ss = lines[3];
        WinogradLoops loops = loops();
        for (int j = 0; j < nb; j++) {
            for (int f = 0; f < filters; f++) {
                float[] src = gy;
                int img = ((n0 + j) * filters + f) * h * wd;
                if (pooledGy != null) { // this plane of ∂L/∂y, built in a line
                    src = lines[4];
                    pooledGy.plane((n0 + j) * filters + f, src);
                    img = 0;
                }
                for (int ty = 0; ty < th; ty++) {
                    loops.gradientRow(src, img + 2 * ty * wd, wd, tw, 2 * ty + 1 < h, ps, qs, rs, ss, ty * tw);
                }
                if (sums != null) { // the plane is in cache now
                    sums[(n0 + j) * filters + f] = ScalarPlaneLoops.sum(src, img, h * wd, 0f);
                }
                loops.gradientPlanes(ps, qs, rs, ss, m, f * nt + j * tilesPerImage, plane, 0, tilesPerImage);
            }
        }
    }

    /**
     * ∂x += B ∂V Bᵀ per tile, each 4×4 added at the tile's input patch (rows 2y − 1 … 2y + 2,
     * columns 2x − 1 … 2x + 2), with Bv = (v0, v1 − v2 + v3, −v0 + v1 + v2, −v3). Per image and
     * channel, in loops over all its tiles: down the columns, row i of tile row y lands on the
     * padded row 2y + i, so the even padded rows collect rows 0 (of tile row y) and 2 (of y − 1),
     * the odd ones rows 1 and 3 — lines indexed by tile, the second part added one tile row (tw
     * tiles) further on. Along the rows, the same B gives four values per tile for the columns
     * 2x … 2x + 3 (padded), so each input column collects two neighbouring tiles' values; those
     * sums are written into (or with {@code overwrite}, over) gx.
     */
    private static void scatterInput(Im2Col.Geometry g, int th, int tw, float[] v, int nt, int n0, int nb,
                                     float[] gx, boolean overwrite) {
        int channels = g.channels();
        int h = g.height();
        int wd = g.width();
        int tilesPerImage = th * tw;
        int plane = channels * nt + SKEW;
        int padded = tilesPerImage + tw; // one tile row more: the last tile row's rows 2 and 3
        float[][] lines = lines(padded);
        WinogradLoops loops = loops();
        for (int j = 0; j < nb; j++) {
            for (int c = 0; c < channels; c++) {
                int at = c * nt + j * tilesPerImage;
                for (int col = 0; col < 4; col++) { // B · (column col of ∂V) for every tile
                    float[] even = lines[col];
                    float[] odd = lines[4 + col];
                    loops.scatterColumns(v, col * plane + at, plane, even, odd, lines[8 + col], lines[12 + col], 0,
                            tilesPerImage);
                    java.util.Arrays.fill(even, tilesPerImage, padded, 0f);
                    java.util.Arrays.fill(odd, tilesPerImage, padded, 0f);
                    loops.addShifted(even, tw, lines[8 + col], 0, tilesPerImage);
                    loops.addShifted(odd, tw, lines[12 + col], 0, tilesPerImage);
                }
                for (int base = 0; base < 8; base += 4) { // · Bᵀ along the rows, in place: (p, q, r, s)
                    loops.rowsInPlace(lines[base], lines[base + 1], lines[base + 2], lines[base + 3], 0, padded);
                }
                int img = ((n0 + j) * channels + c) * h * wd;
                for (int yy = 0; yy < h; yy++) {
                    int pr = yy + 1;                  // padded row: tile row pr / 2, even or odd lines
                    int base = (pr & 1) * 4;
                    int t = (pr >> 1) * tw;
                    float[] ps = lines[base];
                    float[] qs = lines[base + 1];
                    float[] rs = lines[base + 2];
                    float[] ss = lines[base + 3];
                    int row = img + yy * wd;
                    // column 2x (padded 2x + 1): q of tile x and s of tile x − 1;
                    // column 2x + 1 (padded 2x + 2): r of tile x and p of tile x + 1
                    if (overwrite) {
                        gx[row] = qs[t];
                    } else {
                        gx[row] += qs[t];
                    }
                    for (int k = 1; k < tw; k++) {
                        float value = qs[t + k] + ss[t + k - 1];
                        if (overwrite) {
                            gx[row + 2 * k] = value;
                        } else {
                            gx[row + 2 * k] += value;
                        }
                    }
                    for (int k = 0; 2 * k + 1 < wd; k++) {
                        float value = rs[t + k] + (k + 1 < tw ? ps[t + k + 1] : 0f);
                        if (overwrite) {
                            gx[row + 2 * k + 1] = value;
                        } else {
                            gx[row + 2 * k + 1] += value;
                        }
                    }
                }
            }
        }
    }

    /**
     * gw[f, c] += Gᵀ ∂U_fc G (3 × 3 from the 4 × 4 ∂U, du[ξ·F·C + f·C + c]): with u a column of
     * ∂U, Gᵀu = (u0 + ½u1 + ½u2, ½u1 − ½u2, ½u1 + ½u2 + u3), down the columns then along the rows.
     */
    private static void filterGradient(float[] du, int filters, int channels, float[] gw) {
        forFilterRanges(filters, channels, (f0, f1) -> filterGradient(du, filters, channels, gw, f0, f1));
    }

    /** {@link #filterGradient} of filters [f0, f1). */
    private static void filterGradient(float[] du, int filters, int channels, float[] gw, int f0, int f1) {
        int plane = filters * channels;
        float[] t = new float[12]; // Gᵀ·∂U, 3 × 4
        for (int f = f0; f < f1; f++) {
            for (int c = 0; c < channels; c++) {
                int at = f * channels + c;
                for (int col = 0; col < 4; col++) {
                    float u0 = du[col * plane + at];
                    float u1 = du[(4 + col) * plane + at];
                    float u2 = du[(8 + col) * plane + at];
                    float u3 = du[(12 + col) * plane + at];
                    t[col] = u0 + 0.5f * (u1 + u2);
                    t[4 + col] = 0.5f * (u1 - u2);
                    t[8 + col] = 0.5f * (u1 + u2) + u3;
                }
                int o = at * 9;
                for (int row = 0; row < 3; row++) {
                    float u0 = t[4 * row];
                    float u1 = t[4 * row + 1];
                    float u2 = t[4 * row + 2];
                    float u3 = t[4 * row + 3];
                    gw[o + 3 * row] += u0 + 0.5f * (u1 + u2);
                    gw[o + 3 * row + 1] += 0.5f * (u1 - u2);
                    gw[o + 3 * row + 2] += 0.5f * (u1 + u2) + u3;
                }
            }
        }
    }

    private static void check(Im2Col.Geometry g) {
        if (!applies(g)) {
            throw new IllegalArgumentException("WinogradConv: needs a 3×3 kernel, stride 1, padding 1 and an image of "
                    + "at least 2×2, got " + g);
        }
    }

    /** U_ξ[f, c] = (G g Gᵀ)_ξ for g = w[f, c]: u[ξ·F·C + f·C + c], a buffer-pool array the caller gives back. */
    static float[] transformFilters(float[] w, int filters, int channels) {
        float[] u = BufferPool.floats(16 * filters * channels); // every entry is written
        forFilterRanges(filters, channels, (f0, f1) -> transformFilters(w, filters, channels, u, f0, f1));
        return u;
    }

    /**
     * Calls body over ranges of filters, split between the threads when the filters are many
     * (each filter's values computed by one thread as on one: the same bits).
     */
    private static void forFilterRanges(int filters, int channels, Elementwise.Range body) {
        int parts = Parallel.threads() < 2 || filters * channels < FILTER_SPLIT_MIN ? 1
                : Math.min(Parallel.threads(), filters);
        int chunk = (filters + parts - 1) / parts;
        Parallel.run(parts, part -> body.run(Math.min(filters, part * chunk), Math.min(filters, (part + 1) * chunk)));
    }

    /** Below this many filter × channel pairs the filter transforms stay on the calling thread. */
    private static final int FILTER_SPLIT_MIN = 1024;

    /** {@link #transformFilters} of filters [f0, f1) into u. */
    private static void transformFilters(float[] w, int filters, int channels, float[] u, int f0, int f1) {
        float[] gg = new float[12]; // G·g, 4 × 3
        int plane = filters * channels;
        for (int f = f0; f < f1; f++) {
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
    }

    /**
     * V_ξ[c, t] = (Bᵀ d B)_ξ for tiles t0 … t0 + nt − 1 of a grid of th × pw tiles per image and
     * every channel: v[ξ·(C·nt + SKEW) + c·nt + t].
     * Per run of tiles within one image and channel, in two passes. First d·B along the input
     * rows (tile x's columns 2x − 1 … 2x + 2, zero beyond the image: the padding), once per row:
     * tile y's four input rows are 2y − 1 … 2y + 2, and its third and fourth are the next tile
     * row's first and second, so rows[j] holds the rows 2y − 1 and rows[4 + j] the rows 2y,
     * indexed by tile, with one tile row more. Then Bᵀ· down the columns in one loop over the
     * run's tiles, reading the third and fourth rows one tile row (pw tiles) further on.
     */
    private static void transformInput(Im2Col.Geometry g, int th, int pw, float[] x, int t0, int nt, float[] v) {
        int channels = g.channels();
        int h = g.height();
        int wd = g.width();
        int tilesPerImage = th * pw;
        int plane = channels * nt + SKEW;
        float[][] rows = lines((th + 1) * pw + WinogradLoops.SLACK);
        WinogradLoops loops = loops();
        for (int t = 0; t < nt; ) {
            int n = (t0 + t) / tilesPerImage;
            int first = (t0 + t) % tilesPerImage;            // the run: the image's tiles first … first + len − 1
            int len = Math.min(nt - t, tilesPerImage - first);
            for (int c = 0; c < channels; c++) {
                int img = (n * channels + c) * h * wd;
                for (int ty = first / pw; ty <= (first + len - 1) / pw + 1; ty++) {
                    rowTransform(loops, x, img, 2 * ty - 1, h, wd, pw, rows, 0, ty * pw);
                    rowTransform(loops, x, img, 2 * ty, h, wd, pw, rows, 4, ty * pw);
                }
                int at = c * nt + t - first;
                for (int j = 0; j < 4; j++) {
                    loops.inputColumns(rows[j], rows[4 + j], pw, v, j * plane + at, plane, first, first + len);
                }
            }
            t += len;
        }
    }

    private static final WinogradLoops VECTOR_LOOPS = VectorSupport.load(WinogradLoops.class, "VectorWinogradLoops");

    /** The transforms' loops: Vector API when enabled, else plain Java (the same bits). */
    private static WinogradLoops loops() {
        WinogradLoops vector = VectorSupport.ifEnabled(VECTOR_LOOPS);
        return vector != null ? vector : WinogradLoops.SCALAR;
    }

    /** Per thread: 16 arrays of one value per tile of an image (and a tile row more), for the transforms' passes. */
    private static final ThreadLocal<float[][]> LINES = ThreadLocal.withInitial(() -> new float[16][0]);

    /** This thread's 16 scratch lines of at least {@code length} floats (contents undefined). */
    private static float[][] lines(int length) {
        float[][] lines = LINES.get();
        if (lines[0].length < length) {
            for (int i = 0; i < 16; i++) {
                lines[i] = new float[length];
            }
        }
        return lines;
    }

    /**
     * d·B along input row yy (zero outside the image) for the pw tiles of a tile row (the last
     * may stick out of an odd-width image) into rows[base + j][at + x], j = 0 … 3
     * ({@link WinogradLoops#inputRow}); a row outside the image (the padding) gives zeros.
     */
    private static void rowTransform(WinogradLoops loops, float[] x, int img, int yy, int h, int wd, int pw,
                                     float[][] rows, int base, int at) {
        if (yy < 0 || yy >= h) { // a few floats per line: one loop, not four calls of Arrays.fill
            float[] r0 = rows[base];
            float[] r1 = rows[base + 1];
            float[] r2 = rows[base + 2];
            float[] r3 = rows[base + 3];
            for (int k = at; k < at + pw; k++) {
                r0[k] = 0f;
                r1[k] = 0f;
                r2[k] = 0f;
                r3[k] = 0f;
            }
            return;
        }
        loops.inputRow(x, img + yy * wd, wd, pw, rows[base], rows[base + 1], rows[base + 2], rows[base + 3], at);
    }

    /** Y = Aᵀ M A per tile and filter, biased, batch-normalised, then max(0, max of the four) into out. */
    private static void transformOutput(Im2Col.Geometry g, int filters, int t0, int nt, float[] m, float[] b,
                                        float[] mean, float[] scale, float[] shift, float[] out) {
        int pw = g.width() / 2;
        int tilesPerImage = (g.height() / 2) * pw;
        int plane = filters * nt + SKEW;
        WinogradLoops loops = loops();
        float[] y = lines(4 * nt)[0]; // a run's four quarters, nt apart
        for (int t = 0; t < nt; ) { // a run of tiles within one image: consecutive outputs
            int n = (t0 + t) / tilesPerImage;
            int r = (t0 + t) % tilesPerImage;
            int len = Math.min(nt - t, tilesPerImage - r);
            for (int f = 0; f < filters; f++) {
                // (Y + b − μ)·scale + shift as Y·a + c; without a batch norm a = 1 and c = b exactly
                float bias = b == null ? 0f : b[f];
                float a = mean == null ? 1f : scale[f];
                float c = mean == null ? bias : (bias - mean[f]) * scale[f] + shift[f];
                // the run's four outputs per tile into lines (a few KB, in cache), then pooled
                loops.outputTiles(m, f * nt + t, plane, 0f, y, nt, 0, len);
                loops.poolTiles(y, nt, a, c, out,
                        (n * filters + f) * tilesPerImage + r, 0, len);
            }
            t += len;
        }
    }
}
