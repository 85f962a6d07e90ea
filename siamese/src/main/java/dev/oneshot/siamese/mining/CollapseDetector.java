package dev.oneshot.siamese.mining;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Watches per-step training numbers for the known failure modes of triplet training and returns
 * warnings (it never prints). Feed it one {@link Step} per batch; {@link #observe} returns the
 * warnings that became due at this step.
 *
 * <ul>
 *   <li>{@link Condition#LOSS_AT_MARGIN}: |loss − α| ≤ tolerance·α. If all embeddings are equal
 *       every distance is 0 and every triplet's loss is exactly α: the network has collapsed.</li>
 *   <li>{@link Condition#DISTANCES_VANISH}: mean d(A,N) ≤ distanceFloor·α — negatives sit on top of
 *       the anchors, the road to collapse.</li>
 *   <li>{@link Condition#NO_ACTIVE_TRIPLETS}: no valid triplet has a positive loss; the batches
 *       teach nothing (mining too easy, or the training set is learnt).</li>
 *   <li>{@link Condition#NOT_FINITE}: the loss is NaN or infinite (immediately, no patience).</li>
 * </ul>
 * The first three must hold for {@code patience} consecutive steps; each warns once per streak,
 * when the streak reaches the patience, and again only after the condition has cleared and
 * returned. All thresholds live in {@link Thresholds#DEFAULTS}.
 */
public final class CollapseDetector {
    /** The remedies for collapse known from the literature and practice. */
    public static final String REMEDIES = "lower the learning rate; use larger K in P×K batches (more positives"
            + " per class); L2-normalise the embeddings; mine semi-hard negatives before hard ones";

    public enum Condition { LOSS_AT_MARGIN, DISTANCES_VANISH, NO_ACTIVE_TRIPLETS, NOT_FINITE }

    /**
     * @param patience              consecutive steps a condition must hold before it warns
     * @param lossAtMarginTolerance relative: |loss − α| ≤ this·α counts as "loss ≈ margin"
     * @param distanceFloor         relative: mean d(A,N) ≤ this·α counts as "distances → 0"
     */
    public record Thresholds(int patience, double lossAtMarginTolerance, double distanceFloor) {
        /** The defaults, in one place. */
        public static final Thresholds DEFAULTS = new Thresholds(20, 0.01, 0.01);

        public Thresholds {
            if (patience < 1 || !(lossAtMarginTolerance >= 0) || !(distanceFloor >= 0)) {
                throw new IllegalArgumentException("CollapseDetector thresholds: patience ≥ 1 and tolerances ≥ 0, got "
                        + patience + ", " + lossAtMarginTolerance + ", " + distanceFloor);
            }
        }
    }

    /**
     * One training step's numbers: the batch loss, the margin α (&gt; 0), the mean squared
     * distances of positive and negative pairs and the number of active triplets.
     */
    public record Step(double loss, double margin, double meanPositiveDistance, double meanNegativeDistance,
                       long activeTriplets) {
        public Step {
            if (!(margin > 0) || Double.isInfinite(margin)) {
                throw new IllegalArgumentException("CollapseDetector: margin must be finite and > 0, got " + margin);
            }
        }

        /** A step from the batch loss and the batch's {@link TripletStats}. */
        public static Step of(double loss, double margin, TripletStats stats) {
            return new Step(loss, margin, stats.meanPositiveDistance(), stats.meanNegativeDistance(), stats.active());
        }
    }

    /** A warning: what was seen, at which step (counting from 0), and a message naming remedies. */
    public record Warning(Condition condition, long step, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    private final Thresholds thresholds;
    private final Map<Condition, Integer> streaks = new EnumMap<>(Condition.class);
    private long step = -1;

    public CollapseDetector() {
        this(Thresholds.DEFAULTS);
    }

    public CollapseDetector(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /** Records one step; returns the warnings that became due now (usually none). */
    public List<Warning> observe(Step s) {
        step++;
        List<Warning> out = new ArrayList<>();
        if (!Double.isFinite(s.loss())) {
            out.add(new Warning(Condition.NOT_FINITE, step, at() + "loss is " + s.loss()
                    + ": training has diverged. Remedies: lower the learning rate; clip gradients;"
                    + " L2-normalise the embeddings"));
            return out;
        }
        double margin = s.margin();
        int patience = thresholds.patience();
        if (due(Condition.LOSS_AT_MARGIN, Math.abs(s.loss() - margin) <= thresholds.lossAtMarginTolerance() * margin)) {
            out.add(new Warning(Condition.LOSS_AT_MARGIN, step, at() + String.format(Locale.ROOT,
                    "loss %.4g ≈ margin %.4g for %d steps: the embeddings have probably collapsed to one point"
                    + " (all distances 0 give every triplet loss α). Remedies: %s", s.loss(), margin, patience, REMEDIES)));
        }
        if (due(Condition.DISTANCES_VANISH, s.meanNegativeDistance() <= thresholds.distanceFloor() * margin)) {
            out.add(new Warning(Condition.DISTANCES_VANISH, step, at() + String.format(Locale.ROOT,
                    "mean d(A,N) %.3g ≤ %.3g (mean d(A,P) %.3g) for %d steps: distances are shrinking to 0"
                    + " (collapse). Remedies: %s", s.meanNegativeDistance(), thresholds.distanceFloor() * margin,
                    s.meanPositiveDistance(), patience, REMEDIES)));
        }
        if (due(Condition.NO_ACTIVE_TRIPLETS, s.activeTriplets() == 0)) {
            out.add(new Warning(Condition.NO_ACTIVE_TRIPLETS, step, at() + "no active triplets for " + patience
                    + " steps: every triplet is easy, the loss is 0 and nothing is learnt. If validation is still"
                    + " poor: mine harder (semi-hard, then batch-hard), use more classes per batch (larger P),"
                    + " or a larger margin"));
        }
        return out;
    }

    /** Conditions whose current streak has reached the patience. */
    public List<Condition> active() {
        List<Condition> out = new ArrayList<>();
        streaks.forEach((c, n) -> {
            if (n >= thresholds.patience()) {
                out.add(c);
            }
        });
        return out;
    }

    /** Forgets all streaks and the step count. */
    public void reset() {
        streaks.clear();
        step = -1;
    }

    /** Updates the streak of {@code c}; true exactly when it reaches the patience. */
    private boolean due(Condition c, boolean holds) {
        int n = holds ? streaks.getOrDefault(c, 0) + 1 : 0;
        streaks.put(c, n);
        return n == thresholds.patience();
    }

    private String at() {
        return "step " + step + ": ";
    }
}
