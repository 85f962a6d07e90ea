package dev.oneshot.siamese.eval;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.data.LabeledImages;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Open-set identification, the gallery scenario: some people are enrolled with {@code shot}
 * photos each, others are strangers who were never enrolled, and every probe must either be
 * named correctly or, for a stranger, be rejected.
 *
 * <p>A trial draws {@code enrolled} of the data set's classes (the others are strangers) and
 * {@code shot} gallery photos of each enrolled class; the enrolled classes' other photos are
 * <em>genuine probes</em>, every stranger photo is a <em>stranger probe</em>. For a probe q the
 * gallery answers with the identity at the smallest squared L2 distance
 * d*(q) = min over gallery images g of ‖f(q) − f(g)‖², and accepts it when d*(q) ≤ τ:
 * <pre>
 *   FAR(τ) = #{stranger probes with d* ≤ τ} / #{stranger probes}        (a stranger accepted as someone)
 *   DIR(τ) = Σ over genuine probes of [d* ≤ τ] · c(q) / #{genuine probes}  (detected and identified)
 *   c(q)   = 1/m if the true identity is one of the m identities tied at d*, else 0
 * </pre>
 * c(q) is the expected outcome of breaking ties uniformly at random, so collapsed features (all
 * distances equal) score the chance rate 1/enrolled, not 100 %. Rank-1 = DIR(+∞), the closed-set
 * identification rate. Scores of all trials are pooled (one τ for all), which makes small FARs
 * measurable on a small data set.
 *
 * <p>For a target FAR α, τ is the largest observed score v (genuine or stranger) with
 * FAR(v) ≤ α — the operating point with the highest DIR among those that respect α; since the
 * rule is d* ≤ τ, ties at v are all accepted or all rejected. If even the smallest score
 * violates α, τ = −∞ (accept nothing: FAR = DIR = 0).
 */
public final class OpenSetEvaluation {
    /** The FARs {@link #evaluate} reports by default: 1 % and 10 %. */
    public static final double[] DEFAULT_FARS = {0.01, 0.10};

    private final List<Trial> trials;
    private final int enrolled;
    private final int shot;

    /** One draw: gallery[e][k] are data-set indices of enrolled class slot e; probes with their truth. */
    public record Trial(int[][] gallery, int[] genuine, int[] genuineSlot, int[] strangers) {
    }

    /** One probe's answer: its nearest-identity distance d* and its identification credit c. */
    public record Probe(double score, double credit) {
    }

    /** DIR at one target FAR. */
    public record OperatingPoint(double targetFar, double tau, double far, double dir) {
    }

    /** Pooled results over every trial. */
    public record Report(double rank1, List<OperatingPoint> points, int genuineProbes, int strangerProbes) {
        /** e.g. {@code "rank-1 0.950, DIR 0.70 @ FAR 0.010 (τ 0.412), ..."}. */
        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "rank-1 %.3f", rank1));
            for (OperatingPoint p : points) {
                s.append(String.format(Locale.ROOT, ", DIR %.3f @ FAR %.3f (τ %.4f, measured FAR %.4f)", p.dir(),
                        p.targetFar(), p.tau(), p.far()));
            }
            return s.toString();
        }

        /** {@code {"rank1", "genuine_probes", "stranger_probes", "dir_at_far":[{"target_far","tau","far","dir"}]}}. */
        public Json.Builder toJson() {
            List<Json.Builder> dirAtFar = new ArrayList<>();
            for (OperatingPoint p : points) {
                dirAtFar.add(Json.object().put("target_far", p.targetFar()).put("tau", p.tau()).put("far", p.far())
                        .put("dir", p.dir()));
            }
            return Json.object().put("rank1", rank1).put("genuine_probes", genuineProbes)
                    .put("stranger_probes", strangerProbes).put("dir_at_far", dirAtFar);
        }
    }

    private OpenSetEvaluation(List<Trial> trials, int enrolled, int shot) {
        this.trials = trials;
        this.enrolled = enrolled;
        this.shot = shot;
    }

    /**
     * Draws {@code count} trials from {@code seed}: {@code enrolled} classes (the rest are strangers),
     * {@code shot} gallery photos each; every enrolled class needs at least {@code shot + 1} photos.
     */
    public static OpenSetEvaluation draw(LabeledImages data, int enrolled, int shot, int count, long seed) {
        int classes = data.classCount();
        if (enrolled < 2 || enrolled >= classes || shot < 1 || count < 1) {
            throw new IllegalArgumentException("open-set evaluation: need 2 ≤ enrolled < classes (" + classes
                    + "), shot ≥ 1, trials ≥ 1; got enrolled=" + enrolled + " shot=" + shot + " trials=" + count);
        }
        int[][] byClass = data.indicesByClass();
        for (int c = 0; c < classes; c++) {
            if (byClass[c].length < shot + 1) {
                throw new IllegalArgumentException("open-set evaluation: class " + data.className(c) + " has "
                        + byClass[c].length + " example(s); " + shot + " gallery photo(s) + 1 probe need " + (shot + 1));
            }
        }
        SeededRandom rng = new SeededRandom(seed);
        List<Trial> list = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            int[] order = rng.permutation(classes);
            int[][] gallery = new int[enrolled][shot];
            List<Integer> genuine = new ArrayList<>();
            List<Integer> slot = new ArrayList<>();
            List<Integer> strangers = new ArrayList<>();
            for (int e = 0; e < classes; e++) {
                int[] members = byClass[order[e]];
                if (e >= enrolled) {
                    for (int i : members) {
                        strangers.add(i);
                    }
                    continue;
                }
                int[] pick = rng.permutation(members.length);
                for (int k = 0; k < members.length; k++) {
                    if (k < shot) {
                        gallery[e][k] = members[pick[k]];
                    } else {
                        genuine.add(members[pick[k]]);
                        slot.add(e);
                    }
                }
            }
            list.add(new Trial(gallery, ints(genuine), ints(slot), ints(strangers)));
        }
        return new OpenSetEvaluation(list, enrolled, shot);
    }

    public List<Trial> trials() {
        return trials;
    }

    public int enrolled() {
        return enrolled;
    }

    public int shot() {
        return shot;
    }

    /** {@link #evaluate(Embedder.Features, double[])} at {@link #DEFAULT_FARS}. */
    public Report evaluate(Embedder.Features features) {
        return evaluate(features, DEFAULT_FARS);
    }

    /** Pools every trial's probes and reports rank-1 and DIR at each target FAR. */
    public Report evaluate(Embedder.Features features, double[] targetFars) {
        List<Probe> genuine = new ArrayList<>();
        List<Probe> strangers = new ArrayList<>();
        for (Trial t : trials) {
            for (int i = 0; i < t.genuine().length; i++) {
                genuine.add(answer(features, t.gallery(), t.genuine()[i], t.genuineSlot()[i]));
            }
            for (int s : t.strangers()) {
                strangers.add(answer(features, t.gallery(), s, -1));
            }
        }
        return report(genuine, scores(strangers), targetFars);
    }

    /**
     * The gallery's answer to probe {@code q}: d* and the credit of the true slot {@code truth}
     * (−1 for a stranger: credit 0). Ties are compared exactly.
     */
    static Probe answer(Embedder.Features f, int[][] gallery, int q, int truth) {
        double best = Double.POSITIVE_INFINITY;
        int tied = 0;
        boolean truthTied = false;
        for (int e = 0; e < gallery.length; e++) {
            double d = Double.POSITIVE_INFINITY;
            for (int g : gallery[e]) {
                d = Math.min(d, f.squaredDistance(q, g));
            }
            if (d < best) {
                best = d;
                tied = 0;
                truthTied = false;
            }
            if (d == best) {
                tied++;
                truthTied |= e == truth;
            }
        }
        return new Probe(best, truthTied ? 1.0 / tied : 0.0);
    }

    /**
     * Rank-1 and DIR at each target FAR from pooled probes (the formulas of the class javadoc).
     *
     * @param genuine    probes of enrolled people: d* and credit c
     * @param strangers  d* of each stranger probe
     * @param targetFars each in [0, 1]
     */
    public static Report report(List<Probe> genuine, double[] strangers, double[] targetFars) {
        if (genuine.isEmpty() || strangers.length == 0) {
            throw new IllegalArgumentException("open-set report: need genuine and stranger probes, got "
                    + genuine.size() + " and " + strangers.length);
        }
        double[] s = strangers.clone();
        Arrays.sort(s);
        double[] candidates = new double[genuine.size() + s.length];
        double creditSum = 0;
        for (int i = 0; i < genuine.size(); i++) {
            candidates[i] = genuine.get(i).score();
            creditSum += genuine.get(i).credit();
        }
        System.arraycopy(s, 0, candidates, genuine.size(), s.length);
        Arrays.sort(candidates);
        List<OperatingPoint> points = new ArrayList<>();
        for (double alpha : targetFars) {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("open-set report: target FAR must be in [0, 1], got " + alpha);
            }
            double tau = Double.NEGATIVE_INFINITY;
            for (int i = candidates.length - 1; i >= 0; i--) {
                if (acceptedCount(s, candidates[i]) <= alpha * s.length) {
                    tau = candidates[i];
                    break;
                }
            }
            points.add(new OperatingPoint(alpha, tau, (double) acceptedCount(s, tau) / s.length, dir(genuine, tau)));
        }
        return new Report(creditSum / genuine.size(), points, genuine.size(), s.length);
    }

    /** DIR(τ) = Σ [d* ≤ τ] · c / #genuine. */
    public static double dir(List<Probe> genuine, double tau) {
        double sum = 0;
        for (Probe p : genuine) {
            if (p.score() <= tau) {
                sum += p.credit();
            }
        }
        return sum / genuine.size();
    }

    /** #{v ≤ τ} in an ascending array. */
    private static int acceptedCount(double[] sortedScores, double tau) {
        int lo = 0, hi = sortedScores.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedScores[mid] <= tau) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] scores(List<Probe> probes) {
        double[] out = new double[probes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = probes.get(i).score();
        }
        return out;
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
