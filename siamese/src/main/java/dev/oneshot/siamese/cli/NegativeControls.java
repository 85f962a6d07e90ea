package dev.oneshot.siamese.cli;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.cli.GradcheckCatalog.Check;
import dev.oneshot.siamese.cli.GradcheckCatalog.Kind;

import java.util.ArrayList;
import java.util.List;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.away;

/**
 * A checker that cannot fail proves nothing: square matmuls C = A·B whose backward is broken on
 * purpose. Each control is ok when the checker rejects it. The same op with its correct
 * backward is listed as an ordinary op check, so a control is not "caught" merely because
 * the hand-written op is wrong everywhere.
 */
final class NegativeControls {
    /** How the backward goes wrong. */
    enum Bug { NONE, SCALE_ONE_ELEMENT, TRANSPOSED, ASSIGN_INSTEAD_OF_ACCUMULATE, IGNORES_UPSTREAM }

    private NegativeControls() {
    }

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        c.add(new Check("hand-written matmul (correct backward)", Kind.OP, () -> GradCheck.check("matmul",
                x -> matmul(Bug.NONE, x[0], x[1]), away(7, 4, 4), away(8, 4, 4))));
        c.add(control("backward × 1.01 on one element", Bug.SCALE_ONE_ELEMENT, false));
        c.add(control("transposed gradient", Bug.TRANSPOSED, false));
        c.add(control("assigns instead of accumulating (A·A)", Bug.ASSIGN_INSTEAD_OF_ACCUMULATE, true));
        c.add(control("ignores the upstream gradient", Bug.IGNORES_UPSTREAM, false));
        return c;
    }

    private static Check control(String name, Bug bug, boolean shared) {
        return new Check(name, Kind.NEGATIVE_CONTROL, () -> shared
                ? GradCheck.check(name, x -> matmul(bug, x[0], x[0]), away(9, 4, 4))
                : GradCheck.check(name, x -> matmul(bug, x[0], x[1]), away(7, 4, 4), away(8, 4, 4)));
    }

    /** C = A·B for square A, B [n, n], with the backward broken as {@code bug} says. */
    static Tensor matmul(Bug bug, Tensor a, Tensor b) {
        int n = a.size(0);
        float[] c = new float[n * n];
        Gemm.multiply(false, false, n, n, n, a.data(), 0, b.data(), 0, c, 0, false);
        return Node.record("sabotaged-matmul", c, new int[] {n, n}, g -> {
            float[] ga = new float[n * n];
            float[] gb = new float[n * n];
            Gemm.multiply(false, true, n, n, n, g, 0, b.data(), 0, ga, 0, false); // ∂A = G·Bᵀ
            Gemm.multiply(true, false, n, n, n, a.data(), 0, g, 0, gb, 0, false); // ∂B = Aᵀ·G
            switch (bug) {
                case SCALE_ONE_ELEMENT -> ga[5] *= 1.01f;
                case TRANSPOSED -> transposeInPlace(ga, n);
                case IGNORES_UPSTREAM -> ga[0] += 0.5f;
                default -> { }
            }
            boolean assign = bug == Bug.ASSIGN_INSTEAD_OF_ACCUMULATE;
            if (a.requiresGrad()) {
                add(a.gradData(), ga, assign);
            }
            if (b.requiresGrad()) {
                add(b.gradData(), gb, assign);
            }
        }, a, b);
    }

    private static void add(float[] dst, float[] src, boolean assign) {
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
