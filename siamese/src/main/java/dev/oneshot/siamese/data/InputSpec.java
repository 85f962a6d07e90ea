package dev.oneshot.siamese.data;

import dev.oneshot.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an embedding network takes, and how an image file becomes that: {@code height × width}
 * grey pixels in [0, 1] (area-averaged to that size), inverted or not, and whether an embedding
 * averages the photo with its mirror image (test-time flip, see
 * {@link dev.oneshot.siamese.twin.TwinNetwork}). A recipe names one; a trained model's card
 * keeps it, so every command reads images for that model the same way.
 *
 * @param height        rows of the network input
 * @param width         columns of the network input
 * @param channels      input channels (1: grey; images are always read as one grey channel)
 * @param invert        strokes of 1 on 0: images on light paper are mapped v → 1 − v after resizing
 *                      (Omniglot's dark strokes), images already light on dark are kept
 * @param mirrorAverage eval-mode embeddings are f(x) + f(mirror(x)) before normalisation
 * @param shiftAverage  eval-mode embeddings also sum f over the image moved by one pixel in each
 *                      of the eight directions (zeros moved in), before normalisation: nine views,
 *                      eighteen with {@code mirrorAverage} (test-time shifts, see
 *                      {@link dev.oneshot.siamese.twin.TwinNetwork})
 * @param fitInk        each image is cropped to a window around its ink before resizing, so that
 *                      the ink's larger extent fills the same share of the frame and is centred
 *                      ({@link InkFit}; for drawn characters)
 * @param strokeWidth   &gt; 0: each image's ink is thinned to its centre line and drawn again with
 *                      strokes this many pixels of the network input wide, before the fit ({@link StrokeWidth}; for
 *                      drawn characters, whatever pen drew them); 0 keeps the strokes as drawn
 * @param stretchLevels each image's levels are stretched first, so that its paper reads as paper and
 *                      its darkest ink as full ink ({@link InkLevels}; a scan's grey paper, a faint
 *                      pencil)
 */
public record InputSpec(int height, int width, int channels, boolean invert, boolean mirrorAverage,
                        boolean shiftAverage, boolean fitInk, double strokeWidth, boolean stretchLevels) {
    /** The smallest side accepted. */
    public static final int MIN_SIDE = 4;
    /** The largest side accepted. */
    public static final int MAX_SIDE = 1024;

    public InputSpec {
        if (height < MIN_SIDE || height > MAX_SIDE || width < MIN_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("InputSpec: image size " + height + "×" + width + " is outside "
                    + MIN_SIDE + ".." + MAX_SIDE);
        }
        if (channels != 1) {
            throw new IllegalArgumentException("InputSpec: images are read as one grey channel; channels must be 1, got "
                    + channels);
        }
        StrokeWidth.check(strokeWidth, "InputSpec: stroke_width");
    }

    /** With the strokes as drawn. */
    public InputSpec(int height, int width, int channels, boolean invert, boolean mirrorAverage,
                     boolean shiftAverage, boolean fitInk) {
        this(height, width, channels, invert, mirrorAverage, shiftAverage, fitInk, 0);
    }

    /** With the levels as read. */
    public InputSpec(int height, int width, int channels, boolean invert, boolean mirrorAverage,
                     boolean shiftAverage, boolean fitInk, double strokeWidth) {
        this(height, width, channels, invert, mirrorAverage, shiftAverage, fitInk, strokeWidth, false);
    }

    /** Without shift averaging or ink fitting. */
    public InputSpec(int height, int width, int channels, boolean invert, boolean mirrorAverage) {
        this(height, width, channels, invert, mirrorAverage, false, false);
    }

    /** A grey {@code side × side} input, not inverted, no mirror averaging. */
    public static InputSpec square(int side) {
        return new InputSpec(side, side, 1, false, false);
    }

    /** A grey {@code height × width} input, not inverted, no mirror averaging. */
    public static InputSpec of(int height, int width) {
        return new InputSpec(height, width, 1, false, false);
    }

    /** The same with inverted pixels (strokes 1 on a background of 0). */
    public InputSpec inverted() {
        return new InputSpec(height, width, channels, true, mirrorAverage, shiftAverage, fitInk, strokeWidth,
                stretchLevels);
    }

    /** The same with mirror averaging of eval-mode embeddings. */
    public InputSpec mirrorAveraged() {
        return new InputSpec(height, width, channels, invert, true, shiftAverage, fitInk, strokeWidth,
                stretchLevels);
    }

    /** The same with shift averaging of eval-mode embeddings (the image and its eight one-pixel moves). */
    public InputSpec shiftAveraged() {
        return new InputSpec(height, width, channels, invert, mirrorAverage, true, fitInk, strokeWidth,
                stretchLevels);
    }

    /** The same with each image's ink fitted to the frame ({@link InkFit}). */
    public InputSpec inkFitted() {
        return new InputSpec(height, width, channels, invert, mirrorAverage, shiftAverage, true, strokeWidth,
                stretchLevels);
    }

    /** The same with the strokes redrawn {@code pen} output pixels wide ({@link StrokeWidth}; 0: as drawn). */
    public InputSpec withStrokeWidth(double pen) {
        return new InputSpec(height, width, channels, invert, mirrorAverage, shiftAverage, fitInk, pen,
                stretchLevels);
    }

    /** The same with each image's levels stretched first ({@link InkLevels}). */
    public InputSpec levelsStretched() {
        return new InputSpec(height, width, channels, invert, mirrorAverage, shiftAverage, fitInk, strokeWidth, true);
    }

    /** The same at another size. */
    public InputSpec withSize(int newHeight, int newWidth) {
        return new InputSpec(newHeight, newWidth, channels, invert, mirrorAverage, shiftAverage, fitInk, strokeWidth,
                stretchLevels);
    }

    /** How image files are decoded for this input. */
    public ImageOptions imageOptions() {
        return new ImageOptions(height, width, Resize.Method.AREA, invert, fitInk, strokeWidth, stretchLevels);
    }

    /** The shape of one image, {@code {C, H, W}}. */
    public int[] imageShape() {
        return new int[] {channels, height, width};
    }

    /** {@code "28×28"}, for messages. */
    public String display() {
        return height + "×" + width;
    }

    /**
     * Parses a size {@code "PX"} or {@code "HxW"} ({@code x}, {@code X} or {@code ×}) into
     * {@code {height, width}}.
     *
     * @param what names the option or field in the error message
     */
    public static int[] parseSize(String text, String what) {
        String[] parts = text.trim().split("[x×X]", -1);
        try {
            if (parts.length == 1 || parts.length == 2) {
                int h = Integer.parseInt(parts[0].trim());
                int w = parts.length == 1 ? h : Integer.parseInt(parts[1].trim());
                if (h < MIN_SIDE || h > MAX_SIDE || w < MIN_SIDE || w > MAX_SIDE) {
                    throw new IllegalArgumentException(what + ": image size " + h + "×" + w + " is outside "
                            + MIN_SIDE + ".." + MAX_SIDE);
                }
                return new int[] {h, w};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be PX or HEIGHTxWIDTH (e.g. 28 or 56x46), got '" + text + "'");
    }

    /**
     * The JSON form: {@code {"height":28,"width":23,"channels":1,"invert":false,"mirror_average":true}},
     * and {@code "shift_average":true}, {@code "fit_ink":true}, {@code "stroke_width":W} and
     * {@code "stretch_levels":true} when set (absent means false or 0: cards written before them read
     * the same).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("height", height);
        o.put("width", width);
        o.put("channels", channels);
        o.put("invert", invert);
        o.put("mirror_average", mirrorAverage);
        if (shiftAverage) {
            o.put("shift_average", true);
        }
        if (fitInk) {
            o.put("fit_ink", true);
        }
        if (strokeWidth != 0) {
            o.put("stroke_width", strokeWidth);
        }
        if (stretchLevels) {
            o.put("stretch_levels", true);
        }
        return o;
    }

    /** Reads {@link #toJson()}'s form; errors name the field. */
    public static InputSpec fromJson(JsonObject o) {
        o.requireOnly("height", "width", "channels", "invert", "mirror_average", "shift_average", "fit_ink",
                "stroke_width", "stretch_levels");
        return new InputSpec(o.integer("height", MIN_SIDE, MAX_SIDE), o.integer("width", MIN_SIDE, MAX_SIDE),
                o.integer("channels", 1, 1, 1), o.bool("invert", false), o.bool("mirror_average", false),
                o.bool("shift_average", false), o.bool("fit_ink", false),
                o.number("stroke_width", 0, 0, StrokeWidth.MAX_WIDTH), o.bool("stretch_levels", false));
    }
}
