package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Fused pairwise squared Euclidean distances between the rows of A [m, d] and B [n, d]:
 * <pre>  D[i, j] = max(‖aᵢ‖² − 2·aᵢ·bⱼ + ‖bⱼ‖², 0)</pre>
 * The cross term is one GEMM (A·Bᵀ); the clamp removes small negatives left by rounding.
 *
 * <p>Backward, with G = ∂L/∂D and G' = G where the clamp did not bite (0 elsewhere):
 * ∂D[i,j]/∂aᵢ = 2(aᵢ − bⱼ), so ∂L/∂A = 2·(diag(G'·1)·A − G'·B) and
 * ∂L/∂B = 2·(diag(G'ᵀ·1)·B − G'ᵀ·A). Passing the same tensor as A and B (distances within one
 * batch) accumulates both terms into it.
 */
public final class PairwiseSquaredDistance {
    private PairwiseSquaredDistance() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        if (as.length != 2 || bs.length != 2 || as[1] != bs[1]) {
            throw new IllegalArgumentException("pairwiseSquaredDistance: " + Shape.toString(as) + " and "
                    + Shape.toString(bs) + ": need two row sets [m, d] and [n, d] of the same width d");
        }
        int m = as[0];
        int n = bs[0];
        int d = as[1];
        float[] ad = a.data();
        float[] bd = b.data();
        float[] aNorms = rowSquaredNorms(ad, m, d);
        float[] bNorms = rowSquaredNorms(bd, n, d);
        float[] dist = new float[m * n];
        Gemm.multiply(false, true, m, n, d, ad, 0, bd, 0, dist, 0, false); // aᵢ·bⱼ
        boolean[] clamped = new boolean[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float v = aNorms[i] - 2f * dist[i * n + j] + bNorms[j];
                clamped[i * n + j] = v < 0f;
                dist[i * n + j] = v < 0f ? 0f : v;
            }
        }
        return Node.record("pairwiseSquaredDistance", dist, new int[] {m, n}, g -> {
            float[] masked = new float[m * n];
            for (int i = 0; i < masked.length; i++) {
                masked[i] = clamped[i] ? 0f : g[i];
            }
            if (a.requiresGrad()) {
                accumulate(a.gradData(), ad, bd, masked, m, n, d, false);
            }
            if (b.requiresGrad()) {
                accumulate(b.gradData(), bd, ad, masked, n, m, d, true);
            }
        }, a, b);
    }

    /**
     * grad[r] += 2·(Σ_c G'[r, c]·self[r] − Σ_c G'[r, c]·other[c]); with {@code transposed} the
     * roles of G's rows and columns swap (the B side).
     */
    private static void accumulate(float[] grad, float[] self, float[] other, float[] masked,
                                   int rows, int cols, int d, boolean transposed) {
        float[] weighted = new float[rows * d];
        // weighted = G'·other (A side) or G'ᵀ·other (B side)
        Gemm.multiply(transposed, false, rows, d, cols, masked, 0, other, 0, weighted, 0, false);
        int gCols = transposed ? rows : cols;
        for (int r = 0; r < rows; r++) {
            float rowSum = 0f;
            for (int c = 0; c < cols; c++) {
                rowSum += transposed ? masked[c * gCols + r] : masked[r * gCols + c];
            }
            for (int t = 0; t < d; t++) {
                grad[r * d + t] += 2f * (rowSum * self[r * d + t] - weighted[r * d + t]);
            }
        }
    }

    private static float[] rowSquaredNorms(float[] x, int rows, int d) {
        float[] norms = new float[rows];
        for (int r = 0; r < rows; r++) {
            float s = 0f;
            for (int t = 0; t < d; t++) {
                float v = x[r * d + t];
                s += v * v;
            }
            norms[r] = s;
        }
        return norms;
    }
}
