package dev.oneshot.siamese.eval;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.data.LabeledImages;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Leave-one-out retrieval quality of feature rows: each row in turn is the query, every
 * <em>other</em> row is the reference set, ranked by squared L2 distance (nearest first).
 *
 * <p>For a query with R &gt; 0 other rows of its class (Musgrave, Belongie &amp; Lim 2020,
 * "A Metric Learning Reality Check"):
 * <ul>
 *   <li>P@1 = rel(1): 1 if the nearest other row has the query's class, else 0;</li>
 *   <li>AP@R = (1/R) Σ_{i=1..R} P(i)·rel(i), where rel(i) = 1 if rank i is of the query's class
 *       and P(i) = (number of relevant rows in ranks 1..i) / i. Only the first R ranks count,
 *       so AP@R = 1 exactly when the R same-class rows are the R nearest.</li>
 * </ul>
 * Both are averaged over the queries; queries whose class has no other row (R = 0) are
 * skipped and counted in {@code skipped}.
 *
 * <p><b>Ties</b> in distance are broken uniformly at random (seeded), as in
 * {@link OneShotEpisodes}: breaking them by index would let a collapsed network (all rows
 * equal) score well whenever same-class rows happen to be adjacent in the data set.
 *
 * @param precisionAt1 mean P@1
 * @param mapAtR       mean AP@R (MAP@R)
 * @param queries      number of queries averaged (R &gt; 0)
 * @param skipped      number of rows with R = 0
 */
public record RetrievalReport(double precisionAt1, double mapAtR, int queries, int skipped) {
    /** Seed of the tie-breaking draws when none is given. */
    public static final long DEFAULT_SEED = 0x7E7A1L;

    /** Retrieval metrics of {@code features} labelled by {@code data}. */
    public static RetrievalReport of(Embedder.Features features, LabeledImages data) {
        return of(features, FeaturePairs.labelsOf(data), DEFAULT_SEED);
    }

    /** Retrieval metrics with the default tie-breaking seed. */
    public static RetrievalReport of(Embedder.Features features, int[] labels) {
        return of(features, labels, DEFAULT_SEED);
    }

    /** Retrieval metrics; {@code seed} drives only the breaking of distance ties. */
    public static RetrievalReport of(Embedder.Features features, int[] labels, long seed) {
        int n = labels.length;
        if (n != features.rows()) {
            throw new IllegalArgumentException("RetrievalReport: " + features.rows() + " feature rows but "
                    + n + " labels");
        }
        SeededRandom rng = new SeededRandom(seed);
        double[] dist = new double[n];
        double[] key = new double[n];
        Integer[] order = new Integer[Math.max(0, n - 1)];
        Comparator<Integer> nearest = Comparator.<Integer>comparingDouble(j -> dist[j]).thenComparingDouble(j -> key[j]);
        double sumP1 = 0;
        double sumAp = 0;
        int queries = 0;
        int skipped = 0;
        for (int q = 0; q < n; q++) {
            int r = 0;
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (j != q) {
                    dist[j] = features.squaredDistance(q, j);
                    key[j] = rng.nextDouble();
                    order[k++] = j;
                    if (labels[j] == labels[q]) {
                        r++;
                    }
                }
            }
            if (r == 0) {
                skipped++;
                continue;
            }
            Arrays.sort(order, nearest);
            int hits = 0;
            double ap = 0;
            for (int i = 0; i < r; i++) {
                if (labels[order[i]] == labels[q]) {
                    hits++;
                    ap += (double) hits / (i + 1);
                }
            }
            sumP1 += labels[order[0]] == labels[q] ? 1 : 0;
            sumAp += ap / r;
            queries++;
        }
        return new RetrievalReport(queries == 0 ? Double.NaN : sumP1 / queries,
                queries == 0 ? Double.NaN : sumAp / queries, queries, skipped);
    }

    /** Keys in order: {@code precision_at_1, map_at_r, queries, skipped}; NaN (no query) as {@code null}. */
    public String toJson() {
        return Json.object().put("precision_at_1", precisionAt1).put("map_at_r", mapAtR)
                .put("queries", queries).put("skipped", skipped).toString();
    }
}
