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
        int q = n / 200;
        float[] levels = orderStatistics(g, q, n / 2, n - 1 - q);
        float median = levels[1];
        boolean light = median - levels[0] >= levels[2] - median;
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
        float[] inkAndTop = orderStatistics(u, q, n / 2);
        float ink = inkAndTop[0];
        float top = inkAndTop[1];
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
     * The values of the given ranks (0 = the smallest; ascending ranks) in {@code values}, as
     * {@code Arrays.sort} would place them, found by selection in O(n) rather than by sorting:
     * quickselect with a three-way partition (paper holds many equal values), a median-of-three
     * pivot, and a sort of what is left should the partitions stop shrinking.
     */
    static float[] orderStatistics(float[] values, int... ranks) {
        float[] a = values.clone();
        float[] out = new float[ranks.length];
        int from = 0;
        for (int i = 0; i < ranks.length; i++) {
            if (i > 0 && ranks[i] < ranks[i - 1]) {
                throw new IllegalArgumentException("InkLevels.orderStatistics: ranks must ascend, got "
                        + Arrays.toString(ranks));
            }
            out[i] = select(a, from, a.length, ranks[i]);
            from = ranks[i]; // everything before rank k is now ≤ a[k]
        }
        return out;
    }

    /** Places the value of rank k of a[lo … hi) at a[k], smaller ones before it, larger after. */
    private static float select(float[] a, int lo, int hi, int k) {
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(hi - lo + 1)) + 8;
        while (hi - lo > 16) {
            if (budget-- == 0) {
                Arrays.sort(a, lo, hi);
                return a[k];
            }
            float pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi - 1]);
            // a[lo … lt) < pivot, a[lt … i) == pivot, a[gt … hi) > pivot
            int lt = lo, i = lo, gt = hi;
            while (i < gt) {
                int c = Float.compare(a[i], pivot);
                if (c < 0) {
                    swap(a, lt++, i++);
                } else if (c > 0) {
                    swap(a, i, --gt);
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt;
            } else if (k >= gt) {
                lo = gt;
            } else {
                return pivot;
            }
        }
        Arrays.sort(a, lo, hi);
        return a[k];
    }

    private static float medianOfThree(float x, float y, float z) {
        return Float.compare(x, y) < 0
                ? (Float.compare(y, z) < 0 ? y : Float.compare(x, z) < 0 ? z : x)
                : (Float.compare(x, z) < 0 ? x : Float.compare(y, z) < 0 ? z : y);
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /**
     * The maximum over the (2r+1)² window round each pixel (clipped at the borders): a running
     * maximum along the rows, then along the columns, each in O(1) per pixel whatever r
     * (van Herk's and Gil &amp; Werman's blocks of 2r + 1: a maximum from each block's start and one
     * from its end, and every window spans at most two blocks). The columns are read as the rows
     * of the transposed image, so both passes run along memory.
     */
    static float[] localMax(float[] u, int h, int w, int r) {
        float[][] scratch = {new float[Math.max(h, w)], new float[Math.max(h, w)]};
        float[] rows = new float[u.length];
        for (int y = 0; y < h; y++) {
            runningMax(u, y * w, w, r, rows, scratch);
        }
        float[] columns = transpose(rows, h, w);
        for (int x = 0; x < w; x++) {
            runningMax(columns, x * h, h, r, rows, scratch);
        }
        return transpose(rows, w, h);
    }

    /**
     * out[at + i] = max of v[at + max(0, i − r) … at + min(n − 1, i + r)], i &lt; n. A window of
     * 2r + 1 values that lies inside one block starts that block, so only a window cut by the
     * border does, and then it is read from the block's start (left border) or up to its end.
     */
    static void runningMax(float[] v, int at, int n, int r, float[] out, float[][] scratch) {
        int k = 2 * r + 1;
        float[] fromStart = scratch[0];
        float[] fromEnd = scratch[1];
        for (int start = 0; start < n; start += k) {
            int end = Math.min(n, start + k) - 1;
            fromStart[start] = v[at + start];
            for (int i = start + 1; i <= end; i++) {
                fromStart[i] = Math.max(fromStart[i - 1], v[at + i]);
            }
            fromEnd[end] = v[at + end];
            for (int i = end - 1; i >= start; i--) {
                fromEnd[i] = Math.max(fromEnd[i + 1], v[at + i]);
            }
        }
        for (int i = 0; i < n; i++) {
            int a = Math.max(0, i - r);
            int b = Math.min(n - 1, i + r);
            if (a / k != b / k) {
                out[at + i] = Math.max(fromEnd[a], fromStart[b]); // the end of a's block, the start of b's
            } else {
                out[at + i] = a % k == 0 ? fromStart[b] : fromEnd[a]; // one block: cut at the left or the right
            }
        }
    }

    /** The {@code w × h} transpose of an {@code h × w} image, in 32 × 32 tiles. */
    private static float[] transpose(float[] v, int h, int w) {
        float[] t = new float[v.length];
        for (int y0 = 0; y0 < h; y0 += 32) {
            for (int x0 = 0; x0 < w; x0 += 32) {
                for (int y = y0; y < Math.min(h, y0 + 32); y++) {
                    for (int x = x0; x < Math.min(w, x0 + 32); x++) {
                        t[x * h + y] = v[y * w + x];
                    }
                }
            }
        }
        return t;
    }
}
