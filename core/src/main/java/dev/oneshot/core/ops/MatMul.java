package dev.oneshot.core.ops;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

/**
 * Matrix product C = op(A)·op(B), op(X) = X or Xᵀ, for 2-D matrices or batches of them
 * ([b, m, k]·[b, k, n] → [b, m, n]).
 *
 * <p>Backward, with G = ∂L/∂C and plain operands: ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G. For the
 * transposed forms: if C = Aᵀ·B then ∂L/∂A = B·Gᵀ; if C = A·Bᵀ then ∂L/∂B = Gᵀ·A. The GEMM
 * kernel takes transpose flags and accumulates, so no transpose is materialised.
 */
public final class MatMul {
    private MatMul() {
    }

    public static Tensor apply(Tensor a, Tensor b, boolean transA, boolean transB) {
        int[] as = a.shape();
        int[] bs = b.shape();
        if (as.length != bs.length || (as.length != 2 && as.length != 3)) {
            throw new IllegalArgumentException("matmul: " + Shape.toString(as) + " x " + Shape.toString(bs)
                    + ": need two 2-D matrices or two 3-D batches of matrices");
        }
        int batch = as.length == 3 ? as[0] : 1;
        if (as.length == 3 && bs[0] != batch) {
            throw new IllegalArgumentException("matmul: " + Shape.toString(as) + " x " + Shape.toString(bs)
                    + ": batch sizes differ (" + as[0] + " != " + bs[0] + ")");
        }
        int r = as.length - 2;
        int m = transA ? as[r + 1] : as[r];
        int k = transA ? as[r] : as[r + 1];
        int kb = transB ? bs[r + 1] : bs[r];
        int n = transB ? bs[r] : bs[r + 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: " + Shape.toString(as) + (transA ? "ᵀ" : "") + " x "
                    + Shape.toString(bs) + (transB ? "ᵀ" : "") + ": inner dimensions differ (" + k + " != " + kb + ")");
        }
        float[] ad = a.data();
        float[] bd = b.data();
        float[] cd = new float[batch * m * n];
        for (int t = 0; t < batch; t++) {
            Gemm.multiply(transA, transB, m, n, k, ad, t * m * k, bd, t * k * n, cd, t * m * n, false);
        }
        int[] outShape = as.length == 3 ? new int[] {batch, m, n} : new int[] {m, n};
        return Node.record("matmul", cd, outShape, g -> {
            for (int t = 0; t < batch; t++) {
                int aOff = t * m * k;
                int bOff = t * k * n;
                int gOff = t * m * n;
                if (a.requiresGrad()) {
                    float[] ga = a.gradData();
                    if (!transA) { // ∂A [m,k] = G·op(B)ᵀ
                        Gemm.multiply(false, !transB, m, k, n, g, gOff, bd, bOff, ga, aOff, true);
                    } else {       // ∂A [k,m] = op(B)·Gᵀ
                        Gemm.multiply(transB, true, k, m, n, bd, bOff, g, gOff, ga, aOff, true);
                    }
                }
                if (b.requiresGrad()) {
                    float[] gb = b.gradData();
                    if (!transB) { // ∂B [k,n] = op(A)ᵀ·G
                        Gemm.multiply(!transA, false, k, n, m, ad, aOff, g, gOff, gb, bOff, true);
                    } else {       // ∂B [n,k] = Gᵀ·op(A)
                        Gemm.multiply(true, transA, n, k, m, g, gOff, ad, aOff, gb, bOff, true);
                    }
                }
            }
        }, a, b);
    }
}
