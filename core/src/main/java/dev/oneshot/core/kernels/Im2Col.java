package dev.oneshot.core.kernels;

import java.util.Arrays;

/**
 * im2col and its adjoint col2im: the rearrangement that turns a 2-D convolution into one GEMM.
 *
 * <p>For one image x [C, H, W], a kernel KH×KW, stride s and zero padding p, the output has
 * OH = (H + 2p − KH)/s + 1 rows and OW = (W + 2p − KW)/s + 1 columns. im2col writes the matrix
 * <pre>  cols[(c·KH + i)·KW + j,  oh·OW + ow] = x[c, oh·s − p + i, ow·s − p + j]   (0 outside x)</pre>
 * of shape [C·KH·KW, OH·OW]: column q holds the receptive field of output pixel q, so a
 * convolution with weights W [F, C·KH·KW] is the product W·cols [F, OH·OW].
 *
 * <p>col2im is the transpose (adjoint) of that linear map: every entry of cols is
 * <em>added</em> back to the pixel of x it was copied from (padding entries are dropped).
 * Overlapping windows read a pixel several times, so its gradient is the sum of those entries.
 *
 * <p>Both loops find, once per kernel offset (c, i, j), the range of output positions that
 * land inside the image, so the inner loops carry no bounds test.
 */
public final class Im2Col {
    private Im2Col() {
    }

    /**
     * The sizes of one convolution, and the sizes derived from them.
     *
     * @param channels C, input channels
     * @param height   H, input height
     * @param width    W, input width
     * @param kernelH  KH, kernel height (≥ 1, ≤ H + 2p)
     * @param kernelW  KW, kernel width (≥ 1, ≤ W + 2p)
     * @param stride   s ≥ 1
     * @param padding  p ≥ 0, zeros on every side
     */
    public record Geometry(int channels, int height, int width, int kernelH, int kernelW, int stride, int padding) {
        /** OH = (H + 2p − KH)/s + 1. */
        public int outHeight() {
            return outputSize(height, kernelH, stride, padding);
        }

        /** OW = (W + 2p − KW)/s + 1. */
        public int outWidth() {
            return outputSize(width, kernelW, stride, padding);
        }

        /** C·KH·KW: rows of the cols matrix (the length of one receptive field). */
        public int patchSize() {
            return channels * kernelH * kernelW;
        }

        /** OH·OW: columns of the cols matrix (output pixels per image and filter). */
        public int outPixels() {
            return outHeight() * outWidth();
        }

        /** C·H·W: elements of one input image. */
        public int imageSize() {
            return channels * height * width;
        }
    }

    /** floor((size + 2·padding − kernel)/stride) + 1, the output length along one axis. */
    public static int outputSize(int size, int kernel, int stride, int padding) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    /**
     * Fills cols [C·KH·KW, OH·OW] from the image x [C, H, W].
     *
     * @param g          the geometry
     * @param x          input images; not modified
     * @param xOffset    start of the image in {@code x}
     * @param cols       output matrix; modified (every entry of the range is written)
     * @param colsOffset start of the matrix in {@code cols}
     */
    public static void im2col(Geometry g, float[] x, int xOffset, float[] cols, int colsOffset) {
        im2col(g, x, xOffset, cols, colsOffset, g.outPixels());
    }

    /**
     * {@link #im2col(Geometry, float[], int, float[], int)} into a wider matrix: row r of this
     * image's [C·KH·KW, OH·OW] block starts at {@code colsOffset + r·rowStride}, so several
     * images side by side form one [C·KH·KW, images·OH·OW] matrix (image j at column j·OH·OW).
     *
     * @param rowStride ≥ OH·OW, the row length of the matrix written into
     */
    public static void im2col(Geometry g, float[] x, int xOffset, float[] cols, int colsOffset, int rowStride) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int s = g.stride();
        int p = g.padding();
        int row = colsOffset;
        for (int c = 0; c < g.channels(); c++) {
            int plane = xOffset + c * g.height() * g.width();
            for (int i = 0; i < g.kernelH(); i++) {
                int yLo = firstInside(i - p, s, oh);
                int yHi = endInside(i - p, s, g.height(), oh);
                for (int j = 0; j < g.kernelW(); j++) {
                    int xLo = firstInside(j - p, s, ow);
                    int xHi = endInside(j - p, s, g.width(), ow);
                    for (int y = 0; y < oh; y++) {
                        int dst = row + y * ow;
                        if (y < yLo || y >= yHi) {
                            Arrays.fill(cols, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = plane + (y * s - p + i) * g.width() - p + j;
                        for (int q = 0; q < xLo; q++) { // the padding: a column or two, too few for Arrays.fill
                            cols[dst + q] = 0f;
                        }
                        if (s == 1) {
                            if (xHi > xLo) {
                                System.arraycopy(x, src + xLo, cols, dst + xLo, xHi - xLo);
                            }
                        } else {
                            for (int q = xLo; q < xHi; q++) {
                                cols[dst + q] = x[src + q * s];
                            }
                        }
                        for (int q = Math.max(xLo, xHi); q < ow; q++) {
                            cols[dst + q] = 0f;
                        }
                    }
                    row += rowStride;
                }
            }
        }
    }

    /**
     * Scatter-adds cols [C·KH·KW, OH·OW] into the image dx [C, H, W]: the adjoint of
     * {@link #im2col}. Entries that came from the zero padding are dropped.
     *
     * @param g          the geometry
     * @param cols       the matrix (typically ∂L/∂cols); not modified
     * @param colsOffset start of the matrix in {@code cols}
     * @param dx         image (typically ∂L/∂x); modified, accumulated into (+=)
     * @param dxOffset   start of the image in {@code dx}
     */
    public static void col2im(Geometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        col2im(g, cols, colsOffset, g.outPixels(), dx, dxOffset);
    }

    /**
     * {@link #col2im(Geometry, float[], int, float[], int)} from a wider matrix whose rows are
     * {@code rowStride} long (see {@link #im2col(Geometry, float[], int, float[], int, int)}).
     */
    public static void col2im(Geometry g, float[] cols, int colsOffset, int rowStride, float[] dx, int dxOffset) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int s = g.stride();
        int p = g.padding();
        int row = colsOffset;
        for (int c = 0; c < g.channels(); c++) {
            int plane = dxOffset + c * g.height() * g.width();
            for (int i = 0; i < g.kernelH(); i++) {
                int yLo = firstInside(i - p, s, oh);
                int yHi = endInside(i - p, s, g.height(), oh);
                for (int j = 0; j < g.kernelW(); j++) {
                    int xLo = firstInside(j - p, s, ow);
                    int xHi = endInside(j - p, s, g.width(), ow);
                    for (int y = yLo; y < yHi; y++) {
                        int src = row + y * ow;
                        int dst = plane + (y * s - p + i) * g.width() - p + j;
                        if (s == 1) { // unit stride: a plain vector add (C2 does not vectorise q·s)
                            for (int q = xLo; q < xHi; q++) {
                                dx[dst + q] += cols[src + q];
                            }
                        } else {
                            for (int q = xLo; q < xHi; q++) {
                                dx[dst + q * s] += cols[src + q];
                            }
                        }
                    }
                    row += rowStride;
                }
            }
        }
    }

    /** The first output index o ≥ 0 with o·s + shift ≥ 0 (shift = kernel offset − padding), at most outSize. */
    private static int firstInside(int shift, int s, int outSize) {
        return shift >= 0 ? 0 : Math.min(outSize, (-shift + s - 1) / s);
    }

    /** One past the last output index o &lt; outSize with o·s + shift &lt; size. */
    private static int endInside(int shift, int s, int size, int outSize) {
        int last = size - 1 - shift; // need o·s ≤ last
        if (last < 0) {
            return 0;
        }
        return Math.min(outSize, last / s + 1);
    }
}
