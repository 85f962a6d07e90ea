package dev.oneshot.siamese.loss;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A gradient check that cannot fail proves nothing. For each fused loss this test carries a
 * stripped-down copy (same forward, SUM reduction) whose backward can be broken on purpose,
 * and asserts that {@link GradCheck} passes the faithful copy and rejects the broken one, at
 * the same inputs the real op is checked at.
 */
class SabotagedLossesTest {

    // ------------------------------------------------------------------ triplet (squared L2, hard margin)

    /** Σᵢ max(‖Aᵢ − Pᵢ‖² − ‖Aᵢ − Nᵢ‖² + α, 0); the bug drops the 2 of ∂‖a − b‖²/∂a = 2(a − b). */
    static Tensor triplet(Tensor a, Tensor p, Tensor n, float alpha, boolean missingFactorTwo) {
        int m = a.size(0);
        int d = a.size(1);
        float[] ad = a.data();
        float[] pd = p.data();
        float[] nd = n.data();
        boolean[] active = new boolean[m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            double u = TripletLoss.squaredDistance(ad, i, pd, i, d) - TripletLoss.squaredDistance(ad, i, nd, i, d) + alpha;
            active[i] = u > 0;
            total += Math.max(u, 0);
        }
        double k = missingFactorTwo ? 1.0 : 2.0;
        return Node.record("sabotaged-triplet", new float[] {(float) total}, new int[0], g -> {
            for (int i = 0; i < m; i++) {
                if (!active[i]) {
                    continue;
                }
                for (int t = i * d; t < (i + 1) * d; t++) {
                    a.gradData()[t] += (float) (g[0] * k * (nd[t] - pd[t]));
                    p.gradData()[t] += (float) (-g[0] * k * (ad[t] - pd[t]));
                    n.gradData()[t] += (float) (g[0] * k * (ad[t] - nd[t]));
                }
            }
        }, a, p, n);
    }

    @Test
    void tripletWithMissingFactorTwoFails() {
        Tensor[] apn = LossInputs.triplets(100, 4, 3, TripletOptions.DEFAULT);
        float alpha = TripletOptions.DEFAULT.margin();
        GradCheck.check("faithful triplet copy", x -> triplet(x[0], x[1], x[2], alpha, false), apn).assertPassed();
        GradCheckReport report = GradCheck.check("triplet without the 2",
                x -> triplet(x[0], x[1], x[2], alpha, true), apn);
        assertFalse(report.passed(), report.summary());
    }

    // ------------------------------------------------------------------ contrastive

    /** Σᵢ yᵢ·sᵢ + (1 − yᵢ)·max(μ − dᵢ, 0)²; the bug uses −h/d instead of −2h/d in the hinge term. */
    static Tensor contrastive(Tensor x1, Tensor x2, int[] y, float mu, boolean missingFactorTwo) {
        int m = x1.size(0);
        int d = x1.size(1);
        float[] ad = x1.data();
        float[] bd = x2.data();
        double[] factor = new double[m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            double s = TripletLoss.squaredDistance(ad, i, bd, i, d);
            double dist = Math.sqrt(s + 1e-8);
            double h = Math.max(mu - dist, 0);
            total += y[i] == 1 ? s : h * h;
            factor[i] = y[i] == 1 ? 2.0 : (missingFactorTwo ? -1.0 : -2.0) * h / dist;
        }
        return Node.record("sabotaged-contrastive", new float[] {(float) total}, new int[0], g -> {
            for (int i = 0; i < m; i++) {
                for (int t = i * d; t < (i + 1) * d; t++) {
                    float v = (float) (g[0] * factor[i] * ((double) ad[t] - bd[t]));
                    x1.gradData()[t] += v;
                    x2.gradData()[t] -= v;
                }
            }
        }, x1, x2);
    }

    @Test
    void contrastiveWithMissingFactorTwoFails() {
        ContrastiveLoss.Options o = ContrastiveLossTest.options(Reduction.SUM);
        Tensor[] x = ContrastiveLossTest.pairs(10, o);
        int[] y = ContrastiveLossTest.LABELS;
        GradCheck.check("faithful contrastive copy", in -> contrastive(in[0], in[1], y, o.margin(), false), x)
                .assertPassed();
        GradCheckReport report = GradCheck.check("contrastive hinge without the 2",
                in -> contrastive(in[0], in[1], y, o.margin(), true), x);
        assertFalse(report.passed(), report.summary());
    }

    // ------------------------------------------------------------------ BCE with logits

    /** Σᵢ max(xᵢ,0) − xᵢzᵢ + log1p(e^−|xᵢ|); the bug's backward is σ(x) instead of σ(x) − z. */
    static Tensor bce(Tensor logits, int[] z, boolean forgetsTarget) {
        float[] x = logits.data();
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            total += Math.max(x[i], 0.0) - (double) x[i] * z[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
        }
        return Node.record("sabotaged-bce", new float[] {(float) total}, new int[0], g -> {
            for (int i = 0; i < x.length; i++) {
                double dx = TripletLoss.sigmoid(x[i]) - (forgetsTarget ? 0 : z[i]);
                logits.gradData()[i] += (float) (g[0] * dx);
            }
        }, logits);
    }

    @Test
    void bceWithoutTheTargetFails() {
        Tensor x = LossInputs.away(3, 6);
        int[] z = BinaryCrossEntropyWithLogitsTest.LABELS;
        GradCheck.check("faithful bce copy", in -> bce(in[0], z, false), x).assertPassed();
        GradCheckReport report = GradCheck.check("bce with σ(x) only", in -> bce(in[0], z, true), x);
        assertFalse(report.passed(), report.summary());
    }
}
