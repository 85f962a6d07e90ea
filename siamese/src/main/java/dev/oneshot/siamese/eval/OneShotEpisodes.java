package dev.oneshot.siamese.eval;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.data.LabeledImages;

import java.util.ArrayList;
import java.util.List;

/**
 * N-way K-shot episodes on a data set of held-out classes, scored by nearest neighbour.
 *
 * <p>An episode draws N classes, K support examples of each (the "one photo per employee")
 * and Q queries of each. A query is assigned the class of its nearest support example
 * (squared L2 between feature rows). Ties are broken uniformly at random, so features that are
 * all equal — a collapsed network — score 1/N, not 100% (a known trap: taking the first
 * minimum always picks class 0, which may be the right one).
 *
 * <p>The same episodes score any number of feature sets, so the learned embedding and the
 * raw-pixel baseline are compared on identical draws.
 */
public final class OneShotEpisodes {
    private final List<Episode> episodes;
    private final int way;
    private final int shot;
    private final long seed;

    /** One episode: support[c][k] and query[c][q] are data-set indices of class slot c. */
    public record Episode(int[][] support, int[][] query) {
    }

    /** Accuracy over all queries with a 95% normal-approximation confidence half-width. */
    public record Score(double accuracy, double ci95, int queries) {
        /** {@code {"accuracy":…,"ci95":…,"queries":…}}. */
        public String toJson() {
            return Json.object().put("accuracy", accuracy).put("ci95", ci95).put("queries", queries).toString();
        }
    }

    private OneShotEpisodes(List<Episode> episodes, int way, int shot, long seed) {
        this.episodes = episodes;
        this.way = way;
        this.shot = shot;
        this.seed = seed;
    }

    /** Draws {@code count} N-way K-shot episodes with Q queries per class, from {@code seed}. */
    public static OneShotEpisodes draw(LabeledImages data, int way, int shot, int queriesPerClass, int count, long seed) {
        if (way < 2 || shot < 1 || queriesPerClass < 1 || count < 1) {
            throw new IllegalArgumentException("episodes: need way ≥ 2, shot ≥ 1, queries ≥ 1, count ≥ 1; got way="
                    + way + " shot=" + shot + " queries=" + queriesPerClass + " count=" + count);
        }
        int[][] byClass = data.indicesByClass();
        List<Integer> usable = new ArrayList<>();
        for (int c = 0; c < byClass.length; c++) {
            if (byClass[c].length >= shot + queriesPerClass) {
                usable.add(c);
            }
        }
        if (usable.size() < way) {
            throw new IllegalArgumentException("episodes: " + way + "-way " + shot + "-shot with " + queriesPerClass
                    + " queries needs " + way + " classes of at least " + (shot + queriesPerClass)
                    + " examples; the data set has " + usable.size());
        }
        SeededRandom rng = new SeededRandom(seed);
        List<Episode> list = new ArrayList<>(count);
        for (int e = 0; e < count; e++) {
            int[] classOrder = rng.permutation(usable.size());
            int[][] support = new int[way][shot];
            int[][] query = new int[way][queriesPerClass];
            for (int c = 0; c < way; c++) {
                int[] members = byClass[usable.get(classOrder[c])];
                int[] pick = rng.permutation(members.length);
                for (int k = 0; k < shot; k++) {
                    support[c][k] = members[pick[k]];
                }
                for (int q = 0; q < queriesPerClass; q++) {
                    query[c][q] = members[pick[shot + q]];
                }
            }
            list.add(new Episode(support, query));
        }
        return new OneShotEpisodes(list, way, shot, seed);
    }

    public List<Episode> episodes() {
        return episodes;
    }

    public int way() {
        return way;
    }

    /** Support examples per class, K. */
    public int shot() {
        return shot;
    }

    /** Number of episodes. */
    public int count() {
        return episodes.size();
    }

    /** The model's and the baseline's scores on these episodes, with the episodes' shape, for a JSON report. */
    public EpisodeReport report(Embedder.Features model, Embedder.Features baseline) {
        return new EpisodeReport(way, shot, count(), score(model), score(baseline));
    }

    /** Nearest-support accuracy of these features on every query of every episode. */
    public Score score(Embedder.Features features) {
        SeededRandom tieBreaker = new SeededRandom(seed ^ 0x5EEDL);
        int correct = 0;
        int total = 0;
        int[] tied = new int[way];
        for (Episode ep : episodes) {
            for (int truth = 0; truth < way; truth++) {
                for (int q : ep.query()[truth]) {
                    double best = Double.POSITIVE_INFINITY;
                    int ties = 0;
                    for (int c = 0; c < way; c++) {
                        double dc = Double.POSITIVE_INFINITY;
                        for (int s : ep.support()[c]) {
                            dc = Math.min(dc, features.squaredDistance(q, s));
                        }
                        if (dc < best) {
                            best = dc;
                            ties = 0;
                        }
                        if (dc == best) {
                            tied[ties++] = c;
                        }
                    }
                    int predicted = ties == 0 ? tieBreaker.nextInt(way) : tied[ties == 1 ? 0 : tieBreaker.nextInt(ties)];
                    if (predicted == truth) {
                        correct++;
                    }
                    total++;
                }
            }
        }
        double acc = total == 0 ? 0 : (double) correct / total;
        double ci = total == 0 ? 0 : 1.96 * Math.sqrt(acc * (1 - acc) / total);
        return new Score(acc, ci, total);
    }
}
