package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;

import java.util.Map;

/**
 * A view that adds {@code composed} new classes to a set of characters, each made of two source
 * classes A and B: its j-th example is the j-th example of A combined with the j-th of B, in one of
 * three ways drawn once per new class — A's upper half over B's lower half, A's left half beside
 * B's right half, or both drawn on one sheet (the brighter pixel of the two: the ink, when strokes
 * are light on dark as {@link GrayImages} reads them). A new glyph that shares half its strokes
 * with a training character is the kind of near miss a reader of a new alphabet must tell apart,
 * and a few hundred training characters become as many more as wanted; the pairing by example
 * index keeps each new class's variation that of two real hands (for Omniglot, example j of a
 * character is drawer j's when the drawers are listed in the same order). Measured on the Omniglot
 * rotations and the Fashion-MNIST folds and demo (docs/experiments.md): level on characters, where
 * some alphabets gain and one loses, and a loss on the demo's new garments; no built-in recipe
 * composes.
 *
 * <p>Examples {@code 0 .. n−1} are the source's as they are. New class {@code c} (label
 * {@code C + c}, name {@code "A/B@top"}, {@code "A/B@left"} or {@code "A/B@over"}) takes the
 * ordered pair (A, B), A ≠ B, and the way drawn for it by {@code seed}, and has min(n_A, n_B)
 * examples. Pixels are combined when copied; nothing is held but the source and the pairs.
 */
public final class ComposedClasses implements LabeledImages {
    /** How a new class combines its two source characters. */
    enum Way { TOP, LEFT, OVER }

    private final LabeledImages source;
    private final int[] first;
    private final int[] second;
    private final Way[] ways;
    /** For each source class, its examples in increasing order. */
    private final int[][] members;
    /** Example index at which new class c starts (length composed + 1). */
    private final int[] starts;
    private final int height;
    private final int width;
    private final int channels;

    /**
     * @param source   images of at least two classes; each class's examples in a fixed order
     * @param composed how many new classes to add (≥ 0)
     * @param seed     draws the pairs and the ways
     */
    public ComposedClasses(LabeledImages source, int composed, long seed) {
        if (composed < 0) {
            throw new IllegalArgumentException("ComposedClasses: composed must be ≥ 0, got " + composed);
        }
        int classes = source.classCount();
        if (composed > 0 && classes < 2) {
            throw new IllegalArgumentException("ComposedClasses: need at least 2 source classes, got " + classes);
        }
        int[] s = source.imageShape();
        this.source = source;
        this.channels = s[0];
        this.height = s[1];
        this.width = s[2];
        this.members = source.indicesByClass();
        this.first = new int[composed];
        this.second = new int[composed];
        this.ways = new Way[composed];
        this.starts = new int[composed + 1];
        SeededRandom rng = new SeededRandom(seed);
        Way[] all = Way.values();
        int at = source.size();
        for (int c = 0; c < composed; c++) {
            int a = rng.nextInt(classes);
            int b = rng.nextInt(classes - 1);
            first[c] = a;
            second[c] = b >= a ? b + 1 : b;
            ways[c] = all[rng.nextInt(all.length)];
            starts[c] = at;
            at += Math.min(members[a].length, members[second[c]].length);
        }
        starts[composed] = at;
    }

    @Override
    public int size() {
        return starts[starts.length - 1];
    }

    /** The new class of example i ≥ the source's size. */
    private int composedClass(int i) {
        int lo = 0;
        int hi = ways.length - 1;
        while (lo < hi) { // the last class whose start is ≤ i
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= i) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public int label(int i) {
        return i < source.size() ? source.label(i) : source.classCount() + composedClass(i);
    }

    @Override
    public int classCount() {
        return source.classCount() + ways.length;
    }

    @Override
    public String className(int c) {
        if (c < source.classCount()) {
            return source.className(c);
        }
        int k = c - source.classCount();
        return source.className(first[k]) + "/" + source.className(second[k]) + "@"
                + ways[k].name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public int[] imageShape() {
        return source.imageShape();
    }

    @Override
    public void copyImage(int i, float[] out, int offset) {
        if (i < source.size()) {
            source.copyImage(i, out, offset);
            return;
        }
        int c = composedClass(i);
        int j = i - starts[c];
        source.copyImage(members[first[c]][j], out, offset);
        float[] b = source.image(members[second[c]][j]);
        int plane = height * width;
        for (int ch = 0; ch < channels; ch++) {
            int base = ch * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = base + y * width + x;
                    out[offset + p] = switch (ways[c]) {
                        case TOP -> 2 * y < height ? out[offset + p] : b[p];
                        case LEFT -> 2 * x < width ? out[offset + p] : b[p];
                        case OVER -> Math.max(out[offset + p], b[p]);
                    };
                }
            }
        }
    }

    @Override
    public Map<String, String> metadata(int i) {
        return i < source.size() ? source.metadata(i) : Map.of();
    }
}
