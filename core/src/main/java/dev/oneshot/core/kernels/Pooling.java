package dev.oneshot.core.kernels;

/**
 * Max pooling over square windows of a stack of planes (the N·C planes of an NCHW tensor).
 *
 * <p>For a plane x [H, W], window k and stride s, output pixel (oh, ow) is the maximum of the
 * k×k window whose top-left corner is (oh·s, ow·s):
 * <pre>  y[oh, ow] = max_{i, j &lt; k} x[oh·s + i, ow·s + j]</pre>
 * with OH = (H − k)/s + 1 and OW = (W − k)/s + 1 (rounded down, no padding). The max is
 * piecewise the identity on one element, so its gradient is 1 at the arg-max and 0 elsewhere:
 * backward routes ∂L/∂y[oh, ow] to the single input element that won.
 *
 * <p>Planes are independent (a window never leaves its plane), so forward and backward split
 * the planes between the kernel threads in contiguous ranges; each plane is computed by one
 * thread exactly as on one thread, so the results are bitwise the same for any thread count.
 */
public final class Pooling {
    /** The Vector API 2×2 pooling (bitwise the same results), or null without the module. */
    private static final Pool2x2 VECTOR = VectorSupport.load(Pool2x2.class, "VectorPooling");

    /** Below this many input elements the work stays on the calling thread. */
    static final int PARALLEL_MIN = 1 << 15;

    /**
     * 2×2, stride-2 max pooling of {@code planes} consecutive planes (see {@link #maxForward}):
     * plane i's input starts at x[xFrom + i·H·W], its outputs at out[outFrom + i·OH·OW], and the
     * arg-max recorded is the index into x plus {@code argShift} (0 when x is the whole input).
     */
    interface Pool2x2 {
        /** With {@code relu}, each output is max(window max, 0) (see {@link #maxForward(float[], int, int, int, int, int, float[], int[], boolean)}). */
        void max2x2(float[] x, int xFrom, int planes, int height, int width, float[] out, int outFrom, int[] argmax,
                    int argShift, boolean relu);

        /** See {@link Pooling#affineReluMax2x2}. */
        void affineReluMax2x2(float[] x, int xFrom, int height, int width, float mu, float a, float b, float[] out,
                              int outFrom, int[] argmax);

        /** See {@link Pooling#reluMaxOfQuarters}. */
        void reluMaxOfQuarters(float[] y, int from, int windows, int stride, float bias, float[] out, int o,
                               int[] argmax, int[] corner, int argBase, int width);
    }

    private Pooling() {
    }

    /** {@code "vector-<bits>"} when 2×2 pooling uses the Vector API, else "scalar" ({@link VectorSupport#use} switches it). */
    public static String kernel() {
        return VectorSupport.pathOf(VECTOR);
    }

    /**
     * y = maxpool(x) plane by plane, recording where each maximum was found. Windows are
     * scanned row by row; on a tie the first maximum wins. NaN propagates: the first NaN in a
     * window is its maximum (the rule {@code max} along an axis uses).
     *
     * @param x      planes [planes, H, W]; not modified
     * @param planes number of planes (N·C)
     * @param height H
     * @param width  W
     * @param kernel k ≥ 1, at most H and W
     * @param stride s ≥ 1
     * @param out    [planes, OH, OW]; modified (every entry written)
     * @param argmax [planes, OH, OW]; modified: the flat index into {@code x} of each maximum;
     *               or null when no backward will follow (inference): only {@code out} is written
     */
    public static void maxForward(float[] x, int planes, int height, int width, int kernel, int stride,
                                  float[] out, int[] argmax) {
        maxForward(x, planes, height, width, kernel, stride, out, argmax, false);
    }

    /**
     * {@link #maxForward(float[], int, int, int, int, int, float[], int[])}, and with
     * {@code relu} the ReLU folded in: y = max(maxpool(x), 0) (Math.max: NaN stays NaN, −0 gives
     * +0), which is bit for bit maxpool(relu(x)) — relu is monotone, so it commutes with the
     * max, and the window maximum m is also the maximum of relu(x) when m &gt; 0. The arg-max is
     * the one of x; {@link #maxBackward(float[], int[], float[], int, boolean, float[])} with
     * the output as mask routes no gradient where y is not &gt; 0.
     */
    public static void maxForward(float[] x, int planes, int height, int width, int kernel, int stride,
                                  float[] out, int[] argmax, boolean relu) {
        if (kernel == 2 && stride == 2) {
            Pool2x2 vector = VectorSupport.ifEnabled(VECTOR);
            int hw = height * width;
            int per = (height / 2) * (width / 2);
            splitPlanes(planes, hw, (from, to) -> {
                if (vector != null) {
                    vector.max2x2(x, from * hw, to - from, height, width, out, from * per, argmax, 0, relu);
                } else {
                    maxForward2x2(x, from * hw, to - from, height, width, out, from * per, argmax, 0, relu);
                }
            });
            return;
        }
        int[] arg = argmax != null ? argmax : new int[out.length];
        splitPlanes(planes, height * width,
                (from, to) -> maxForwardGeneral(x, from, to, height, width, kernel, stride, out, arg, relu));
    }

    /**
     * y = max(maxpool2×2(x), 0) of {@code planes} consecutive planes of a buffer, on the calling
     * thread (for a kernel that pools its own block of planes while they are in cache): plane i's
     * input at x[xFrom + i·H·W], its outputs at out[outFrom + i·OH·OW] (OH = H/2, OW = W/2,
     * rounded down), its arg-max recorded as the index into x plus {@code argShift} (so it can
     * name a place in a full-size tensor that was never built). Same values and arg-max as
     * {@link #maxForward(float[], int, int, int, int, int, float[], int[], boolean)} with
     * k = s = 2 and the ReLU.
     *
     * @param argmax modified at [outFrom, outFrom + planes·OH·OW), or null (inference)
     */
    public static void reluMax2x2(float[] x, int xFrom, int planes, int height, int width, float[] out, int outFrom,
                                  int[] argmax, int argShift) {
        Pool2x2 vector = VectorSupport.ifEnabled(VECTOR);
        if (vector != null) {
            vector.max2x2(x, xFrom, planes, height, width, out, outFrom, argmax, argShift, true);
        } else {
            maxForward2x2(x, xFrom, planes, height, width, out, outFrom, argmax, argShift, true);
        }
    }

    /**
     * relu(2×2 max pooling) of the affine map v = (x − mu)·a + b of one plane, on the calling
     * thread: the training forward of batch norm → ReLU → max pooling without the full-size
     * normalised plane (a may be negative, so the window's maximum is found on v, not on x).
     * Bit for bit {@link #maxForward(float[], int, int, int, int, int, float[], int[], boolean)}
     * with k = s = 2 and the ReLU applied to the plane of v computed as that float expression.
     *
     * @param xFrom  where the plane [H, W] starts in x
     * @param out    the plane's OH·OW outputs from outFrom (OH = H/2, OW = W/2, rounded down)
     * @param argmax the winners' flat indices into x, from outFrom; not null
     */
    public static void affineReluMax2x2(float[] x, int xFrom, int height, int width, float mu, float a, float b,
                                        float[] out, int outFrom, int[] argmax) {
        Pool2x2 vector = VectorSupport.ifEnabled(VECTOR);
        if (vector != null) {
            vector.affineReluMax2x2(x, xFrom, height, width, mu, a, b, out, outFrom, argmax);
        } else {
            affineReluMax2x2(x, xFrom, height, width, mu, a, b, out, outFrom, argmax, 0, (height / 2) * (width / 2));
        }
    }

    /** Windows [w0, w1) of {@link #affineReluMax2x2}, scalar, on integer keys as in {@link #maxForward2x2}. */
    static void affineReluMax2x2(float[] x, int xFrom, int height, int width, float mu, float a, float b,
                                 float[] out, int outFrom, int[] argmax, int w0, int w1) {
        int ow = width / 2;
        for (int w = w0; w < w1; w++) {
            int i0 = xFrom + 2 * (w / ow) * width + 2 * (w % ow);
            int at = 0; // which element won: top-left (0), top-right (1), bottom-left (2), bottom-right (3)
            int best = key((x[i0] - mu) * a + b);
            for (int e = 1; e < 4; e++) {
                int k = key((x[i0 + (e & 1) + (e >> 1) * width] - mu) * a + b);
                int take = (int) (((long) best - k) >> 63); // all ones iff k > best
                best ^= (best ^ k) & take;
                at ^= (at ^ e) & take;
            }
            int win = i0 + (at & 1) + (at >> 1) * width;
            out[outFrom + w] = Math.max((x[win] - mu) * a + b, 0f);
            argmax[outFrom + w] = win;
        }
    }

    /**
     * relu(2×2 max pooling) of one plane whose pixels come in window order: its windows'
     * top-left elements a at y[from + w] (w &lt; {@code windows}), their top-right b at
     * y[from + stride + w], bottom-left c at y[from + 2·stride + w] and bottom-right d at
     * y[from + 3·stride + w] (the layout {@code VectorDirectConv} writes). Window w's output is
     * max(a, b, c, d, 0) with {@code bias} added to each element first — the rule, ties and NaN
     * of {@link #maxForward(float[], int, int, int, int, int, float[], int[], boolean)} with the
     * ReLU — from four plain loads per 16 windows instead of gathers.
     *
     * @param out    window w's output goes to out[o + w]
     * @param argmax null, or argmax[o + w] = argBase + corner[w] + (0, 1, width or width + 1):
     *               the winner's flat index in the natural [OH, OW] plane
     * @param corner corner[w] = the natural index of window w's top-left element in its plane
     * @param width  OW, the natural row length
     */
    static void reluMaxOfQuarters(float[] y, int from, int windows, int stride, float bias, float[] out, int o,
                                  int[] argmax, int[] corner, int argBase, int width) {
        Pool2x2 vector = VectorSupport.ifEnabled(VECTOR);
        if (vector != null) {
            vector.reluMaxOfQuarters(y, from, windows, stride, bias, out, o, argmax, corner, argBase, width);
        } else {
            reluMaxOfQuarters(y, from, 0, windows, stride, bias, out, o, argmax, corner, argBase, width);
        }
    }

    /** Windows [w0, w1) of {@link #reluMaxOfQuarters}, scalar, on integer keys as in {@link #maxForward2x2}. */
    static void reluMaxOfQuarters(float[] y, int from, int w0, int w1, int stride, float bias, float[] out, int o,
                                  int[] argmax, int[] corner, int argBase, int width) {
        for (int w = w0; w < w1; w++) {
            int i = from + w;
            int at = 0; // which quarter won: a (0), b (1), c (2) or d (3)
            int best = key(y[i] + bias);
            for (int e = 1; e < 4; e++) {
                int k = key(y[i + e * stride] + bias);
                int take = (int) (((long) best - k) >> 63); // all ones iff k > best
                best ^= (best ^ k) & take;
                at ^= (at ^ e) & take;
            }
            out[o + w] = Math.max(y[i + at * stride] + bias, 0f);
            if (argmax != null) {
                argmax[o + w] = argBase + corner[w] + (at & 1) + (at >> 1) * width; // + 0, 1, OW or OW + 1
            }
        }
    }

    /** The general k×k, stride-s loop over the planes [from, to). */
    private static void maxForwardGeneral(float[] x, int from, int to, int height, int width, int kernel,
                                          int stride, float[] out, int[] argmax, boolean relu) {
        int oh = (height - kernel) / stride + 1;
        int ow = (width - kernel) / stride + 1;
        int o = from * oh * ow;
        for (int plane = from; plane < to; plane++) {
            int base = plane * height * width;
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int corner = base + y * stride * width + xo * stride;
                    int best = corner;
                    float bestValue = x[corner];
                    for (int i = 0; i < kernel && !Float.isNaN(bestValue); i++) {
                        int row = corner + i * width;
                        for (int j = 0; j < kernel; j++) {
                            float v = x[row + j];
                            if (v > bestValue || Float.isNaN(v)) {
                                best = row + j;
                                bestValue = v;
                                if (Float.isNaN(v)) {
                                    break;
                                }
                            }
                        }
                    }
                    out[o] = relu ? Math.max(bestValue, 0f) : bestValue;
                    argmax[o] = best;
                    o++;
                }
            }
        }
    }

    /**
     * The 2×2, stride-2 case (every pooling of the demo networks), same semantics as the general
     * loop: the window (a b / c d) is scanned a, b, c, d and a later element wins only if it is
     * greater, or if it is NaN and nothing before it was. On activations those comparisons go
     * either way at random, so a branch per element costs a misprediction about every other
     * element; here they are done without branches, on integer keys (see {@link #key}), and
     * a pair of input rows is read once for a whole output row.
     */
    private static void maxForward2x2(float[] x, int xFrom, int planes, int height, int width, float[] out,
                                      int outFrom, int[] argmax, int argShift, boolean relu) {
        int oh = height / 2;
        int ow = width / 2;
        int o = outFrom;
        for (int plane = 0; plane < planes; plane++) {
            int base = xFrom + plane * height * width;
            for (int y = 0; y < oh; y++) {
                int r0 = base + 2 * y * width;
                int r1 = r0 + width;
                for (int xo = 0; xo < ow; xo++, o++) {
                    int i0 = r0 + 2 * xo;
                    int i1 = r1 + 2 * xo;
                    int at = i0;
                    int best = key(x[i0]);
                    int k = key(x[i0 + 1]);
                    int take = (int) (((long) best - k) >> 63);   // all ones iff k > best
                    best ^= (best ^ k) & take;
                    at ^= (at ^ (i0 + 1)) & take;
                    k = key(x[i1]);
                    take = (int) (((long) best - k) >> 63);
                    best ^= (best ^ k) & take;
                    at ^= (at ^ i1) & take;
                    k = key(x[i1 + 1]);
                    take = (int) (((long) best - k) >> 63);
                    at ^= (at ^ (i1 + 1)) & take;
                    out[o] = relu ? Math.max(x[at], 0f) : x[at];
                    if (argmax != null) {
                        argmax[o] = at + argShift;
                    }
                }
            }
        }
    }

    /**
     * An int that orders like the float: for non-NaN a, b, key(a) &lt; key(b) ⇔ a &lt; b and
     * key(a) = key(b) ⇔ a = b (so −0 = +0); every NaN maps to Integer.MAX_VALUE, above +∞.
     * Built from the bits without branches: negatives have their magnitude bits flipped.
     */
    static int key(float v) {
        int bits = Float.floatToRawIntBits(v + 0f);                 // −0 + 0 = +0
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        int nan = (0x7f800000 - (bits & 0x7fffffff)) >> 31;         // all ones iff NaN
        return (ordered & ~nan) | (Integer.MAX_VALUE & nan);
    }

    /**
     * ∂L/∂x[argmax[o]] += ∂L/∂y[o] for every output o. Overlapping windows (stride &lt; kernel)
     * may share a winner, which then receives the sum. On the calling thread only: without the
     * plane count the outputs cannot be split (see {@link #maxBackward(float[], int[], float[], int)}).
     *
     * @param gradOut ∂L/∂y; not modified
     * @param argmax  flat input index of each output's maximum, from {@link #maxForward}; not modified
     * @param gradIn  ∂L/∂x; modified, accumulated into (+=)
     */
    public static void maxBackward(float[] gradOut, int[] argmax, float[] gradIn) {
        maxBackward(gradOut, argmax, gradIn, 0, gradOut.length);
    }

    /**
     * {@link #maxBackward(float[], int[], float[])} for outputs that are {@code planes} equal
     * planes whose arg-max lie in the matching input planes (as {@link #maxForward} records
     * them): the planes are split between the kernel threads, each output added by one thread
     * in the same order as on one thread.
     *
     * @param planes the number of planes (N·C) of both gradOut and gradIn
     */
    public static void maxBackward(float[] gradOut, int[] argmax, float[] gradIn, int planes) {
        maxBackward(gradOut, argmax, gradIn, planes, false);
    }

    /**
     * {@link #maxBackward(float[], int[], float[], int)}; with {@code overwrite}, gradIn has
     * undefined contents and each input plane is zeroed just before its outputs are added in
     * (while it is in cache), which is bit for bit the same as accumulating into zeros.
     */
    public static void maxBackward(float[] gradOut, int[] argmax, float[] gradIn, int planes, boolean overwrite) {
        maxBackward(gradOut, argmax, gradIn, planes, overwrite, null);
    }

    /**
     * {@link #maxBackward(float[], int[], float[], int, boolean)}; with {@code reluOut} (the
     * output y of a forward with the ReLU folded in), the backward of y = relu(maxpool(x)):
     * ∂L/∂x[argmax[o]] += ∂L/∂y[o] · (y[o] &gt; 0 ? 1 : 0), the mask built without a branch
     * ({@link Elementwise#reluSlope}; y &gt; 0 exactly when the window maximum is).
     *
     * @param reluOut y [planes, OH, OW] of the fused forward, or null for plain max pooling
     */
    public static void maxBackward(float[] gradOut, int[] argmax, float[] gradIn, int planes, boolean overwrite,
                                   float[] reluOut) {
        if (planes < 1) {
            return;
        }
        int per = gradOut.length / planes;
        int inPer = gradIn.length / planes;
        splitPlanes(planes, inPer, (from, to) -> {
            if (!overwrite) {
                maxBackward(gradOut, argmax, gradIn, from * per, to * per, reluOut);
                return;
            }
            for (int plane = from; plane < to; plane++) {
                java.util.Arrays.fill(gradIn, plane * inPer, (plane + 1) * inPer, 0f);
                maxBackward(gradOut, argmax, gradIn, plane * per, (plane + 1) * per, reluOut);
            }
        });
    }

    private static void maxBackward(float[] gradOut, int[] argmax, float[] gradIn, int from, int to) {
        for (int o = from; o < to; o++) {
            gradIn[argmax[o]] += gradOut[o];
        }
    }

    private static void maxBackward(float[] gradOut, int[] argmax, float[] gradIn, int from, int to,
                                    float[] reluOut) {
        if (reluOut == null) {
            maxBackward(gradOut, argmax, gradIn, from, to);
            return;
        }
        for (int o = from; o < to; o++) {
            gradIn[argmax[o]] += gradOut[o] * Elementwise.reluSlope(reluOut[o]);
        }
    }

    /** Runs {@code body} over the planes [0, planes) in a few contiguous ranges per thread (one when small). */
    private static void splitPlanes(int planes, int planeSize, Elementwise.Range body) {
        int threads = Parallel.threads();
        int parts = (long) planes * planeSize < PARALLEL_MIN || threads < 2 ? 1
                : Math.min(Elementwise.PARTS_PER_THREAD * threads, planes);
        if (parts < 2) {
            body.run(0, planes);
            return;
        }
        int chunk = (planes + parts - 1) / parts;
        Parallel.run(parts, part -> body.run(Math.min(planes, part * chunk), Math.min(planes, (part + 1) * chunk)));
    }
}
