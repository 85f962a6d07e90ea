package dev.oneshot.siamese.data;

import java.util.Map;

/**
 * A view that turns every class into {@code turns} classes: the images as they are, and the same
 * images rotated by 90°, 180°, 270° counter-clockwise, each rotation a class of its own. A
 * character turned on its side is, to a reader, another character — so a few hundred training
 * characters become four times as many, the negatives a triplet sees get harder, and the network
 * learns strokes rather than the handful of shapes it was shown. Not for faces or products,
 * where a rotated example is the same class.
 *
 * <p>Example {@code r·n + i} is example {@code i} of the source rotated by {@code r} quarter
 * turns, with label {@code r·C + label(i)} and class name {@code name + "@90"} (and so on).
 * Pixels are rotated when copied; nothing is held but the source. Images must be square.
 */
public final class RotatedClasses implements LabeledImages {
    private final LabeledImages source;
    private final int turns;
    private final int side;
    private final int channels;

    /**
     * @param source square images
     * @param turns  1 (the source as it is), 2 (+180°) or 4 (+90°, 180°, 270°)
     */
    public RotatedClasses(LabeledImages source, int turns) {
        int[] s = source.imageShape();
        if (turns != 1 && turns != 2 && turns != 4) {
            throw new IllegalArgumentException("RotatedClasses: turns must be 1, 2 or 4, got " + turns);
        }
        if (s[1] != s[2]) {
            throw new IllegalArgumentException("RotatedClasses: images must be square to turn by 90°, got "
                    + s[1] + "×" + s[2]);
        }
        this.source = source;
        this.turns = turns;
        this.side = s[1];
        this.channels = s[0];
    }

    /** Quarter turns of example {@code i} (0..3). */
    private int quarterTurns(int i) {
        int r = i / source.size();
        return turns == 2 ? 2 * r : r;
    }

    @Override
    public int size() {
        return source.size() * turns;
    }

    @Override
    public int label(int i) {
        return (i / source.size()) * source.classCount() + source.label(i % source.size());
    }

    @Override
    public int classCount() {
        return source.classCount() * turns;
    }

    @Override
    public String className(int c) {
        int r = c / source.classCount();
        String name = source.className(c % source.classCount());
        int degrees = 90 * (turns == 2 ? 2 * r : r);
        return degrees == 0 ? name : name + "@" + degrees;
    }

    @Override
    public int[] imageShape() {
        return source.imageShape();
    }

    @Override
    public void copyImage(int i, float[] out, int offset) {
        int q = quarterTurns(i);
        if (q == 0) {
            source.copyImage(i % source.size(), out, offset);
            return;
        }
        float[] src = source.image(i % source.size());
        int n = side;
        int plane = n * n;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    // Output pixel (y, x) reads the source pixel that a counter-clockwise turn brings there.
                    int sy;
                    int sx;
                    switch (q) {
                        case 1 -> { sy = x; sx = n - 1 - y; }
                        case 2 -> { sy = n - 1 - y; sx = n - 1 - x; }
                        default -> { sy = n - 1 - x; sx = y; }
                    }
                    out[offset + base + y * n + x] = src[base + sy * n + sx];
                }
            }
        }
    }

    @Override
    public Map<String, String> metadata(int i) {
        return source.metadata(i % source.size());
    }
}
