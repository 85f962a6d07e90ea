package dev.oneshot.app.cli;

import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.Resize;

/**
 * The network's input height × width, as {@code --image-size} and the model file's
 * {@code image_size} metadata write it: {@code "28"} for a square 28×28, {@code "56x46"} for
 * height 56, width 46.
 */
record InputSize(int height, int width) {
    static final int MIN = 4;
    static final int MAX = 1024;

    InputSize {
        if (height < MIN || height > MAX || width < MIN || width > MAX) {
            throw new IllegalArgumentException("image size " + height + "×" + width + " is outside " + MIN + ".." + MAX);
        }
    }

    static InputSize square(int side) {
        return new InputSize(side, side);
    }

    /**
     * Parses {@code "PX"} or {@code "HxW"} ({@code x} or {@code ×}).
     *
     * @param what names the option or field in the error message
     */
    static InputSize parse(String text, String what) {
        String[] parts = text.trim().split("[x×X]", -1);
        try {
            if (parts.length == 1) {
                return square(Integer.parseInt(parts[0].trim()));
            }
            if (parts.length == 2) {
                return new InputSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(what + " must be PX or HEIGHTxWIDTH (e.g. 28 or 56x46), got '" + text + "'");
    }

    boolean isSquare() {
        return height == width;
    }

    /** Area-averaged resizing to this size, inverted or not. */
    ImageOptions options(boolean invert) {
        return new ImageOptions(height, width, Resize.Method.AREA, invert);
    }

    /** {@code "28"} or {@code "56x46"}: what {@link #parse} reads back. */
    @Override
    public String toString() {
        return isSquare() ? Integer.toString(height) : height + "x" + width;
    }

    /** {@code "28×28"} or {@code "56×46"}, for messages. */
    String display() {
        return height + "×" + width;
    }
}
