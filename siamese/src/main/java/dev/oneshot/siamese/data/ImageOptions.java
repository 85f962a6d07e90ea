package dev.oneshot.siamese.data;

/**
 * How decoded images are turned into network input: always one grey-scale channel in [0, 1];
 * optionally resized and inverted.
 *
 * @param height height after resizing, or 0 to keep each file's own size (all files must then agree)
 * @param width  width after resizing, or 0 to keep each file's own size
 * @param method resampling method when the size changes
 * @param invert {@code true} asks for strokes of 1 on a background of 0: an image drawn on light
 *               paper (at least half of its values above ½, e.g. Omniglot's files or a scan) is
 *               mapped v → 1 − v after resizing, one already light on dark (MNIST's digits) is
 *               kept (see {@link GrayImages#convert})
 * @param fitInk {@code true} crops each image to a window around its ink before resizing
 *               ({@link InkFit}); needs a size
 * @param stretchLevels {@code true} stretches each image's levels so that its paper reads as paper
 *               and its darkest ink as full ink, before anything else ({@link InkLevels})
 * @param strokeWidth &gt; 0 thins each image's ink to its centre line and draws it again with
 *               strokes this many output pixels wide, before fitting and resizing
 *               ({@link StrokeWidth}); 0 keeps the pen the image was drawn with
 */
public record ImageOptions(int height, int width, Resize.Method method, boolean invert, boolean fitInk,
                           double strokeWidth, boolean stretchLevels) {

    public ImageOptions {
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("ImageOptions: height and width must both be > 0, or both 0 "
                    + "(keep the native size); got " + height + "×" + width);
        }
        if (method == null) {
            throw new IllegalArgumentException("ImageOptions: method must not be null");
        }
        if (fitInk && height == 0) {
            throw new IllegalArgumentException("ImageOptions: fitting the ink to the frame needs a size to resize to");
        }
        StrokeWidth.check(strokeWidth, "ImageOptions: strokeWidth");
    }

    /** Without stretching the levels. */
    public ImageOptions(int height, int width, Resize.Method method, boolean invert, boolean fitInk,
                        double strokeWidth) {
        this(height, width, method, invert, fitInk, strokeWidth, false);
    }

    /** Without redrawing the strokes or stretching the levels. */
    public ImageOptions(int height, int width, Resize.Method method, boolean invert, boolean fitInk) {
        this(height, width, method, invert, fitInk, 0);
    }

    /** Without fitting the ink or redrawing the strokes. */
    public ImageOptions(int height, int width, Resize.Method method, boolean invert) {
        this(height, width, method, invert, false);
    }

    /** Native size, no inversion. */
    public static ImageOptions nativeSize() {
        return new ImageOptions(0, 0, Resize.Method.AREA, false);
    }

    /** Resize to {@code side×side} with area averaging, no inversion. */
    public static ImageOptions square(int side) {
        return new ImageOptions(side, side, Resize.Method.AREA, false);
    }

    /** The same options with {@code invert} set. */
    public ImageOptions inverted(boolean on) {
        return new ImageOptions(height, width, method, on, fitInk, strokeWidth, stretchLevels);
    }

    /** The same options with another resampling method. */
    public ImageOptions with(Resize.Method m) {
        return new ImageOptions(height, width, m, invert, fitInk, strokeWidth, stretchLevels);
    }

    /** The same options with {@code fitInk} set. */
    public ImageOptions inkFitted(boolean on) {
        return new ImageOptions(height, width, method, invert, on, strokeWidth, stretchLevels);
    }

    /** The same options with the strokes redrawn {@code pen} output pixels wide (0: as drawn). */
    public ImageOptions withStrokeWidth(double pen) {
        return new ImageOptions(height, width, method, invert, fitInk, pen, stretchLevels);
    }

    /** The same options with {@code stretchLevels} set ({@link InkLevels}). */
    public ImageOptions levelsStretched(boolean on) {
        return new ImageOptions(height, width, method, invert, fitInk, strokeWidth, on);
    }

    /** Whether a size was configured. */
    public boolean resizes() {
        return height > 0;
    }
}
