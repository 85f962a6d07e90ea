package dev.oneshot.core.gradcheck;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Checks an op's analytic backward against central finite differences, over the full Jacobian.
 *
 * <p>For y = f(x₁, ..., xₙ) the checker builds two Jacobians J[i][j] = ∂yᵢ/∂xⱼ:
 * <ul>
 *   <li><b>numerical</b>: (f(x + h·eⱼ) − f(x − h·eⱼ)) / (2h), one pair of forward passes per
 *       input element, outputs read in double. The step is the float32 value actually taken
 *       (x ± h rounded), so rounding of x does not bias the quotient;</li>
 *   <li><b>analytic</b>: one forward and one {@code backward(eᵢ)} per output element.</li>
 * </ul>
 * They must agree entrywise: |analytic − numerical| ≤ atol + rtol·|numerical|.
 *
 * <p>The ops run in float32, so the step cannot be tiny: with h = 10⁻² the float32 rounding of
 * y contributes about 6·10⁻⁸·|y|/h ≈ 6·10⁻⁶·|y| and the truncation error is h²/6·|f‴| ≈ 2·10⁻⁵.
 * The defaults (atol 10⁻⁴, rtol 2·10⁻³) therefore flag an error of 1% in any single gradient
 * element of magnitude ≥ 0.03 — the negative tests prove it on deliberately wrong backwards.
 * Inputs must sit further than h from kinks (ReLU and |x| at 0, ties of max, clamp bounds).
 *
 * <p>Three more properties are checked: two backward passes on fresh forwards give identical
 * gradients; a zero upstream gradient gives zero gradients; each gradient has its input's shape.
 * Only inputs with {@code requiresGrad} set are checked; the others are held constant.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Step and tolerances. One source of truth for the defaults: {@link #DEFAULT}. */
    public record Options(double step, double atol, double rtol, long seed) {
        public static final Options DEFAULT = new Options(1e-2, 1e-4, 2e-3, 42L);

        public Options {
            if (!(step > 0) || !(atol >= 0) || !(rtol >= 0)) {
                throw new IllegalArgumentException("GradCheck.Options: need step > 0, atol ≥ 0, rtol ≥ 0; got step="
                        + step + " atol=" + atol + " rtol=" + rtol);
            }
        }

        public Options withTolerances(double newAtol, double newRtol) {
            return new Options(step, newAtol, newRtol, seed);
        }

        public Options withStep(double newStep) {
            return new Options(newStep, atol, rtol, seed);
        }
    }

    /** Checks with {@link Options#DEFAULT}. */
    public static GradCheckReport check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(name, f, Options.DEFAULT, inputs);
    }

    /**
     * Checks {@code f} at {@code inputs}. {@code f} must be deterministic and must build its
     * result from the tensors it is given (the checker passes fresh copies each call).
     */
    public static GradCheckReport check(String name, Function<Tensor[], Tensor> f, Options options, Tensor... inputs) {
        List<String> failures = new ArrayList<>();
        Tensor probe = f.apply(freshCopies(inputs));
        int outputs = probe.numel();
        int[] outShape = probe.shape();

        double worstExcess = Double.NEGATIVE_INFINITY;
        double maxAbsError = 0;
        String worst = "";
        for (int in = 0; in < inputs.length; in++) {
            if (!inputs[in].requiresGrad()) {
                continue;
            }
            double[][] numerical = numericalJacobian(f, inputs, in, outputs, options.step());
            double[][] analytic = analyticJacobian(f, inputs, in, outputs, outShape, failures);
            if (analytic == null) {
                continue;
            }
            for (int i = 0; i < outputs; i++) {
                for (int j = 0; j < inputs[in].numel(); j++) {
                    double a = analytic[i][j];
                    double n = numerical[i][j];
                    double err = Math.abs(a - n);
                    double allowed = options.atol() + options.rtol() * Math.abs(n);
                    maxAbsError = Math.max(maxAbsError, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                    double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err - allowed;
                    if (excess > worstExcess) {
                        worstExcess = excess;
                        worst = "input " + in + " element " + j + ", output element " + i
                                + ": analytic " + a + " vs numerical " + n;
                    }
                    if (!(err <= allowed)) {
                        failures.add("Jacobian mismatch at input " + in + " element " + j + ", output element " + i
                                + ": analytic " + a + " vs numerical " + n + " (|diff| " + err + " > allowed " + allowed + ")");
                    }
                }
            }
        }
        checkDeterministic(f, inputs, outShape, options.seed(), failures);
        checkZeroUpstream(f, inputs, outShape, failures);
        return new GradCheckReport(name, failures.isEmpty(), maxAbsError, worst, List.copyOf(failures));
    }

    /** Leaf copies of the inputs with the same requiresGrad flags, so no state leaks between runs. */
    private static Tensor[] freshCopies(Tensor[] inputs) {
        Tensor[] copies = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            copies[i] = inputs[i].copy().requiresGrad(inputs[i].requiresGrad());
        }
        return copies;
    }

    private static double[][] numericalJacobian(Function<Tensor[], Tensor> f, Tensor[] inputs, int which,
                                                int outputs, double step) {
        int n = inputs[which].numel();
        double[][] jac = new double[outputs][n];
        try (Grad.Scope off = Grad.off()) {
            for (int j = 0; j < n; j++) {
                Tensor[] plus = freshCopies(inputs);
                Tensor[] minus = freshCopies(inputs);
                float x = inputs[which].data()[j];
                float xPlus = (float) (x + step);
                float xMinus = (float) (x - step);
                plus[which].data()[j] = xPlus;
                minus[which].data()[j] = xMinus;
                float[] yPlus = f.apply(plus).data();
                float[] yMinus = f.apply(minus).data();
                double h = (double) xPlus - (double) xMinus;
                for (int i = 0; i < outputs; i++) {
                    jac[i][j] = ((double) yPlus[i] - (double) yMinus[i]) / h;
                }
            }
        }
        return jac;
    }

    private static double[][] analyticJacobian(Function<Tensor[], Tensor> f, Tensor[] inputs, int which,
                                               int outputs, int[] outShape, List<String> failures) {
        int n = inputs[which].numel();
        double[][] jac = new double[outputs][n];
        for (int i = 0; i < outputs; i++) {
            Tensor[] copies = freshCopies(inputs);
            Tensor y = f.apply(copies);
            float[] seed = new float[outputs];
            seed[i] = 1f;
            y.backward(Tensor.wrap(seed, outShape));
            Tensor g = copies[which].grad();
            if (g == null) {
                failures.add("input " + which + " requires a gradient but backward left none");
                return null;
            }
            if (!Arrays.equals(g.shape(), inputs[which].shape())) {
                failures.add("input " + which + ": gradient shape " + Shape.toString(g.shape())
                        + " differs from the input shape " + Shape.toString(inputs[which].shape()));
                return null;
            }
            float[] gd = g.data();
            for (int j = 0; j < n; j++) {
                jac[i][j] = gd[j];
            }
        }
        return jac;
    }

    /** Two backward passes with the same random upstream gradient must agree bit for bit. */
    private static void checkDeterministic(Function<Tensor[], Tensor> f, Tensor[] inputs, int[] outShape,
                                           long seed, List<String> failures) {
        Tensor upstream = Tensor.randn(new SeededRandom(seed), outShape);
        float[][] first = gradients(f, inputs, upstream);
        float[][] second = gradients(f, inputs, upstream);
        for (int in = 0; in < inputs.length; in++) {
            if (!Arrays.equals(first[in], second[in])) {
                failures.add("input " + in + ": two backward passes with the same upstream gradient differ");
            }
        }
    }

    /** A zero upstream gradient must give exactly zero gradients. */
    private static void checkZeroUpstream(Function<Tensor[], Tensor> f, Tensor[] inputs, int[] outShape,
                                          List<String> failures) {
        float[][] grads = gradients(f, inputs, Tensor.zeros(outShape));
        for (int in = 0; in < inputs.length; in++) {
            if (grads[in] == null) {
                continue;
            }
            for (int j = 0; j < grads[in].length; j++) {
                if (grads[in][j] != 0f) {
                    failures.add("input " + in + " element " + j + ": gradient " + grads[in][j]
                            + " from a zero upstream gradient (expected 0)");
                    break;
                }
            }
        }
    }

    private static float[][] gradients(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor upstream) {
        Tensor[] copies = freshCopies(inputs);
        Tensor y = f.apply(copies);
        y.backward(upstream);
        float[][] grads = new float[inputs.length][];
        for (int in = 0; in < inputs.length; in++) {
            Tensor g = copies[in].grad();
            grads[in] = inputs[in].requiresGrad() && g != null ? g.data().clone() : null;
        }
        return grads;
    }
}
