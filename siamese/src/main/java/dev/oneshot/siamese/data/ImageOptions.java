package dev.oneshot.siamese.data;

/**
 * How decoded images are turned into network input: always one grey-scale channel in [0, 1];
 * optionally resized and inverted.
 *
 * @param height height after resizing, or 0 to keep each file's own size (all files must then agree)
 * @param width  width after resizing, or 0 to keep each file's own size
 * @param method resampling method when the size changes
 * @param invert {@code true} maps v → 1 − v (after resizing): dark-on-light scans become light-on-dark,
 *               e.g. Omniglot strokes 1 on background 0
 */
public record ImageOptions(int height, int width, Resize.Method method, boolean invert) {

    public ImageOptions {
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("ImageOptions: height and width must both be > 0, or both 0 "
                    + "(keep the native size); got " + height + "×" + width);
        }
        if (method == null) {
            throw new IllegalArgumentException("ImageOptions: method must not be null");
        }
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
        return new ImageOptions(height, width, method, on);
    }

    /** The same options with another resampling method. */
    public ImageOptions with(Resize.Method m) {
        return new ImageOptions(height, width, m, invert);
    }

    /** Whether a size was configured. */
    public boolean resizes() {
        return height > 0;
    }
}
