package dev.oneshot.core.gradcheck;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

/**
 * Negative controls for {@link GradCheck}: a square matmul C = A·B whose backward is broken on
 * purpose, one way per {@link Bug}. A checker that cannot fail proves nothing, so the tests and
 * {@code oneshot gradcheck} run these and count them as passed only when the checker rejects
 * them — while the same op with {@link Bug#NONE} must pass.
 */
public final class SabotagedMatMul {
    /** How the backward goes wrong. */
    public enum Bug {
        /** The correct backward: ∂A = G·Bᵀ, ∂B = Aᵀ·G. */
        NONE,
        /** One element of ∂A scaled by 1.01 (a 1% error). */
        SCALE_ONE_ELEMENT,
        /** ∂A transposed (right shape, wrong layout). */
        TRANSPOSED,
        /** Assigns instead of accumulating: a tensor used twice keeps only one contribution. */
        ASSIGN_INSTEAD_OF_ACCUMULATE,
        /** Random noise added to one element: two backward passes differ. */
        NON_DETERMINISTIC,
        /** A constant added to one element, so a zero upstream gradient gives a non-zero one. */
        IGNORES_UPSTREAM
    }

    private SabotagedMatMul() {
    }

    /**
     * C = A·B for square A, B [n, n] with the backward broken as {@code bug} says;
     * {@code element} is the element of ∂A that {@link Bug#SCALE_ONE_ELEMENT} scales.
     */
    public static Tensor apply(Bug bug, Tensor a, Tensor b, int element) {
        int n = a.size(0);
        float[] c = new float[n * n];
        Gemm.multiply(false, false, n, n, n, a.data(), 0, b.data(), 0, c, 0, false);
        SeededRandom noise = new SeededRandom(System.nanoTime());
        return Node.record("sabotaged-matmul", c, new int[] {n, n}, g -> {
            float[] ga = new float[n * n];
            float[] gb = new float[n * n];
            Gemm.multiply(false, true, n, n, n, g, 0, b.data(), 0, ga, 0, false); // ∂A = G·Bᵀ
            Gemm.multiply(true, false, n, n, n, a.data(), 0, g, 0, gb, 0, false); // ∂B = Aᵀ·G
            switch (bug) {
                case SCALE_ONE_ELEMENT -> ga[element] *= 1.01f;
                case TRANSPOSED -> transposeInPlace(ga, n);
                case NON_DETERMINISTIC -> ga[0] += (float) (1e-3 * noise.nextGaussian());
                case IGNORES_UPSTREAM -> ga[0] += 0.5f;
                default -> { }
            }
            boolean assign = bug == Bug.ASSIGN_INSTEAD_OF_ACCUMULATE;
            if (a.requiresGrad()) {
                addOrAssign(a.gradData(), ga, assign);
            }
            if (b.requiresGrad()) {
                addOrAssign(b.gradData(), gb, assign);
            }
        }, a, b);
    }

    private static void addOrAssign(float[] dst, float[] src, boolean assign) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = assign ? src[i] : dst[i] + src[i];
        }
    }

    private static void transposeInPlace(float[] m, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float t = m[i * n + j];
                m[i * n + j] = m[j * n + i];
                m[j * n + i] = t;
            }
        }
    }
}
