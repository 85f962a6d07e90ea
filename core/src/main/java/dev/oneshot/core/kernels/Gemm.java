package dev.oneshot.core.kernels;

/**
 * General matrix multiply on row-major float arrays:
 * <pre>  C = op(A)·op(B)        (accumulate = false)
 *   C = C + op(A)·op(B)    (accumulate = true)</pre>
 * where op(X) is X or Xᵀ. op(A) is m×k, op(B) is k×n, C is m×n. A is stored as m×k
 * (or k×m when {@code transA}), B as k×n (or n×k when {@code transB}); each matrix is
 * contiguous from its offset. Backward uses the transposed forms, so no transpose is ever
 * materialised: for C = A·B, ∂A = ∂C·Bᵀ and ∂B = Aᵀ·∂C.
 *
 * <p>A, B: not modified. C: modified (must not overlap A or B).
 */
public final class Gemm {
    private Gemm() {
    }

    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOffset, float[] b, int bOffset,
                                float[] c, int cOffset, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(c, cOffset, cOffset + m * n, 0f);
        }
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
                if (aip == 0f) {
                    continue;
                }
                int cRow = cOffset + i * n;
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bOffset + j * k + p];
                    }
                } else {
                    int bRow = bOffset + p * n;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bRow + j];
                    }
                }
            }
        }
    }
}
