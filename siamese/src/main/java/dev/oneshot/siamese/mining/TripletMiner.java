package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

/**
 * Chooses triplets (anchor, positive, negative) inside one batch from its pairwise squared
 * distance matrix. Random triplets are mostly easy (loss 0) once training has started, so the
 * choice of triplets decides what the network learns.
 *
 * <p>Common rules for every strategy: a positive of anchor a is another sample with a's label,
 * a negative is any sample with another label; anchors with no positive or no negative in the
 * batch are skipped; the output lists anchors in increasing order. The distance matrix is data,
 * not part of the graph: compute it under {@code Grad.off()} or pass the values of the
 * training graph's own distance tensor — the loss is then recomputed on the chosen indices.
 */
public interface TripletMiner {
    /**
     * @param dist   [n×n] squared distances, row-major: dist[i·n + j] = d(i, j)
     * @param n      batch size
     * @param labels class of each sample, length n
     * @param margin α of the triplet loss (some strategies use it), ≥ 0
     * @param rng    randomness for strategies that draw; deterministic ones ignore it (may be null)
     */
    Triplets mine(float[] dist, int n, int[] labels, float margin, SeededRandom rng);

    /** The same on a distance tensor [n, n], e.g. {@code e.pairwiseSquaredDistance(e)}. */
    default Triplets mine(Tensor dist, int[] labels, float margin, SeededRandom rng) {
        int[] s = dist.shape();
        if (s.length != 2 || s[0] != s[1]) {
            throw new IllegalArgumentException(name() + ": distance tensor must be square [n, n], got "
                    + java.util.Arrays.toString(s));
        }
        return mine(dist.data(), s[0], labels, margin, rng);
    }

    /** The name {@link Miners#byName} knows this strategy by. */
    String name();
}
