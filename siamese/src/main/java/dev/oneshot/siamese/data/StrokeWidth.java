package dev.oneshot.siamese.data;

/**
 * Pen-width normalisation of drawn characters: the ink is thinned to its centre line and drawn
 * again with one pen, so that a fine pen and a marker, or a character drawn small and one drawn
 * large (once {@link InkFit} has scaled both to the frame), reach the network with strokes of the
 * same width.
 * <pre>
 *   ink(v)   = 1 − v on light paper, else v;   B = { pixels with ink(v) &gt; ½ }
 *   skeleton = Zhang &amp; Suen's thinning of B (1984): one-pixel-wide, connected as B was
 *   ink'(p)  = clamp(r + ½ − min over skeleton pixels s of ‖p − s‖, 0, 1)   (a disc of radius r, edges
 *              anti-aliased over one pixel)
 *   r        = ½ · width · k, k the input pixels per output pixel of the resize that follows
 * </pre>
 * The result is written back in the image's own polarity (paper stays paper), so cropping,
 * resizing and inversion follow as before. An image without ink is returned as it was.
 */
public final class StrokeWidth {
    /** The widest pen accepted, in output pixels. */
    public static final double MAX_WIDTH = 8;

    private StrokeWidth() {
    }

    /** Refuses a width that is neither 0 (off) nor in (0, {@link #MAX_WIDTH}]; {@code what} names the field. */
    static void check(double width, String what) {
        if (!(width == 0 || (width > 0 && width <= MAX_WIDTH))) {
            throw new IllegalArgumentException(what + " must be 0 (strokes as drawn) or in (0, " + MAX_WIDTH
                    + "] output pixels, got " + width);
        }
    }

    /**
     * {@code g} redrawn as {@code options} ask ({@link ImageOptions#strokeWidth()} &gt; 0), at the
     * scale of the fit or resize that follows; {@code g} itself when they do not ask.
     */
    public static float[] apply(float[] g, int h, int w, ImageOptions options, boolean lightPaper) {
        if (options.strokeWidth() == 0) {
            return g;
        }
        return redraw(g, h, w, lightPaper, options.strokeWidth(), inputPerOutput(g, h, w, options, lightPaper));
    }

    /**
     * {@code g} ({@code h × w}, values in [0, 1]) redrawn with strokes of {@code width} output
     * pixels, at {@code k} input pixels per output pixel; {@code lightPaper} says which of 0 and 1
     * is the paper. {@code g} is not modified.
     */
    public static float[] redraw(float[] g, int h, int w, boolean lightPaper, double width, double k) {
        if (!(width > 0) || !(k > 0) || !Double.isFinite(width * k)) {
            throw new IllegalArgumentException("StrokeWidth: width and k must be finite and > 0, got width=" + width
                    + ", k=" + k);
        }
        boolean[] ink = new boolean[h * w];
        boolean any = false;
        for (int i = 0; i < ink.length; i++) {
            ink[i] = (lightPaper ? 1f - g[i] : g[i]) > 0.5f;
            any |= ink[i];
        }
        if (!any) {
            return g;
        }
        thin(ink, h, w);
        double r = 0.5 * width * k;
        int reach = (int) Math.ceil(r + 0.5);
        float[] cover = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!ink[y * w + x]) {
                    continue;
                }
                for (int dy = -reach; dy <= reach; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -reach; dx <= reach; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) {
                            continue;
                        }
                        float c = (float) Math.min(1, Math.max(0, r + 0.5 - Math.sqrt(dy * dy + dx * dx)));
                        int at = yy * w + xx;
                        if (c > cover[at]) {
                            cover[at] = c;
                        }
                    }
                }
            }
        }
        float[] out = new float[h * w];
        for (int i = 0; i < out.length; i++) {
            out[i] = lightPaper ? 1f - cover[i] : cover[i];
        }
        return out;
    }

    /**
     * k, the input pixels per output pixel of what follows when {@code options} read the image:
     * the ink fit's window ({@link InkFit}) when it fits the ink, else the resize's larger ratio
     * (1 at the native size).
     */
    static double inputPerOutput(float[] g, int h, int w, ImageOptions options, boolean lightPaper) {
        if (!options.resizes()) {
            return 1;
        }
        if (options.fitInk()) {
            int[] box = InkFit.box(g, h, w, lightPaper);
            if (box != null) {
                return InkFit.scale(box, options.height(), options.width());
            }
        }
        return Math.max(h / (double) options.height(), w / (double) options.width());
    }

    /**
     * Zhang &amp; Suen's thinning, in place: two sub-passes repeated until neither removes a pixel.
     * A pixel P₁ with neighbours P₂ … P₉ (north, then clockwise) is removed when 2 ≤ B ≤ 6 ink
     * neighbours, exactly one 0 → 1 step around P₂ … P₉ P₂, and P₂P₄P₆ = P₄P₆P₈ = 0 (first pass)
     * or P₂P₄P₈ = P₂P₆P₈ = 0 (second pass). Pixels outside the image count as paper.
     */
    static void thin(boolean[] b, int h, int w) {
        boolean[] remove = new boolean[b.length];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int pass = 0; pass < 2; pass++) {
                int marked = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (!b[y * w + x]) {
                            continue;
                        }
                        boolean p2 = at(b, h, w, y - 1, x);
                        boolean p3 = at(b, h, w, y - 1, x + 1);
                        boolean p4 = at(b, h, w, y, x + 1);
                        boolean p5 = at(b, h, w, y + 1, x + 1);
                        boolean p6 = at(b, h, w, y + 1, x);
                        boolean p7 = at(b, h, w, y + 1, x - 1);
                        boolean p8 = at(b, h, w, y, x - 1);
                        boolean p9 = at(b, h, w, y - 1, x - 1);
                        boolean[] ring = {p2, p3, p4, p5, p6, p7, p8, p9};
                        int neighbours = 0;
                        int steps = 0;
                        for (int i = 0; i < 8; i++) {
                            if (ring[i]) {
                                neighbours++;
                            }
                            if (!ring[i] && ring[(i + 1) % 8]) {
                                steps++;
                            }
                        }
                        if (neighbours < 2 || neighbours > 6 || steps != 1) {
                            continue;
                        }
                        boolean ok = pass == 0 ? !(p2 && p4 && p6) && !(p4 && p6 && p8)
                                : !(p2 && p4 && p8) && !(p2 && p6 && p8);
                        if (ok) {
                            remove[y * w + x] = true;
                            marked++;
                        }
                    }
                }
                if (marked > 0) {
                    changed = true;
                    for (int i = 0; i < b.length; i++) {
                        if (remove[i]) {
                            b[i] = false;
                            remove[i] = false;
                        }
                    }
                }
            }
        }
    }

    private static boolean at(boolean[] b, int h, int w, int y, int x) {
        return y >= 0 && y < h && x >= 0 && x < w && b[y * w + x];
    }
}
