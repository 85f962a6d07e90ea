package dev.oneshot.siamese.data;

/**
 * Resizing of one grey-scale plane ({@code h×w}, row-major) to {@code outH×outW}.
 *
 * <ul>
 *   <li>{@link Method#AREA}: each output pixel is the mean of the input area it covers, with
 *       fractional overlaps weighted by their length (a box filter). Right for shrinking, e.g.
 *       Omniglot 105 → 35 averages exact 3×3 blocks; 105 → 28 averages 3.75×3.75 areas.</li>
 *   <li>{@link Method#BILINEAR}: output pixel centre {@code (i + ½)} maps to input coordinate
 *       {@code (i + ½)·in/out − ½} (half-pixel centres, edges clamped); the value interpolates
 *       its four neighbours. Right for enlarging; aliases when shrinking by more than 2.</li>
 * </ul>
 * Same size in and out returns a copy.
 */
public final class Resize {
    /** Interpolation method. */
    public enum Method { AREA, BILINEAR }

    private Resize() {
    }

    /** Resizes {@code src} ({@code h×w}) to {@code outH×outW} with {@code method}. */
    public static float[] resize(float[] src, int h, int w, int outH, int outW, Method method) {
        if (src.length != h * w || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("Resize: " + src.length + " values for " + h + "×" + w
                    + " → " + outH + "×" + outW);
        }
        if (h == outH && w == outW) {
            return src.clone();
        }
        return method == Method.AREA ? area(src, h, w, outH, outW) : bilinear(src, h, w, outH, outW);
    }

    private static float[] bilinear(float[] src, int h, int w, int outH, int outW) {
        float[] out = new float[outH * outW];
        double sy = (double) h / outH, sx = (double) w / outW;
        for (int i = 0; i < outH; i++) {
            double y = Math.min(Math.max((i + 0.5) * sy - 0.5, 0), h - 1);
            int y0 = (int) y, y1 = Math.min(y0 + 1, h - 1);
            double fy = y - y0;
            for (int j = 0; j < outW; j++) {
                double x = Math.min(Math.max((j + 0.5) * sx - 0.5, 0), w - 1);
                int x0 = (int) x, x1 = Math.min(x0 + 1, w - 1);
                double fx = x - x0;
                double top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
                double bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
                out[i * outW + j] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    private static float[] area(float[] src, int h, int w, int outH, int outW) {
        double[][] wy = weights(h, outH);
        double[][] wx = weights(w, outW);
        // Separable: rows first (h × outW), then columns.
        double[] tmp = new double[h * outW];
        for (int r = 0; r < h; r++) {
            for (int j = 0; j < outW; j++) {
                tmp[r * outW + j] = apply(wx[j], src, r * w, 1);
            }
        }
        float[] out = new float[outH * outW];
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < outW; j++) {
                int first = (int) wy[i][0];
                double s = 0;
                for (int k = 1; k < wy[i].length; k++) {
                    s += wy[i][k] * tmp[(first + k - 1) * outW + j];
                }
                out[i * outW + j] = (float) s;
            }
        }
        return out;
    }

    private static double apply(double[] wt, float[] src, int base, int stride) {
        int first = (int) wt[0];
        double s = 0;
        for (int k = 1; k < wt.length; k++) {
            s += wt[k] * src[base + (first + k - 1) * stride];
        }
        return s;
    }

    /**
     * For each output cell {@code o}, covering input interval [o·in/out, (o+1)·in/out):
     * {@code {firstInputIndex, weight₀, weight₁, …}}, weights = overlap / cell length (sum 1).
     */
    private static double[][] weights(int in, int out) {
        double scale = (double) in / out;
        double[][] res = new double[out][];
        for (int o = 0; o < out; o++) {
            double lo = o * scale, hi = (o + 1) * scale;
            int first = (int) Math.floor(lo);
            int last = Math.min((int) Math.ceil(hi) - 1, in - 1);
            double[] wt = new double[last - first + 2];
            wt[0] = first;
            for (int p = first; p <= last; p++) {
                double overlap = Math.min(hi, p + 1) - Math.max(lo, p);
                wt[p - first + 1] = Math.max(overlap, 0) / scale;
            }
            res[o] = wt;
        }
        return res;
    }
}
