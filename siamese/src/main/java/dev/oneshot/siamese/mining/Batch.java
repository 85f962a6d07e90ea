package dev.oneshot.siamese.mining;

/**
 * Argument checks and pair definitions shared by the miners and {@link TripletStats}.
 * Positive pair (a, p): labels equal and a ≠ p. Negative pair (a, n): labels differ.
 */
final class Batch {
    private Batch() {
    }

    /** Checks shapes and values; a NaN distance means training has already diverged. */
    static void check(String who, float[] dist, int n, int[] labels, float margin) {
        if (dist == null || labels == null) {
            throw new IllegalArgumentException(who + ": distance matrix and labels must not be null");
        }
        if (n < 0 || dist.length != (long) n * n) {
            throw new IllegalArgumentException(who + ": distance matrix has " + dist.length
                    + " values, expected n×n = " + n + "×" + n + " (row-major squared distances)");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException(who + ": " + labels.length + " labels for a batch of " + n);
        }
        if (!(margin >= 0f) || Float.isInfinite(margin)) {
            throw new IllegalArgumentException(who + ": margin must be finite and ≥ 0, got " + margin);
        }
        for (int i = 0; i < dist.length; i++) {
            if (Float.isNaN(dist[i])) {
                throw new IllegalArgumentException(who + ": distance (" + i / n + ", " + i % n
                        + ") is NaN; the embeddings have diverged (lower the learning rate)");
            }
        }
    }

    static boolean isPositive(int[] labels, int a, int p) {
        return a != p && labels[a] == labels[p];
    }

    static boolean isNegative(int[] labels, int a, int other) {
        return labels[a] != labels[other];
    }

    /** True when the anchor has at least one positive and one negative in the batch. */
    static boolean canAnchor(int[] labels, int a) {
        boolean positive = false;
        boolean negative = false;
        for (int j = 0; j < labels.length; j++) {
            positive |= isPositive(labels, a, j);
            negative |= isNegative(labels, a, j);
        }
        return positive && negative;
    }

    /**
     * The negative of anchor a with the smallest (hardest = true) or largest distance; ties go
     * to the lowest index; −1 when a has no negative.
     */
    static int extremeNegative(float[] dist, int n, int[] labels, int a, boolean hardest) {
        int best = -1;
        for (int j = 0; j < n; j++) {
            if (isNegative(labels, a, j)) {
                float d = dist[a * n + j];
                if (best < 0 || (hardest ? d < dist[a * n + best] : d > dist[a * n + best])) {
                    best = j;
                }
            }
        }
        return best;
    }
}
