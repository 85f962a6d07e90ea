package dev.oneshot.core.kernels;

import dev.oneshot.core.tensor.BufferPool;

/**
 * A convolution of images no larger than its kernel's footprint (Conv-4's last block: 3×3
 * images, a 3×3 kernel) as one matrix product over the whole batch. Every output then reads
 * (nearly) every input pixel, so the weights unrolled into a [C·H·W, F·OH·OW] matrix
 * <pre>  U[(c, i, j), (f, y, x)] = w[f, c, i − y·s + p, j − x·s + p]   (0 where that tap is outside the kernel)</pre>
 * turn the layer into Y = X·U (+ b), with X [N, C·H·W] and Y [N, F·OH·OW] the tensors as they
 * lie in memory. It takes as many multiply-adds as im2col's product when H·W ≤ KH·KW, as one
 * large product (M = N) instead of many thin ones, with no im2col or transform. Backward:
 * <pre>  ∂X += ∂Y·Uᵀ,   ∂U = Xᵀ·∂Y,   ∂w[f, c, a, b] += Σ_{(y, x) whose tap (a, b) is inside} ∂U[(c, y·s − p + a, x·s − p + b), (f, y, x)]</pre>
 * (the last in a fixed order, y then x). Each element of a product is computed by one thread
 * in a fixed order: the same bits for any thread count.
 */
public final class SmallImageConv {
    /** The largest unrolled matrix (floats) this path builds: 16 MB. */
    static final long MAX_UNROLLED = 1L << 22;

    private SmallImageConv() {
    }

    /** Whether this path takes the layer: an image of at most KH·KW pixels and an unrolled matrix of at most 4M floats. */
    public static boolean applies(Im2Col.Geometry g, int filters) {
        long unrolled = (long) g.channels() * g.height() * g.width() * filters * g.outPixels();
        return (long) g.height() * g.width() <= (long) g.kernelH() * g.kernelW() && unrolled > 0
                && unrolled <= MAX_UNROLLED;
    }

    /**
     * The unrolled weights U [C·H·W, F·OH·OW], written row by row (a pool buffer: give it back).
     *
     * @param w [F, C, KH, KW]; not modified
     */
    public static float[] unroll(Im2Col.Geometry g, int filters, float[] w) {
        int c = g.channels();
        int pixels = g.height() * g.width();
        int p = g.outPixels();
        int taps = g.kernelH() * g.kernelW();
        int[] tap = taps(g);
        float[] u = BufferPool.floats(c * pixels * filters * p);
        ParallelFor.range(c, ch -> { // a channel's rows
            int at = ch * pixels * filters * p;
            for (int pixel = 0; pixel < pixels; pixel++) {
                for (int f = 0; f < filters; f++) {
                    int base = (f * c + ch) * taps;
                    for (int q = pixel * p; q < (pixel + 1) * p; q++, at++) {
                        u[at] = tap[q] < 0 ? 0f : w[base + tap[q]];
                    }
                }
            }
        });
        return u;
    }

    /** y = x·U + b for the batch. @param y [N, F, OH, OW]; modified (every entry written) */
    public static void forward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] u, float[] b, float[] y) {
        int in = g.channels() * g.height() * g.width();
        int p = g.outPixels();
        Gemm.multiply(false, false, batch, filters * p, in, x, 0, u, 0, y, 0, false);
        if (b != null) {
            for (int n = 0; n < batch; n++) {
                for (int f = 0; f < filters; f++) {
                    int at = (n * filters + f) * p;
                    for (int q = at; q < at + p; q++) {
                        y[q] += b[f];
                    }
                }
            }
        }
    }

    /**
     * ∂w (from ∂U = Xᵀ·∂Y) and ∂x = ∂Y·Uᵀ; either may be skipped with null. The bias gradient
     * is {@link ConvKernel#biasBackward}'s, left to the caller.
     *
     * @param gy [N, F, OH, OW]; not modified
     * @param gw [F, C, KH, KW] or null; accumulated into
     * @param gx [N, C, H, W] or null; accumulated into, or overwritten with {@code gxOverwrite}
     */
    public static void backward(Im2Col.Geometry g, int batch, int filters, float[] x, float[] u, float[] gy,
                                float[] gw, float[] gx, boolean gxOverwrite) {
        int in = g.channels() * g.height() * g.width();
        int out = filters * g.outPixels();
        if (gx != null) {
            Gemm.multiply(false, true, batch, in, out, gy, 0, u, 0, gx, 0, !gxOverwrite);
        }
        if (gw != null) {
            float[] gu = BufferPool.floats(in * out); // every entry written
            Gemm.multiply(true, false, in, out, batch, x, 0, gy, 0, gu, 0, false);
            fold(g, filters, gu, gw);
            BufferPool.give(gu);
        }
    }

    /**
     * ∂w[f, c, a, b] += the entries of ∂U on tap (a, b) of filter f and channel c, in U's memory
     * order (rows: pixels; then outputs): a fixed order, channels split between threads.
     */
    private static void fold(Im2Col.Geometry g, int filters, float[] gu, float[] gw) {
        int c = g.channels();
        int pixels = g.height() * g.width();
        int p = g.outPixels();
        int taps = g.kernelH() * g.kernelW();
        int[] tap = taps(g);
        ParallelFor.range(c, ch -> { // a channel's rows feed only its own weights
            int at = ch * pixels * filters * p;
            for (int pixel = 0; pixel < pixels; pixel++) {
                for (int f = 0; f < filters; f++) {
                    int base = (f * c + ch) * taps;
                    for (int q = pixel * p; q < (pixel + 1) * p; q++, at++) {
                        if (tap[q] >= 0) {
                            gw[base + tap[q]] += gu[at];
                        }
                    }
                }
            }
        });
    }

    /**
     * tap[pixel·P + q] = a·KW + b, the kernel tap through which output q = (y, x) reads pixel
     * (i, j) — (a, b) = (i − y·s + p, j − x·s + p) — or −1 when that falls outside the kernel.
     */
    private static int[] taps(Im2Col.Geometry g) {
        int wd = g.width();
        int ow = g.outWidth();
        int p = g.outPixels();
        int[] tap = new int[g.height() * wd * p];
        for (int pixel = 0; pixel < g.height() * wd; pixel++) {
            for (int q = 0; q < p; q++) {
                int a = pixel / wd - (q / ow) * g.stride() + g.padding();
                int b = pixel % wd - (q % ow) * g.stride() + g.padding();
                boolean inside = a >= 0 && a < g.kernelH() && b >= 0 && b < g.kernelW();
                tap[pixel * p + q] = inside ? a * g.kernelW() + b : -1;
            }
        }
        return tap;
    }
}
