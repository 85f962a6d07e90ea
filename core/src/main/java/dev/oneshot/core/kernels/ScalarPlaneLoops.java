package dev.oneshot.core.kernels;

/**
 * The per-plane loops of batch normalisation ({@link BatchNormKernel.PlaneLoops}) in scalar Java.
 * The reference is the one-plane loop ({@link #sum}, {@link #sumSquares}, {@link #dotCentred}):
 * four float lanes (element i into lane i mod 4), the last length mod 4 elements into lane 0,
 * then ((l0 + l1) + (l2 + l3)); four lanes keep four adds in flight instead of one chain. The
 * batch loops run four planes of a channel side by side, each with its own four lanes and the
 * same operations in the same order: sixteen independent chains, bit for bit the reference.
 * {@code VectorBatchNorm} continues its planes here ({@code finish*}) after its vector steps.
 */
final class ScalarPlaneLoops implements BatchNormKernel.PlaneLoops {
    static final ScalarPlaneLoops INSTANCE = new ScalarPlaneLoops();

    private ScalarPlaneLoops() {
    }

    /** Σ (x[i] − shift) over [from .. from + length), the reference loop. */
    static float sum(float[] x, int from, int length, float shift) {
        return finishSum(x, from, 0, length, shift, 0f, 0f, 0f, 0f);
    }

    /**
     * The reference loop of {@link #sum} for the plane at {@code off}, continued from its
     * element i (a multiple of 4) with lanes l0..l3; then its tail and the lanes added.
     */
    static float finishSum(float[] x, int off, int i, int length, float shift, float l0, float l1,
                        float l2, float l3) {
        for (; i + 4 <= length; i += 4) {
            int o = off + i;
            l0 += x[o] - shift;
            l1 += x[o + 1] - shift;
            l2 += x[o + 2] - shift;
            l3 += x[o + 3] - shift;
        }
        for (; i < length; i++) {
            l0 += x[off + i] - shift;
        }
        return (l0 + l1) + (l2 + l3);
    }

    @Override
    public void sum(float[] x, int first, int stride, int planes, int length, float shift, float[] out) {
        int n = 0;
        for (; n + 4 <= planes; n += 4) {
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            float b0 = 0f;
            float b1 = 0f;
            float b2 = 0f;
            float b3 = 0f;
            float c0 = 0f;
            float c1 = 0f;
            float c2 = 0f;
            float c3 = 0f;
            float d0 = 0f;
            float d1 = 0f;
            float d2 = 0f;
            float d3 = 0f;
            int i = 0;
            for (; i + 4 <= length; i += 4) {
                a0 += x[o0 + i] - shift;
                a1 += x[o0 + i + 1] - shift;
                a2 += x[o0 + i + 2] - shift;
                a3 += x[o0 + i + 3] - shift;
                b0 += x[o1 + i] - shift;
                b1 += x[o1 + i + 1] - shift;
                b2 += x[o1 + i + 2] - shift;
                b3 += x[o1 + i + 3] - shift;
                c0 += x[o2 + i] - shift;
                c1 += x[o2 + i + 1] - shift;
                c2 += x[o2 + i + 2] - shift;
                c3 += x[o2 + i + 3] - shift;
                d0 += x[o3 + i] - shift;
                d1 += x[o3 + i + 1] - shift;
                d2 += x[o3 + i + 2] - shift;
                d3 += x[o3 + i + 3] - shift;
            }
            out[n] = finishSum(x, o0, i, length, shift, a0, a1, a2, a3);
            out[n + 1] = finishSum(x, o1, i, length, shift, b0, b1, b2, b3);
            out[n + 2] = finishSum(x, o2, i, length, shift, c0, c1, c2, c3);
            out[n + 3] = finishSum(x, o3, i, length, shift, d0, d1, d2, d3);
        }
        for (; n < planes; n++) {
            out[n] = sum(x, first + n * stride, length, shift);
        }
    }

    /** Σ (x[i] − mu)² over [from .. from + length), the reference loop. */
    static float sumSquares(float[] x, int from, int length, float mu) {
        return finishSquares(x, from, 0, length, mu, 0f, 0f, 0f, 0f);
    }

    /**
     * The reference loop of {@link #sumSquares} for the plane at {@code off}, continued from its
     * element i (a multiple of 4) with lanes l0..l3; then its tail and the lanes added.
     */
    static float finishSquares(float[] x, int off, int i, int length, float mu, float l0, float l1,
                        float l2, float l3) {
        for (; i + 4 <= length; i += 4) {
            int o = off + i;
            float tl0 = x[o] - mu;
            l0 += tl0 * tl0;
            float tl1 = x[o + 1] - mu;
            l1 += tl1 * tl1;
            float tl2 = x[o + 2] - mu;
            l2 += tl2 * tl2;
            float tl3 = x[o + 3] - mu;
            l3 += tl3 * tl3;
        }
        for (; i < length; i++) {
            float tl0 = x[off + i] - mu;
            l0 += tl0 * tl0;
        }
        return (l0 + l1) + (l2 + l3);
    }

    @Override
    public void sumSquares(float[] x, int first, int stride, int planes, int length, float mu, float[] out) {
        int n = 0;
        for (; n + 4 <= planes; n += 4) {
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            float b0 = 0f;
            float b1 = 0f;
            float b2 = 0f;
            float b3 = 0f;
            float c0 = 0f;
            float c1 = 0f;
            float c2 = 0f;
            float c3 = 0f;
            float d0 = 0f;
            float d1 = 0f;
            float d2 = 0f;
            float d3 = 0f;
            int i = 0;
            for (; i + 4 <= length; i += 4) {
                float ta0 = x[o0 + i] - mu;
                a0 += ta0 * ta0;
                float ta1 = x[o0 + i + 1] - mu;
                a1 += ta1 * ta1;
                float ta2 = x[o0 + i + 2] - mu;
                a2 += ta2 * ta2;
                float ta3 = x[o0 + i + 3] - mu;
                a3 += ta3 * ta3;
                float tb0 = x[o1 + i] - mu;
                b0 += tb0 * tb0;
                float tb1 = x[o1 + i + 1] - mu;
                b1 += tb1 * tb1;
                float tb2 = x[o1 + i + 2] - mu;
                b2 += tb2 * tb2;
                float tb3 = x[o1 + i + 3] - mu;
                b3 += tb3 * tb3;
                float tc0 = x[o2 + i] - mu;
                c0 += tc0 * tc0;
                float tc1 = x[o2 + i + 1] - mu;
                c1 += tc1 * tc1;
                float tc2 = x[o2 + i + 2] - mu;
                c2 += tc2 * tc2;
                float tc3 = x[o2 + i + 3] - mu;
                c3 += tc3 * tc3;
                float td0 = x[o3 + i] - mu;
                d0 += td0 * td0;
                float td1 = x[o3 + i + 1] - mu;
                d1 += td1 * td1;
                float td2 = x[o3 + i + 2] - mu;
                d2 += td2 * td2;
                float td3 = x[o3 + i + 3] - mu;
                d3 += td3 * td3;
            }
            out[n] = finishSquares(x, o0, i, length, mu, a0, a1, a2, a3);
            out[n + 1] = finishSquares(x, o1, i, length, mu, b0, b1, b2, b3);
            out[n + 2] = finishSquares(x, o2, i, length, mu, c0, c1, c2, c3);
            out[n + 3] = finishSquares(x, o3, i, length, mu, d0, d1, d2, d3);
        }
        for (; n < planes; n++) {
            out[n] = sumSquares(x, first + n * stride, length, mu);
        }
    }

    /** Σ g[i]·(x[i] − mu) over [from .. from + length), the reference loop. */
    static float dotCentred(float[] g, float[] x, int from, int length, float mu) {
        return finishDot(g, from, x, from, 0, length, mu, 0f, 0f, 0f, 0f);
    }

    /** Σ g[gFrom + i]·(x[from + i] − mu) over i &lt; length, the reference loop. */
    static float dotCentred(float[] g, int gFrom, float[] x, int from, int length, float mu) {
        return finishDot(g, gFrom, x, from, 0, length, mu, 0f, 0f, 0f, 0f);
    }

    /**
     * The reference loop of {@link #dotCentred} for the plane at {@code off} (its g at
     * {@code gOff}), continued from its
     * element i (a multiple of 4) with lanes l0..l3; then its tail and the lanes added.
     */
    static float finishDot(float[] g, int gOff, float[] x, int off, int i, int length, float mu, float l0,
                           float l1, float l2, float l3) {
        for (; i + 4 <= length; i += 4) {
            int o = off + i;
            int p = gOff + i;
            l0 += g[p] * (x[o] - mu);
            l1 += g[p + 1] * (x[o + 1] - mu);
            l2 += g[p + 2] * (x[o + 2] - mu);
            l3 += g[p + 3] * (x[o + 3] - mu);
        }
        for (; i < length; i++) {
            l0 += g[gOff + i] * (x[off + i] - mu);
        }
        return (l0 + l1) + (l2 + l3);
    }

    @Override
    public void dotCentredEach(float[] g, int gFirst, int gStride, float[] x, int first, int stride, int planes,
                               int length, float[] mus, int musFrom, float[] out) {
        for (int n = 0; n < planes; n++) {
            out[n] = dotCentred(g, gFirst + n * gStride, x, first + n * stride, length, mus[musFrom + n]);
        }
    }

    @Override
    public void dotCentred(float[] g, int gFirst, int gStride, float[] x, int first, int stride, int planes,
                           int length, float mu, float[] out) {
        int n = 0;
        for (; n + 4 <= planes; n += 4) {
            int o0 = first + n * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            int p0 = gFirst + n * gStride;
            int p1 = p0 + gStride;
            int p2 = p1 + gStride;
            int p3 = p2 + gStride;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            float b0 = 0f;
            float b1 = 0f;
            float b2 = 0f;
            float b3 = 0f;
            float c0 = 0f;
            float c1 = 0f;
            float c2 = 0f;
            float c3 = 0f;
            float d0 = 0f;
            float d1 = 0f;
            float d2 = 0f;
            float d3 = 0f;
            int i = 0;
            for (; i + 4 <= length; i += 4) {
                a0 += g[p0 + i] * (x[o0 + i] - mu);
                a1 += g[p0 + i + 1] * (x[o0 + i + 1] - mu);
                a2 += g[p0 + i + 2] * (x[o0 + i + 2] - mu);
                a3 += g[p0 + i + 3] * (x[o0 + i + 3] - mu);
                b0 += g[p1 + i] * (x[o1 + i] - mu);
                b1 += g[p1 + i + 1] * (x[o1 + i + 1] - mu);
                b2 += g[p1 + i + 2] * (x[o1 + i + 2] - mu);
                b3 += g[p1 + i + 3] * (x[o1 + i + 3] - mu);
                c0 += g[p2 + i] * (x[o2 + i] - mu);
                c1 += g[p2 + i + 1] * (x[o2 + i + 1] - mu);
                c2 += g[p2 + i + 2] * (x[o2 + i + 2] - mu);
                c3 += g[p2 + i + 3] * (x[o2 + i + 3] - mu);
                d0 += g[p3 + i] * (x[o3 + i] - mu);
                d1 += g[p3 + i + 1] * (x[o3 + i + 1] - mu);
                d2 += g[p3 + i + 2] * (x[o3 + i + 2] - mu);
                d3 += g[p3 + i + 3] * (x[o3 + i + 3] - mu);
            }
            out[n] = finishDot(g, p0, x, o0, i, length, mu, a0, a1, a2, a3);
            out[n + 1] = finishDot(g, p1, x, o1, i, length, mu, b0, b1, b2, b3);
            out[n + 2] = finishDot(g, p2, x, o2, i, length, mu, c0, c1, c2, c3);
            out[n + 3] = finishDot(g, p3, x, o3, i, length, mu, d0, d1, d2, d3);
        }
        for (; n < planes; n++) {
            out[n] = dotCentred(g, gFirst + n * gStride, x, first + n * stride, length, mu);
        }
    }

    @Override
    public void inputGrad(float[] x, float[] g, int gFrom, int xFrom, int length, float mu, float a, float b,
                          float d, float[] gx, boolean overwrite) {
        inputGradRange(x, g, gFrom - xFrom, xFrom, xFrom + length, mu, a, b, d, gx, overwrite);
    }

    @Override
    public void winnerGradients(float[] gy, float[] z, int[] argmax, int from, int to, int shift, float[] buf) {
        winnerGradientRange(gy, z, argmax, from, to, shift, buf);
    }

    /** {@link #winnerGradients}: the reference loop. */
    static void winnerGradientRange(float[] gy, float[] z, int[] argmax, int from, int to, int shift, float[] buf) {
        for (int o = from; o < to; o++) {
            buf[argmax[o] + shift] = 0f + gy[o] * Elementwise.reluSlope(z[o]);
        }
    }

    /** {@link #inputGrad} over x's [from, to), g shifted by {@code shift}: the reference loop. */
    static void inputGradRange(float[] x, float[] g, int shift, int from, int to, float mu, float a, float b, float d,
                          float[] gx, boolean overwrite) {
        if (overwrite) {
            for (int i = from; i < to; i++) {
                gx[i] = 0f + (a * g[i + shift] + (b * (x[i] - mu) + d));
            }
        } else {
            for (int i = from; i < to; i++) {
                gx[i] += a * g[i + shift] + (b * (x[i] - mu) + d);
            }
        }
    }
}
