package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;

import java.util.ArrayList;
import java.util.List;

/**
 * P×K batches for batch-hard / batch-all triplet mining (Hermans et al. 2017): each batch holds
 * P distinct classes and K examples of each, laid out class by class
 * ({@code indices[p·K + k]}).
 *
 * <p>Epochs: {@link #nextEpoch()} shuffles the eligible classes and cuts the order into
 * ⌊classes / P⌋ groups of P (the remainder waits for a later epoch's shuffle), so within an
 * epoch every class appears in at most one batch. For each class, K examples are drawn without
 * replacement (a random K-subset). A class with fewer than K examples follows
 * {@link SmallClasses}: {@code REPLACE} (default) draws its K examples with replacement — a
 * class of one example yields K copies, which adds no positive pair and should be avoided for
 * triplet losses — or {@code SKIP} leaves it out of every batch.
 *
 * <p>All randomness comes from one {@link SeededRandom}: the same data, P, K, policy and seed
 * give the same sequence of batches.
 */
public final class PkBatchSampler {
    /** What to do with a class of fewer than K examples. */
    public enum SmallClasses { REPLACE, SKIP }

    /** One batch: dataset indices and their labels, {@code P·K} of each. */
    public record Batch(int[] indices, int[] labels) {
    }

    private final int p;
    private final int k;
    private final int[][] byClass;
    private final int[] eligible;
    private SeededRandom rng;

    /** {@link SmallClasses#REPLACE} for small classes. */
    public PkBatchSampler(LabeledImages data, int p, int k, long seed) {
        this(data, p, k, seed, SmallClasses.REPLACE);
    }

    public PkBatchSampler(LabeledImages data, int p, int k, long seed, SmallClasses policy) {
        if (p <= 0 || k <= 0) {
            throw new IllegalArgumentException("PkBatchSampler: P and K must be positive, got P=" + p + " K=" + k);
        }
        this.p = p;
        this.k = k;
        this.byClass = data.indicesByClass();
        List<Integer> ok = new ArrayList<>();
        for (int c = 0; c < byClass.length; c++) {
            if (byClass[c].length > 0 && (byClass[c].length >= k || policy == SmallClasses.REPLACE)) {
                ok.add(c);
            }
        }
        this.eligible = ok.stream().mapToInt(Integer::intValue).toArray();
        if (eligible.length < p) {
            throw new IllegalArgumentException("PkBatchSampler: P=" + p + " classes per batch but only "
                    + eligible.length + " eligible classes (K=" + k + ", " + policy + ")");
        }
        this.rng = new SeededRandom(seed);
    }

    /** The generator's state: a sampler restored to it draws the same batches from then on. */
    public SeededRandom.State generatorState() {
        return rng.state();
    }

    /** Puts the generator back to {@code state} (from {@link #generatorState()}), e.g. to resume training. */
    public void restoreGeneratorState(SeededRandom.State state) {
        rng = SeededRandom.fromState(state);
    }

    /** Batches in one epoch: ⌊eligible classes / P⌋. */
    public int batchesPerEpoch() {
        return eligible.length / p;
    }

    /** Number of classes that can appear in a batch. */
    public int eligibleClasses() {
        return eligible.length;
    }

    /** The batches of the next epoch. */
    public List<Batch> nextEpoch() {
        int[] order = rng.permutation(eligible.length);
        List<Batch> out = new ArrayList<>(batchesPerEpoch());
        for (int b = 0; b < batchesPerEpoch(); b++) {
            int[] idx = new int[p * k];
            int[] lab = new int[p * k];
            for (int j = 0; j < p; j++) {
                int c = eligible[order[b * p + j]];
                draw(byClass[c], idx, j * k);
                java.util.Arrays.fill(lab, j * k, (j + 1) * k, c);
            }
            out.add(new Batch(idx, lab));
        }
        return out;
    }

    /** K examples of {@code members} into {@code out[at..at+K)}: a partial Fisher–Yates, or with replacement if too few. */
    private void draw(int[] members, int[] out, int at) {
        int n = members.length;
        if (n < k) {
            for (int j = 0; j < k; j++) {
                out[at + j] = members[rng.nextInt(n)];
            }
            return;
        }
        int[] pool = members.clone();
        for (int j = 0; j < k; j++) {
            int r = j + rng.nextInt(n - j);
            int t = pool[j];
            pool[j] = pool[r];
            pool[r] = t;
            out[at + j] = pool[j];
        }
    }
}
