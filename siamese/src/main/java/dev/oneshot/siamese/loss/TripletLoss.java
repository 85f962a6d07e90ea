package dev.oneshot.siamese.loss;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.util.Arrays;

/**
 * Triplet loss as one fused op. For triplets (Aᵢ, Pᵢ, Nᵢ), i = 1..m, of embedding rows [d]:
 * <pre>
 *   uᵢ = d(Aᵢ, Pᵢ) − d(Aᵢ, Nᵢ)
 *   Lᵢ = max(uᵢ + α, 0)        (hard margin)     or   softplus(uᵢ)   (soft margin)
 *   J  = Σᵢ Lᵢ,  (1/m) Σᵢ Lᵢ,  or (1/k) Σᵢ Lᵢ with k = #{Lᵢ > 0}     ({@link Reduction})
 * </pre>
 * with d from {@link EmbeddingDistance} (squared L2 by default). See {@link TripletOptions} for every
 * setting and its default.
 *
 * <p><b>Backward</b>, hand-derived. Let g = ∂(outer loss)/∂J, w the reduction factor (1, 1/m
 * or 1/k), h'ᵢ = ∂Lᵢ/∂uᵢ (hard: 1 if uᵢ + α > 0 else 0; soft: σ(uᵢ)) and cᵢ = g·w·h'ᵢ. With
 * ∂d(a,b)/∂a = k·(a − b) (k = 2 for squared L2, k = 1/d for L2, see {@link EmbeddingDistance}):
 * <pre>
 *   ∂J/∂Aᵢ = cᵢ·( k_ap·(Aᵢ − Pᵢ) − k_an·(Aᵢ − Nᵢ) )     squared L2: 2cᵢ·(Nᵢ − Pᵢ)
 *   ∂J/∂Pᵢ = −cᵢ·k_ap·(Aᵢ − Pᵢ)                         squared L2: −2cᵢ·(Aᵢ − Pᵢ)
 *   ∂J/∂Nᵢ =  cᵢ·k_an·(Aᵢ − Nᵢ)                         squared L2:  2cᵢ·(Aᵢ − Nᵢ)
 * </pre>
 * The anchor is pulled towards the positive and pushed from the negative; only triplets with
 * h'ᵢ ≠ 0 (active ones, for the hard margin) contribute.
 *
 * <p>The {@linkplain #apply(Tensor, int[], int[], int[], TripletOptions) indexed form} reads
 * Aᵢ = E[anchor[i]], Pᵢ = E[positive[i]], Nᵢ = E[negative[i]] from one embedding matrix E,
 * so triplets mined from a batch cost one network pass. Its backward scatter-<em>adds</em>
 * into E: a row used by several triplets (or in several roles) receives the sum.
 *
 * <p>Sums run in double; results are stored in float32.
 */
public final class TripletLoss {
    private static final String OP = "tripletLoss";

    private TripletLoss() {
    }

    /**
     * The loss and what a trainer logs about it.
     *
     * @param loss        the scalar J (graph-connected to the embeddings)
     * @param active      per triplet, Lᵢ > 0 (for the soft margin every triplet whose softplus
     *                    did not underflow to 0)
     * @param activeCount k = number of true entries in {@code active}
     * @param apDistance  d(Aᵢ, Pᵢ) per triplet
     * @param anDistance  d(Aᵢ, Nᵢ) per triplet
     */
    public record Result(Tensor loss, boolean[] active, int activeCount, float[] apDistance, float[] anDistance) {
        /** k / m: the share of triplets that still teach something (0 for an empty batch). */
        public double activeFraction() {
            return active.length == 0 ? 0.0 : (double) activeCount / active.length;
        }
    }

    /** Triplet loss of rows A, P, N [m, d] with {@link TripletOptions#DEFAULT}. */
    public static Result apply(Tensor anchor, Tensor positive, Tensor negative) {
        return apply(anchor, positive, negative, TripletOptions.DEFAULT);
    }

    /** Triplet loss of rows A, P, N [m, d]: triplet i is (A[i], P[i], N[i]). */
    public static Result apply(Tensor anchor, Tensor positive, Tensor negative, TripletOptions options) {
        int[] s = anchor.shape();
        if (s.length != 2 || !Arrays.equals(s, positive.shape()) || !Arrays.equals(s, negative.shape())) {
            throw new IllegalArgumentException(OP + ": anchor " + Shape.toString(s) + ", positive "
                    + Shape.toString(positive.shape()) + " and negative " + Shape.toString(negative.shape())
                    + " must all be [m, d] of the same shape");
        }
        int[] rows = new int[s[0]];
        Arrays.setAll(rows, i -> i);
        return fused(anchor, rows, positive, rows, negative, rows, options);
    }

    /** Indexed form with {@link TripletOptions#DEFAULT}. */
    public static Result apply(Tensor embeddings, int[] anchor, int[] positive, int[] negative) {
        return apply(embeddings, anchor, positive, negative, TripletOptions.DEFAULT);
    }

    /**
     * Triplet loss of mined triplets over one embedding matrix E [n, d]: triplet i is
     * (E[anchor[i]], E[positive[i]], E[negative[i]]). Indices may repeat.
     */
    public static Result apply(Tensor embeddings, int[] anchor, int[] positive, int[] negative,
                               TripletOptions options) {
        int[] s = embeddings.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException(OP + ": embeddings must be [n, d], got " + Shape.toString(s));
        }
        if (anchor.length != positive.length || anchor.length != negative.length) {
            throw new IllegalArgumentException(OP + ": index arrays differ in length: anchor " + anchor.length
                    + ", positive " + positive.length + ", negative " + negative.length);
        }
        checkIndices("anchor", anchor, s[0]);
        checkIndices("positive", positive, s[0]);
        checkIndices("negative", negative, s[0]);
        return fused(embeddings, anchor.clone(), embeddings, positive.clone(), embeddings, negative.clone(), options);
    }

    private static void checkIndices(String role, int[] idx, int rows) {
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= rows) {
                throw new IndexOutOfBoundsException(OP + ": " + role + " index " + idx[i] + " at triplet " + i
                        + " is outside [0, " + rows + ")");
            }
        }
    }

    /** The kernel: triplet i reads row ia[i] of a, ip[i] of p, in[i] of n (a, p, n may be one tensor). */
    private static Result fused(Tensor a, int[] ia, Tensor p, int[] ip, Tensor n, int[] in, TripletOptions o) {
        int m = ia.length;
        int d = a.size(1);
        float[] ad = a.data();
        float[] pd = p.data();
        float[] nd = n.data();
        EmbeddingDistance dist = o.distance();
        boolean hard = o.marginKind() == TripletOptions.Margin.HARD;
        double[] dAp = new double[m];
        double[] dAn = new double[m];
        double[] slope = new double[m]; // h'ᵢ = ∂Lᵢ/∂uᵢ
        boolean[] active = new boolean[m];
        int k = 0;
        double total = 0;
        for (int i = 0; i < m; i++) {
            dAp[i] = dist.of(squaredDistance(ad, ia[i], pd, ip[i], d), o.epsilon());
            dAn[i] = dist.of(squaredDistance(ad, ia[i], nd, in[i], d), o.epsilon());
            double u = dAp[i] - dAn[i];
            double li;
            if (hard) {
                li = Math.max(u + o.margin(), 0.0);
                slope[i] = u + o.margin() > 0 ? 1.0 : 0.0;
            } else {
                li = Math.max(u, 0.0) + Math.log1p(Math.exp(-Math.abs(u)));
                slope[i] = sigmoid(u);
            }
            active[i] = (float) li > 0f;
            k += active[i] ? 1 : 0;
            total += li;
        }
        double w = o.reduction().weight(m, k); // MEAN_ACTIVE with k = 0: J = 0, ∇ = 0 (not 0/0)
        Tensor loss = Node.record(OP, new float[] {(float) (w * total)}, new int[0], g -> {
            float[] ga = a.requiresGrad() ? a.gradData() : null;
            float[] gp = p.requiresGrad() ? p.gradData() : null;
            float[] gn = n.requiresGrad() ? n.gradData() : null;
            for (int i = 0; i < m; i++) {
                double c = g[0] * w * slope[i];
                if (c == 0.0) {
                    continue;
                }
                double cAp = c * dist.slope(dAp[i]); // cᵢ·k_ap
                double cAn = c * dist.slope(dAn[i]); // cᵢ·k_an
                int ra = ia[i] * d;
                int rp = ip[i] * d;
                int rn = in[i] * d;
                for (int t = 0; t < d; t++) {
                    double ap = (double) ad[ra + t] - pd[rp + t];
                    double an = (double) ad[ra + t] - nd[rn + t];
                    if (ga != null) {
                        ga[ra + t] += (float) (cAp * ap - cAn * an);
                    }
                    if (gp != null) {
                        gp[rp + t] += (float) (-cAp * ap);
                    }
                    if (gn != null) {
                        gn[rn + t] += (float) (cAn * an);
                    }
                }
            }
        }, a, p, n);
        return new Result(loss, active, k, toFloat(dAp), toFloat(dAn));
    }

    /** ‖x[rx] − y[ry]‖² over rows of width d. */
    static double squaredDistance(float[] x, int rx, float[] y, int ry, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double diff = (double) x[rx * d + t] - y[ry * d + t];
            s += diff * diff;
        }
        return s;
    }

    /** σ(u) without overflow: e^−u is only taken for u ≥ 0, e^u only for u &lt; 0. */
    static double sigmoid(double u) {
        if (u >= 0) {
            return 1.0 / (1.0 + Math.exp(-u));
        }
        double e = Math.exp(u);
        return e / (1.0 + e);
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
