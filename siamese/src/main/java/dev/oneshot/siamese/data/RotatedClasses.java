package dev.oneshot.siamese.data;

import java.util.Map;

/**
 * A view that turns every class into {@code turns} classes: the images as they are, and the same
 * images rotated by 180° (with 4, also by 90° and 270° counter-clockwise; with 8, also the mirror
 * image in each of the four turns), each a class of its own. A character turned on its side or
 * mirrored is, to a reader, another character — so a few hundred training characters become
 * four or eight times as many, the negatives get harder, and the network learns strokes rather
 * than the handful of shapes it was shown. Measured to help on handwriting (Omniglot); on
 * Fashion-MNIST and on ORL faces, where a turned item never occurs, the extra classes lowered
 * the scores on new classes (docs/experiments.md): telling an image from its turned copy is a
 * distinction new shoes and faces do not need. Where a turned example can occur it is the same
 * class and must not be taught as another.
 *
 * <p>Example {@code r·n + i} is example {@code i} of the source rotated by {@code r mod 4} quarter
 * turns (mirrored left to right first when {@code r ≥ 4}), with label {@code r·C + label(i)} and
 * class name {@code name + "@90"}, {@code name + "@m"}, {@code name + "@m90"} (and so on).
 * Pixels are rotated when copied; nothing is held but the source. Turning by 90° needs square
 * images; 180° any.
 */
public final class RotatedClasses implements LabeledImages {
    private final LabeledImages source;
    private final int turns;
    private final int height;
    private final int width;
    private final int channels;

    /**
     * @param source images, square unless {@code turns} is 1 or 2
     * @param turns  1 (the source as it is), 2 (+180°), 4 (+90°, 180°, 270°) or 8 (the four turns
     *               of the image and of its mirror image)
     */
    public RotatedClasses(LabeledImages source, int turns) {
        int[] s = source.imageShape();
        if (turns != 1 && turns != 2 && turns != 4 && turns != 8) {
            throw new IllegalArgumentException("RotatedClasses: turns must be 1, 2, 4 or 8, got " + turns);
        }
        if (turns > 2 && s[1] != s[2]) {
            throw new IllegalArgumentException("RotatedClasses: images must be square to turn by 90°, got "
                    + s[1] + "×" + s[2]);
        }
        this.source = source;
        this.turns = turns;
        this.height = s[1];
        this.width = s[2];
        this.channels = s[0];
    }

    /** Quarter turns of view {@code r} (0..3). */
    private int quarterTurns(int r) {
        return turns == 2 ? 2 * r : r % 4;
    }

    /** Whether view {@code r} mirrors the image (left to right) before turning it. */
    private static boolean mirrored(int r) {
        return r >= 4;
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
        int degrees = 90 * quarterTurns(r);
        String view = (mirrored(r) ? "m" : "") + (degrees == 0 ? "" : degrees);
        return view.isEmpty() ? name : name + "@" + view;
    }

    @Override
    public int[] imageShape() {
        return source.imageShape();
    }

    @Override
    public void copyImage(int i, float[] out, int offset) {
        int r = i / source.size();
        int q = quarterTurns(r);
        boolean mirror = mirrored(r);
        if (q == 0 && !mirror) {
            source.copyImage(i % source.size(), out, offset);
            return;
        }
        float[] src = source.image(i % source.size());
        int h = height;
        int w = width; // equal to h whenever q is 1 or 3
        int plane = h * w;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // Output pixel (y, x) reads the source pixel that a counter-clockwise turn brings there.
                    int sy;
                    int sx;
                    switch (q) {
                        case 1 -> { sy = x; sx = w - 1 - y; }
                        case 2 -> { sy = h - 1 - y; sx = w - 1 - x; }
                        case 3 -> { sy = h - 1 - x; sx = y; }
                        default -> { sy = y; sx = x; }
                    }
                    if (mirror) { // the turn reads the mirror image, whose (sy, sx) is the source's (sy, w − 1 − sx)
                        sx = w - 1 - sx;
                    }
                    out[offset + base + y * w + x] = src[base + sy * w + sx];
                }
            }
        }
    }

    @Override
    public Map<String, String> metadata(int i) {
        return source.metadata(i % source.size());
    }
}
