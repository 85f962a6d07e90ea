package dev.oneshot.siamese.data;

/**
 * Size and position normalisation of drawn characters (as MNIST's digits were prepared): the
 * image is cropped to a window around its ink's bounding box so that, once resized to the
 * network's input, the ink's larger extent fills {@link #FILL} of the frame and its box is
 * centred — whatever the size the writer drew at, and wherever on the page.
 * <pre>
 *   ink(v) = 1 − v if the images are inverted (dark strokes on light paper), else v
 *   box    = the rows and columns holding a pixel with ink(v) &gt; ½
 *   k      = max(box height / H, box width / W) / FILL        (input pixels per output pixel)
 *   window = ⌈k·H⌉ × ⌈k·W⌉, centred on the box; outside the image it reads the background
 * </pre>
 * An image without ink is returned as it was. Applied the same way to training images and to
 * every image a trained model reads (the model card keeps the option), so it is no
 * dataset-specific step: any handwriting gets it.
 */
public final class InkFit {
    /** The fraction of the output frame the ink's larger extent fills (20 of 28 pixels). */
    public static final double FILL = 20.0 / 28.0;

    private InkFit() {
    }

    /**
     * The window of {@code g} ({@code h × w}, values in [0, 1]) to be resized to
     * {@code outH × outW}; {@code inverted} says which of 0 and 1 is the background (1 when
     * inverted: the paper is light).
     */
    public static GrayImages.Plane crop(float[] g, int h, int w, int outH, int outW, boolean inverted) {
        int[] box = box(g, h, w, inverted);
        if (box == null) {
            return new GrayImages.Plane(g, h, w);
        }
        int y0 = box[0];
        int y1 = box[1];
        int x0 = box[2];
        int x1 = box[3];
        double k = scale(box, outH, outW);
        int ch = (int) Math.ceil(k * outH);
        int cw = (int) Math.ceil(k * outW);
        int top = (int) Math.round((y0 + y1 + 1) / 2.0 - ch / 2.0);
        int left = (int) Math.round((x0 + x1 + 1) / 2.0 - cw / 2.0);
        float background = inverted ? 1f : 0f;
        float[] out = new float[ch * cw];
        for (int y = 0; y < ch; y++) {
            int sy = top + y;
            for (int x = 0; x < cw; x++) {
                int sx = left + x;
                out[y * cw + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? g[sy * w + sx] : background;
            }
        }
        return new GrayImages.Plane(out, ch, cw);
    }

    /** The input pixels per output pixel k of the window for an ink box {@code {y0, y1, x0, x1}}. */
    static double scale(int[] box, int outH, int outW) {
        return Math.max((box[1] - box[0] + 1) / (double) outH, (box[3] - box[2] + 1) / (double) outW) / FILL;
    }

    /** The ink's bounding box {@code {y0, y1, x0, x1}} (inclusive), or null when there is no ink. */
    static int[] box(float[] g, int h, int w, boolean inverted) {
        int y0 = h;
        int y1 = -1;
        int x0 = w;
        int x1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float ink = inverted ? 1f - g[y * w + x] : g[y * w + x];
                if (ink > 0.5f) {
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                }
            }
        }
        return y1 < 0 ? null : new int[] {y0, y1, x0, x1};
    }
}
