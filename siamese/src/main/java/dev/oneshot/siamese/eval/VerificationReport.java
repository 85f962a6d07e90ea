package dev.oneshot.siamese.eval;

import dev.oneshot.core.json.Json;

/**
 * The verification metrics of a set of genuine and impostor pair scores, read off their
 * {@link Roc}: AUC, equal error rate (see {@link Roc#eer()} — interpolated rate, nearest-point
 * τ), TAR at FAR = 10⁻³ and 10⁻² (largest TAR with FAR ≤ target, see {@link Roc#tarAtFar}) and
 * the F1-optimal threshold. All thresholds τ are in the scores' own units; a τ of "accept
 * nothing" (±∞) serialises as {@code null}.
 *
 * @param direction     which way the scores point
 * @param genuinePairs  number of genuine scores
 * @param impostorPairs number of impostor scores
 * @param auc           trapezoid ROC AUC = Mann–Whitney P(genuine more similar) + ½·P(tie)
 * @param eer           equal error rate
 * @param eerTau        threshold at the EER
 * @param tarAtFar1e3   largest TAR with FAR ≤ 10⁻³
 * @param tauAtFar1e3   its threshold
 * @param tarAtFar1e2   largest TAR with FAR ≤ 10⁻²
 * @param tauAtFar1e2   its threshold
 * @param f1            best F1 (genuine = positive class)
 * @param f1Tau         its threshold
 */
public record VerificationReport(ScoreDirection direction, int genuinePairs, int impostorPairs, double auc,
                                 double eer, double eerTau, double tarAtFar1e3, double tauAtFar1e3,
                                 double tarAtFar1e2, double tauAtFar1e2, double f1, double f1Tau) {

    /** The report of distance scores (smaller = more similar). */
    public static VerificationReport of(double[] genuine, double[] impostor) {
        return of(genuine, impostor, ScoreDirection.DISTANCE);
    }

    /** The report of scores pointing in {@code direction}. */
    public static VerificationReport of(double[] genuine, double[] impostor, ScoreDirection direction) {
        return of(Roc.of(genuine, impostor, direction));
    }

    /** The report of pair distances built from features (see {@link FeaturePairs}). */
    public static VerificationReport of(FeaturePairs.Scores pairs) {
        return of(pairs.genuine(), pairs.impostor(), ScoreDirection.DISTANCE);
    }

    /** The report read off an existing curve. */
    public static VerificationReport of(Roc roc) {
        Roc.Eer eer = roc.eer();
        Roc.TarAtFar at3 = roc.tarAtFar(1e-3);
        Roc.TarAtFar at2 = roc.tarAtFar(1e-2);
        Roc.BestF1 f1 = roc.bestF1();
        return new VerificationReport(roc.direction(), roc.genuineCount(), roc.impostorCount(), roc.auc(),
                eer.rate(), eer.tau(), at3.tar(), at3.tau(), at2.tar(), at2.tau(), f1.f1(), f1.tau());
    }

    /**
     * Keys in this order: {@code direction, genuine_pairs, impostor_pairs, auc, eer, eer_tau,
     * tar_at_far_1e-3, tau_at_far_1e-3, tar_at_far_1e-2, tau_at_far_1e-2, f1, f1_tau}.
     */
    public String toJson() {
        return Json.object()
                .put("direction", direction.name())
                .put("genuine_pairs", genuinePairs)
                .put("impostor_pairs", impostorPairs)
                .put("auc", auc)
                .put("eer", eer)
                .put("eer_tau", eerTau)
                .put("tar_at_far_1e-3", tarAtFar1e3)
                .put("tau_at_far_1e-3", tauAtFar1e3)
                .put("tar_at_far_1e-2", tarAtFar1e2)
                .put("tau_at_far_1e-2", tauAtFar1e2)
                .put("f1", f1)
                .put("f1_tau", f1Tau)
                .toString();
    }
}
