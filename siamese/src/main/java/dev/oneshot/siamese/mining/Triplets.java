package dev.oneshot.siamese.mining;

import java.util.Arrays;

/**
 * Mined triplets as three parallel index arrays into the batch: triplet t is
 * (anchors[t], positives[t], negatives[t]), where the anchor and the positive share a label
 * and the negative has another. This is exactly the input of an indexed triplet loss
 * L = mean over t of max(d(A,P) − d(A,N) + α, 0) over embeddings E [n, d].
 *
 * <p>The arrays are not copied: treat them as read-only. Equality compares contents.
 */
public record Triplets(int[] anchors, int[] positives, int[] negatives) {
    private static final Triplets EMPTY = new Triplets(new int[0], new int[0], new int[0]);

    public Triplets {
        if (anchors == null || positives == null || negatives == null) {
            throw new IllegalArgumentException("Triplets: index arrays must not be null");
        }
        if (anchors.length != positives.length || anchors.length != negatives.length) {
            throw new IllegalArgumentException("Triplets: " + anchors.length + " anchors, " + positives.length
                    + " positives and " + negatives.length + " negatives; the three arrays must be equally long");
        }
    }

    /** No triplets (a batch with nothing to learn from under the chosen strategy). */
    public static Triplets empty() {
        return EMPTY;
    }

    /** Number of triplets. */
    public int size() {
        return anchors.length;
    }

    public boolean isEmpty() {
        return anchors.length == 0;
    }

    /** Triplet t as {anchor, positive, negative}. */
    public int[] get(int t) {
        return new int[] {anchors[t], positives[t], negatives[t]};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Triplets other && Arrays.equals(anchors, other.anchors)
                && Arrays.equals(positives, other.positives) && Arrays.equals(negatives, other.negatives);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(anchors) + Arrays.hashCode(positives)) + Arrays.hashCode(negatives);
    }

    /** {@code Triplets[(0,2,3), (1,2,3)]}: (anchor, positive, negative) per triplet. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Triplets[");
        for (int t = 0; t < size(); t++) {
            sb.append(t == 0 ? "" : ", ").append('(').append(anchors[t]).append(',').append(positives[t])
                    .append(',').append(negatives[t]).append(')');
        }
        return sb.append(']').toString();
    }
}
