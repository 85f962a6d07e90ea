package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;

import java.util.ArrayList;
import java.util.List;

/**
 * Balanced pairs for the binary (verification) loss of Koch et al. 2015: half "same class"
 * (target 1), half "different class" (target 0), in a shuffled order.
 *
 * <p>A positive pair picks a class uniformly among those with at least two examples, then two
 * distinct examples of it. A negative pair picks two distinct classes uniformly (classes, not
 * examples, are uniform: small classes are not under-represented), then one example of each.
 * For an odd count the extra pair is negative. Same data and seed ⇒ same pairs.
 */
public final class PairSampler {
    /** {@code n} pairs: dataset indices {@code left[i]}, {@code right[i]}, target 1 = same class, 0 = different. */
    public record Pairs(int[] left, int[] right, int[] same) {
        /** Number of pairs. */
        public int size() {
            return same.length;
        }

        /** Targets as floats (1 same, 0 different), for a binary cross-entropy loss. */
        public float[] targets() {
            float[] t = new float[same.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = same[i];
            }
            return t;
        }
    }

    private final int[][] byClass;
    private final int[] withPairs;
    private final int[] nonEmpty;
    private final SeededRandom rng;

    public PairSampler(LabeledImages data, long seed) {
        byClass = data.indicesByClass();
        List<Integer> two = new ArrayList<>(), one = new ArrayList<>();
        for (int c = 0; c < byClass.length; c++) {
            if (byClass[c].length >= 2) {
                two.add(c);
            }
            if (byClass[c].length >= 1) {
                one.add(c);
            }
        }
        withPairs = two.stream().mapToInt(Integer::intValue).toArray();
        nonEmpty = one.stream().mapToInt(Integer::intValue).toArray();
        if (withPairs.length == 0 || nonEmpty.length < 2) {
            throw new IllegalArgumentException("PairSampler: need a class with 2 examples and 2 non-empty classes; have "
                    + withPairs.length + " and " + nonEmpty.length);
        }
        rng = new SeededRandom(seed);
    }

    /** {@code n} pairs, {@code n/2} (rounded down) positive and the rest negative, shuffled. */
    public Pairs sample(int n) {
        int[] l = new int[n], r = new int[n], s = new int[n];
        int positives = n / 2;
        int[] order = rng.permutation(n);
        for (int j = 0; j < n; j++) {
            int at = order[j];
            if (j < positives) {
                int[] m = byClass[withPairs[rng.nextInt(withPairs.length)]];
                int a = rng.nextInt(m.length);
                int b = rng.nextInt(m.length - 1);
                l[at] = m[a];
                r[at] = m[b >= a ? b + 1 : b];
                s[at] = 1;
            } else {
                int a = rng.nextInt(nonEmpty.length);
                int b = rng.nextInt(nonEmpty.length - 1);
                int[] ma = byClass[nonEmpty[a]], mb = byClass[nonEmpty[b >= a ? b + 1 : b]];
                l[at] = ma[rng.nextInt(ma.length)];
                r[at] = mb[rng.nextInt(mb.length)];
            }
        }
        return new Pairs(l, r, s);
    }
}
