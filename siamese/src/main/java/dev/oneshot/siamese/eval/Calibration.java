package dev.oneshot.siamese.eval;

import dev.oneshot.core.json.Json;

/**
 * Choosing an operating threshold τ on one split and measuring it on another.
 *
 * <p>{@link #choose} reads τ off the ROC of the <em>validation</em> genuine/impostor scores by a
 * named {@link Criterion}; {@link #evaluate} applies that fixed τ to a separate <em>test</em>
 * split. Choosing and measuring on the same scores would report an optimistic error.
 *
 * <pre>{@code
 * double tau = Calibration.choose(valGenuine, valImpostor, Calibration.Criterion.targetFar(1e-2));
 * Calibration.Result r = Calibration.evaluate(tau, testGenuine, testImpostor);
 * }</pre>
 */
public final class Calibration {
    private Calibration() {
    }

    /** How τ is chosen on the validation split. */
    public sealed interface Criterion permits Eer, TargetFar, F1 {
        /** τ at the equal error rate ({@link Roc#eer()}: the ROC point nearest the FAR = FRR crossing). */
        Criterion EER = new Eer();
        /** τ maximising F1 ({@link Roc#bestF1()}). */
        Criterion F1 = new F1();

        /** τ of the largest TAR with FAR ≤ {@code far} ({@link Roc#tarAtFar}). */
        static Criterion targetFar(double far) {
            return new TargetFar(far);
        }

        /** {@code "EER"}, {@code "F1"} or {@code "TARGET_FAR(0.001)"}. */
        String name();
    }

    /** See {@link Criterion#EER}. */
    public record Eer() implements Criterion {
        @Override
        public String name() {
            return "EER";
        }
    }

    /** See {@link Criterion#targetFar}; {@code far} in [0, 1]. */
    public record TargetFar(double far) implements Criterion {
        public TargetFar {
            if (!(far >= 0 && far <= 1)) {
                throw new IllegalArgumentException("Calibration: target FAR must be in [0, 1], got " + far);
            }
        }

        @Override
        public String name() {
            return "TARGET_FAR(" + far + ")";
        }
    }

    /** See {@link Criterion#F1}. */
    public record F1() implements Criterion {
        @Override
        public String name() {
            return "F1";
        }
    }

    /**
     * A fixed τ measured on a test split.
     *
     * @param tau       the threshold
     * @param far       impostor pairs accepted / impostor pairs
     * @param frr       genuine pairs rejected / genuine pairs
     * @param accuracy  correctly decided pairs / all pairs (unweighted: with as many genuine as
     *                  impostor pairs it is 1 − (FAR + FRR)/2)
     * @param genuine   number of genuine test pairs
     * @param impostor  number of impostor test pairs
     */
    public record Result(ScoreDirection direction, double tau, double far, double frr, double accuracy,
                         int genuine, int impostor) {
        /** Keys in order: {@code direction, tau, far, frr, accuracy, genuine_pairs, impostor_pairs}. */
        public String toJson() {
            return Json.object().put("direction", direction.name()).put("tau", tau).put("far", far).put("frr", frr)
                    .put("accuracy", accuracy).put("genuine_pairs", genuine).put("impostor_pairs", impostor).toString();
        }
    }

    /** τ for distance scores chosen on the validation split. */
    public static double choose(double[] valGenuine, double[] valImpostor, Criterion criterion) {
        return choose(valGenuine, valImpostor, criterion, ScoreDirection.DISTANCE);
    }

    /** τ for scores pointing in {@code direction}, chosen on the validation split. */
    public static double choose(double[] valGenuine, double[] valImpostor, Criterion criterion, ScoreDirection direction) {
        Roc roc = Roc.of(valGenuine, valImpostor, direction);
        if (criterion instanceof TargetFar t) {
            return roc.tarAtFar(t.far()).tau();
        }
        if (criterion instanceof F1) {
            return roc.bestF1().tau();
        }
        return roc.eer().tau();
    }

    /** FAR, FRR and accuracy of the fixed distance threshold {@code tau} (accept d ≤ τ) on a test split. */
    public static Result evaluate(double tau, double[] testGenuine, double[] testImpostor) {
        return evaluate(tau, testGenuine, testImpostor, ScoreDirection.DISTANCE);
    }

    /** FAR, FRR and accuracy of the fixed threshold {@code tau} on a test split. */
    public static Result evaluate(double tau, double[] testGenuine, double[] testImpostor, ScoreDirection direction) {
        if (Double.isNaN(tau) || testGenuine.length == 0 || testImpostor.length == 0) {
            throw new IllegalArgumentException("Calibration.evaluate: need a τ (got " + tau + ") and genuine and impostor"
                    + " scores (got " + testGenuine.length + " and " + testImpostor.length + ")");
        }
        for (double[] split : new double[][] {testGenuine, testImpostor}) {
            for (double s : split) {
                if (Double.isNaN(s)) {
                    throw new IllegalArgumentException("Calibration.evaluate: a test score is NaN");
                }
            }
        }
        int rejected = 0;
        for (double s : testGenuine) {
            if (!direction.accepts(s, tau)) {
                rejected++;
            }
        }
        int accepted = 0;
        for (double s : testImpostor) {
            if (direction.accepts(s, tau)) {
                accepted++;
            }
        }
        int g = testGenuine.length;
        int m = testImpostor.length;
        double accuracy = (double) (g - rejected + m - accepted) / (g + m);
        return new Result(direction, tau, (double) accepted / m, (double) rejected / g, accuracy, g, m);
    }
}
