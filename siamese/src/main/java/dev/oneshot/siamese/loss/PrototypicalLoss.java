package dev.oneshot.siamese.loss;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.loss.SoftmaxCrossEntropy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prototypical loss (Snell et al. 2017), played inside one P×K batch: the batch is dealt as
 * one-shot (or S-shot) episodes, and each query is classified among the batch's P classes by its
 * squared distance to each class's prototype — the training task is the test task.
 * <pre>
 *   round r = 0 … K−1:  S_c = S of class c's images, starting at its r-th (cyclically)
 *                       μ_c = (1/S) Σ_{j ∈ S_c} e_j                         (prototype of class c)
 *                       z_qc = −‖e_q − μ_c‖²                             (every image q not in a S_c)
 *   L = mean over rounds and queries of ( log Σ_c exp(z_qc) − z_{q,y_q} )   (cross-entropy)
 * </pre>
 * Each image is a support in S of the K rounds and a query in the others, so every image of the
 * batch is used both ways. Gradient, with p_q = softmax(z_q) and g_qc = (p_qc − [c = y_q]) / Q
 * (Q queries in all): ∂L/∂e_q = −2 Σ_c g_qc (e_q − μ_c) and ∂L/∂μ_c = 2 Σ_q g_qc (e_q − μ_c),
 * which each of S_c's images receives divided by S — the prototypes are not constants: the
 * supports are pulled towards their queries as much as the queries towards them.
 * The embeddings are not normalised here (the network sets the scale of the distances, and with
 * it how sharp the softmax is). A class with no more than S images in the batch has no queries;
 * it still stands as a prototype the other classes' queries must be told apart from.
 */
public final class PrototypicalLoss {
    private PrototypicalLoss() {
    }

    /**
     * The mean loss of the batch's embeddings e [n, d] with classes {@code labels}, S = {@code shots}
     * supports per prototype.
     *
     * @throws IllegalArgumentException when the shapes disagree, shots &lt; 1, the batch holds fewer
     *                                  than two classes, or no class has more than S images (no query)
     */
    public static Tensor apply(Tensor e, int[] labels, int shots) {
        int[] s = e.shape();
        if (s.length != 2 || labels.length != s[0]) {
            throw new IllegalArgumentException("PrototypicalLoss: embeddings " + Shape.toString(s)
                    + " must be [n, d] with one label per row (" + labels.length + " labels)");
        }
        if (shots < 1) {
            throw new IllegalArgumentException("PrototypicalLoss: shots must be ≥ 1, got " + shots);
        }
        List<int[]> classes = groups(labels);
        if (classes.size() < 2) {
            throw new IllegalArgumentException("PrototypicalLoss: the batch must hold at least 2 classes, got "
                    + classes.size());
        }
        int rounds = 0;
        for (int[] members : classes) {
            rounds = Math.max(rounds, members.length);
        }
        if (rounds <= shots) {
            throw new IllegalArgumentException("PrototypicalLoss: no class has more than " + shots
                    + " images in the batch, so no image is left to be a query (largest class: " + rounds + ")");
        }
        int n = s[0];
        int p = classes.size();
        Tensor total = null;
        int queries = 0;
        for (int r = 0; r < rounds; r++) {
            float[] average = new float[p * n];
            boolean[] support = new boolean[n];
            int[] classOf = new int[n];
            for (int c = 0; c < p; c++) {
                int[] members = classes.get(c);
                int take = Math.min(shots, members.length);
                for (int t = 0; t < take; t++) {
                    int j = members[(r + t) % members.length];
                    support[j] = true;
                    average[c * n + j] = 1f / take;
                }
                for (int j : members) {
                    classOf[j] = c;
                }
            }
            int[] q = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (!support[i]) {
                    q[count++] = i;
                }
            }
            if (count == 0) {
                continue;
            }
            int[] rows = Arrays.copyOf(q, count);
            int[] targets = new int[count];
            for (int t = 0; t < count; t++) {
                targets[t] = classOf[rows[t]];
            }
            Tensor prototypes = Tensor.fromArray(average, p, n).matmul(e);
            Tensor logits = e.indexSelect(rows).pairwiseSquaredDistance(prototypes).mul(-1f);
            // SoftmaxCrossEntropy averages over this round's queries; weigh by them for the mean over all
            Tensor round = SoftmaxCrossEntropy.apply(logits, targets).mul((float) count);
            total = total == null ? round : total.add(round);
            queries += count;
        }
        return total.mul(1f / queries);
    }

    /** The batch's rows grouped by label, in order of first appearance. */
    private static List<int[]> groups(int[] labels) {
        Map<Integer, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) {
            byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> members : byLabel.values()) {
            out.add(members.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }
}
