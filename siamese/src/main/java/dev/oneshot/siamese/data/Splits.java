package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Class-disjoint splits, as one-shot evaluation needs: the test classes are never seen in
 * training. Each part is a {@link Subset} (an index list over the parent, no pixel copies)
 * with its classes renumbered from 0.
 *
 * <p>With fractions, the classes (or groups) are shuffled with the seed and cut at the
 * rounded cumulative fractions: part k gets items {@code round(n·F_{k−1}) .. round(n·F_k)−1}
 * of the shuffled order, F_k the sum of the first k fractions. So every class lands in exactly
 * one part, and the same seed gives the same split.
 */
public final class Splits {
    /** Train, validation and test views; their classes are pairwise disjoint. */
    public record Split(Subset train, Subset val, Subset test) {
    }

    private Splits() {
    }

    /** Classes shuffled with {@code seed} and cut at {@code trainFraction}, {@code valFraction}; test gets the rest. */
    public static Split byClass(LabeledImages d, double trainFraction, double valFraction, long seed) {
        int[][] parts = cut(d.classCount(), trainFraction, valFraction, seed);
        return new Split(Subset.ofClasses(d, parts[0]), Subset.ofClasses(d, parts[1]), Subset.ofClasses(d, parts[2]));
    }

    /** Explicit class lists (parent class indices); they must be disjoint (they need not cover every class). */
    public static Split byClass(LabeledImages d, int[] train, int[] val, int[] test) {
        Set<Integer> seen = new HashSet<>();
        for (int[] part : new int[][] {train, val, test}) {
            for (int c : part) {
                if (c < 0 || c >= d.classCount()) {
                    throw new IllegalArgumentException("Splits.byClass: class " + c + " outside 0.." + (d.classCount() - 1));
                }
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("Splits.byClass: class " + c + " (" + d.className(c)
                            + ") is in more than one part");
                }
            }
        }
        return new Split(Subset.ofClasses(d, train), Subset.ofClasses(d, val), Subset.ofClasses(d, test));
    }

    /**
     * Groups (the distinct values of metadata {@code key}, e.g. {@link Omniglot#ALPHABET}) shuffled with
     * {@code seed} and cut at the fractions; every example of a group goes to that group's part.
     */
    public static Split byGroup(LabeledImages d, String key, double trainFraction, double valFraction, long seed) {
        Map<String, List<Integer>> groups = groups(d, key);
        List<String> names = new ArrayList<>(groups.keySet());
        int[][] parts = cut(names.size(), trainFraction, valFraction, seed);
        List<List<String>> chosen = new ArrayList<>();
        for (int[] part : parts) {
            List<String> g = new ArrayList<>();
            for (int k : part) {
                g.add(names.get(k));
            }
            chosen.add(g);
        }
        return byGroup(d, key, chosen.get(0), chosen.get(1), chosen.get(2));
    }

    /** Explicit group names per part (disjoint; unknown names are an error). */
    public static Split byGroup(LabeledImages d, String key, Collection<String> train, Collection<String> val,
                                Collection<String> test) {
        Map<String, List<Integer>> groups = groups(d, key);
        Set<String> seen = new HashSet<>();
        Subset[] out = new Subset[3];
        int p = 0;
        for (Collection<String> part : List.of(train, val, test)) {
            List<Integer> idx = new ArrayList<>();
            for (String g : part) {
                if (!groups.containsKey(g)) {
                    throw new IllegalArgumentException("Splits.byGroup: no examples with " + key + " = " + g
                            + "; known: " + groups.keySet());
                }
                if (!seen.add(g)) {
                    throw new IllegalArgumentException("Splits.byGroup: " + key + " = " + g + " is in more than one part");
                }
                idx.addAll(groups.get(g));
            }
            out[p++] = new Subset(d, idx.stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        checkGroupsHoldClasses(d, out);
        return new Split(out[0], out[1], out[2]);
    }

    /** Example indices per value of metadata {@code key}, in value order; every example must have the key. */
    public static Map<String, List<Integer>> groups(LabeledImages d, String key) {
        Map<String, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < d.size(); i++) {
            String g = d.metadata(i).get(key);
            if (g == null) {
                throw new IllegalArgumentException("Splits: example " + i + " has no metadata '" + key + "'");
            }
            groups.computeIfAbsent(g, x -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    /** A class split across groups would leak between parts: reject it. */
    private static void checkGroupsHoldClasses(LabeledImages d, Subset[] parts) {
        int[] owner = new int[d.classCount()];
        java.util.Arrays.fill(owner, -1);
        for (int p = 0; p < parts.length; p++) {
            for (int c : parts[p].parentClasses()) {
                if (owner[c] >= 0 && owner[c] != p) {
                    throw new IllegalArgumentException("Splits.byGroup: class " + d.className(c)
                            + " has examples in two groups that went to different parts");
                }
                owner[c] = p;
            }
        }
    }

    /** Shuffles 0..n−1 and cuts it into three parts at the rounded cumulative fractions. */
    static int[][] cut(int n, double train, double val, long seed) {
        if (train < 0 || val < 0 || train + val > 1 + 1e-9) {
            throw new IllegalArgumentException("Splits: fractions must be ≥ 0 with train + val ≤ 1; got "
                    + train + ", " + val);
        }
        int[] perm = new SeededRandom(seed).permutation(n);
        int a = (int) Math.round(n * train);
        int b = Math.min(n, (int) Math.round(n * (train + val)));
        return new int[][] {
            java.util.Arrays.copyOfRange(perm, 0, a),
            java.util.Arrays.copyOfRange(perm, a, b),
            java.util.Arrays.copyOfRange(perm, b, n),
        };
    }
}
