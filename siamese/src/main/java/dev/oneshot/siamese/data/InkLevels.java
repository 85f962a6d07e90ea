package dev.oneshot.siamese.data;

import java.util.Arrays;

/**
 * Level normalisation of drawn characters: a scan's grey paper and faint ink stretched so that
 * the paper reads as paper (1 on light paper, 0 on dark) and the darkest ink as full ink — as a
 * pen on white would have drawn them.
 * <pre>
 *   paper = the median value                 (most of a drawing is paper)
 *   lo, hi = the values at rank ⌊n/200⌋ from either end   (the extremes, a few stray pixels ignored)
 *   light paper when paper − lo ≥ hi − paper:  v' = clamp((v − lo) / (paper − lo), 0, 1)
 *   dark paper otherwise:                      v' = clamp((v − paper) / (hi − paper), 0, 1)
 * </pre>
 * An image whose ink is within 1/64 of its paper is returned as it was (nothing to stretch). On
 * images that are already pure paper and ink (values 0 and 1, Omniglot's files, MNIST's
 * backgrounds) the stretch changes nothing.
 */
public final class InkLevels {
    /** The smallest paper-to-ink difference that is stretched. */
    static final float MIN_CONTRAST = 1f / 64;

    private InkLevels() {
    }

    /** {@code g} (values in [0, 1]) with its levels stretched as above; {@code g} is not modified. */
    public static float[] stretch(float[] g) {
        if (g.length == 0) {
            return g;
        }
        float[] sorted = g.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        int q = n / 200;
        float paper = sorted[n / 2];
        float lo = sorted[q];
        float hi = sorted[n - 1 - q];
        boolean light = paper - lo >= hi - paper;
        float from = light ? lo : paper;
        float to = light ? paper : hi;
        if (to - from < MIN_CONTRAST) {
            return g;
        }
        float range = to - from;
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, (g[i] - from) / range));
        }
        return out;
    }
}
