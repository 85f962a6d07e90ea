package dev.oneshot.siamese.data;

import java.util.Arrays;

/**
 * Level normalisation of drawn characters: a scan's or a photograph's paper — grey, or lit
 * unevenly — and faint ink stretched so that the paper reads as paper (1 on light paper, 0 on
 * dark) and the darkest ink as full ink, as a pen on white would have drawn them.
 * <pre>
 *   paper = the median value; lo, hi = the values at rank ⌊n/200⌋ from either end
 *   light paper when paper − lo ≥ hi − paper; work on u = v (light paper) or u = 1 − v (dark)
 *   P(p) = max of u over the (2r+1)² window round p, r = ⌈max(H, W)/16⌉   (the paper's local level)
 *   u₁ = u / P where P ≥ 1/64, else u                                     (flat field: even light)
 *   ink = the value at rank ⌊n/200⌋ of u₁; top = the median of u₁
 *   u₂ = clamp((u₁ − ink) / (top − ink), 0, 1)   (unchanged when top − ink &lt; 1/64)
 *   v' = u₂ on light paper, 1 − u₂ on dark
 * </pre>
 * The window is wider than a stroke, so it always holds some paper beside the ink, and the light
 * falling off across a page divides out. On images that are already pure paper and ink (values 0
 * and 1: Omniglot's files, MNIST's backgrounds) every step is the identity.
 */
public final class InkLevels {
    /** The smallest paper-to-ink difference that is stretched, and the darkest local paper divided by. */
    static final float MIN_CONTRAST = 1f / 64;

    private InkLevels() {
    }

    /** {@code g} ({@code h × w}, values in [0, 1]) with its levels stretched as above; {@code g} is not modified. */
    public static float[] stretch(float[] g, int h, int w) {
        int n = g.length;
        if (n == 0) {
            return g;
        }
        float[] sorted = g.clone();
        Arrays.sort(sorted);
        int q = n / 200;
        float median = sorted[n / 2];
        boolean light = median - sorted[q] >= sorted[n - 1 - q] - median;
        float[] u = new float[n];
        for (int i = 0; i < n; i++) {
            u[i] = light ? g[i] : 1f - g[i];
        }
        float[] paper = localMax(u, h, w, (int) Math.ceil(Math.max(h, w) / 16.0));
        for (int i = 0; i < n; i++) {
            if (paper[i] >= MIN_CONTRAST) {
                u[i] = u[i] / paper[i];
            }
        }
        float[] flat = u.clone();
        Arrays.sort(flat);
        float ink = flat[q];
        float top = flat[n / 2];
        float range = top - ink;
        if (range < MIN_CONTRAST) {
            return g;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float v = Math.min(1f, Math.max(0f, (u[i] - ink) / range));
            out[i] = light ? v : 1f - v;
        }
        return out;
    }

    /**
     * The maximum over the (2r+1)² window round each pixel (clipped at the borders): a running
     * maximum along the rows, then along the columns, each in O(1) per pixel whatever r
     * (van Herk's and Gil &amp; Werman's blocks of 2r + 1: a maximum from each block's start and one
     * from its end, and every window spans at most two blocks).
     */
    static float[] localMax(float[] u, int h, int w, int r) {
        float[] rows = new float[u.length];
        float[] line = new float[Math.max(h, w)];
        float[] out = new float[Math.max(h, w)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(u, y * w, line, 0, w);
            runningMax(line, w, r, out);
            System.arraycopy(out, 0, rows, y * w, w);
        }
        float[] result = new float[u.length];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                line[y] = rows[y * w + x];
            }
            runningMax(line, h, r, out);
            for (int y = 0; y < h; y++) {
                result[y * w + x] = out[y];
            }
        }
        return result;
    }

    /** out[i] = max of v[max(0, i − r) … min(n − 1, i + r)]. */
    static void runningMax(float[] v, int n, int r, float[] out) {
        int k = 2 * r + 1;
        float[] fromStart = new float[n];
        float[] fromEnd = new float[n];
        for (int i = 0; i < n; i++) {
            fromStart[i] = i % k == 0 ? v[i] : Math.max(fromStart[i - 1], v[i]);
        }
        for (int i = n - 1; i >= 0; i--) {
            fromEnd[i] = i == n - 1 || (i + 1) % k == 0 ? v[i] : Math.max(fromEnd[i + 1], v[i]);
        }
        for (int i = 0; i < n; i++) {
            int a = Math.max(0, i - r);
            int b = Math.min(n - 1, i + r);
            // [a, b] spans at most two blocks: the end part of a's block and the start part of b's
            out[i] = a / k == b / k ? maxOf(v, a, b) : Math.max(fromEnd[a], fromStart[b]);
        }
    }

    /** The maximum of v[a … b] within one block (only where the window is clipped at a border). */
    private static float maxOf(float[] v, int a, int b) {
        float m = v[a];
        for (int i = a + 1; i <= b; i++) {
            m = Math.max(m, v[i]);
        }
        return m;
    }
}
