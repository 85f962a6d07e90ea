package dev.oneshot.core.oracle;

import dev.oneshot.core.ops.Extremum;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.oneshot.core.oracle.OracleAssert.assertMatches;
import static dev.oneshot.core.oracle.OracleAssert.ints;
import static dev.oneshot.core.oracle.OracleAssert.param;
import static dev.oneshot.core.oracle.OracleAssert.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Core ops against PyTorch: forward values and gradients of L = Σ R·f(inputs) compared with
 * the literals in {@link CoreOracleValues}, generated offline by tools/oracle/core_oracle.py
 * (see that script for the inputs and the torch version). Tolerance: {@link OracleAssert#TOL_F32}.
 *
 * <p>For a case FOO the literals are FOO_X (or FOO_A, FOO_B) inputs, FOO_OUT the forward value,
 * FOO_R the backward seed and FOO_GX (FOO_GA, FOO_GB) the gradients.
 */
class CoreOracleTest {

    // ------------------------------------------------------------------ one-input ops

    static Stream<Arguments> unaryCases() {
        return Stream.of(
                unary("EXP", Tensor::exp),
                unary("LOG", Tensor::log),
                unary("SQRT", Tensor::sqrt),
                unary("SIGMOID", Tensor::sigmoid),
                unary("TANH", Tensor::tanh),
                unary("SOFTPLUS", Tensor::softplus),
                unary("ABS", Tensor::abs),
                unary("RELU", Tensor::relu),
                unary("SQUARE", Tensor::square),
                unary("NEG", Tensor::neg),
                unary("POW_2_5", x -> x.pow(2.5f)),
                unary("POW_3", x -> x.pow(3f)),
                unary("POW_NEG_0_5", x -> x.pow(-0.5f)),
                unary("CLAMP", x -> x.clamp(-1f, 1.5f)),
                unary("SUM_ALL", Tensor::sum),
                unary("SUM_AXIS1", x -> x.sum(1, false)),
                unary("SUM_AXIS2_KEEP", x -> x.sum(2, true)),
                unary("MEAN_ALL", Tensor::mean),
                unary("MEAN_AXIS0", x -> x.mean(0, false)),
                unary("PERMUTE", x -> x.permute(2, 0, 1)),
                unary("TRANSPOSE", x -> x.transpose(0, 2)),
                unary("L2NORM", x -> x.l2NormalizeRows(1e-3f)));
    }

    private static Arguments unary(String name, UnaryOperator<Tensor> op) {
        return Arguments.of(name, op);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryCases")
    void unaryForwardAndGradientMatchTorch(String name, UnaryOperator<Tensor> op) {
        Tensor x = param(name + "_X");
        Tensor y = op.apply(x);
        assertMatches(name + "_OUT", y);
        y.backward(tensor(name + "_R"));
        assertMatches(name + "_GX", x.grad());
    }

    // ------------------------------------------------------------------ two-input ops

    static Stream<Arguments> binaryCases() {
        return Stream.of(
                binary("ADD", Tensor::add),
                binary("SUB", Tensor::sub),
                binary("MUL", Tensor::mul),
                binary("DIV", Tensor::div),
                binary("MAXIMUM", Tensor::maximum),
                binary("MINIMUM", Tensor::minimum),
                binary("MATMUL_NN", (a, b) -> a.matmul(b, false, false)),
                binary("MATMUL_TN", (a, b) -> a.matmul(b, true, false)),
                binary("MATMUL_NT", (a, b) -> a.matmul(b, false, true)),
                binary("MATMUL_TT", (a, b) -> a.matmul(b, true, true)),
                binary("BMM_NN", Tensor::matmul),
                binary("BMM_TT", (a, b) -> a.matmul(b, true, true)),
                binary("PDIST", Tensor::pairwiseSquaredDistance));
    }

    private static Arguments binary(String name, BinaryOperator<Tensor> op) {
        return Arguments.of(name, op);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryCases")
    void binaryForwardAndGradientsMatchTorch(String name, BinaryOperator<Tensor> op) {
        Tensor a = param(name + "_A");
        Tensor b = param(name + "_B");
        Tensor y = op.apply(a, b);
        assertMatches(name + "_OUT", y);
        y.backward(tensor(name + "_R"));
        assertMatches(name + "_GA", a.grad());
        assertMatches(name + "_GB", b.grad());
    }

    /** Only the left operand needs a gradient: the right one must not receive any. */
    @Test
    void binaryGradientOnlyWhereRequested() {
        Tensor a = param("MUL_A");
        Tensor b = tensor("MUL_B");
        a.mul(b).backward(tensor("MUL_R"));
        assertMatches("MUL_GA", a.grad());
        assertNull(b.grad());
    }

    // ------------------------------------------------------------------ extremum (values, indices, gradient)

    @Test
    void maxAlongAxis1() {
        checkExtremum("MAX_AXIS1", x -> x.max(1, false));
    }

    @Test
    void maxAlongLastAxisKeepDim() {
        checkExtremum("MAX_AXISM1_KEEP", x -> x.max(-1, true));
    }

    @Test
    void minAlongAxis0() {
        checkExtremum("MIN_AXIS0", x -> x.min(0, false));
    }

    private static void checkExtremum(String name, java.util.function.Function<Tensor, Extremum.Result> op) {
        Tensor x = param(name + "_X");
        Extremum.Result result = op.apply(x);
        assertMatches(name + "_OUT", result.values());
        assertArrayEquals(ints(name + "_IDX"), result.indices(), name + "_IDX: arg-indices differ from torch");
        result.values().backward(tensor(name + "_R"));
        assertMatches(name + "_GX", x.grad());
    }

    // ------------------------------------------------------------------ compositions

    /** Distances within one batch: the same tensor on both sides accumulates both gradient terms. */
    @Test
    void pairwiseDistanceOfATensorWithItself() {
        Tensor x = param("PDIST_SELF_X");
        Tensor d = x.pairwiseSquaredDistance(x);
        assertMatches("PDIST_SELF_OUT", d);
        d.backward(tensor("PDIST_SELF_R"));
        assertMatches("PDIST_SELF_GX", x.grad());
    }

    /** The same softplus gradient through the scalar path: L = sum(R * softplus(x)), backward(). */
    @Test
    void scalarLossBackwardMatchesSeededBackward() {
        Tensor x = param("SOFTPLUS_X");
        Tensor loss = x.softplus().mul(tensor("SOFTPLUS_R")).sum();
        loss.backward();
        assertMatches("SOFTPLUS_GX", x.grad());
    }

    /** L = mean(softplus(1 − pdist(e, e))), e = l2NormalizeRows(X·W): a small siamese-style loss. */
    @Test
    void siameseStylePipeline() {
        Tensor x = param("PIPE_X");
        Tensor w = param("PIPE_W");
        Tensor e = x.matmul(w).l2NormalizeRows(1e-6f);
        Tensor loss = e.pairwiseSquaredDistance(e).neg().add(1f).softplus().mean();
        assertMatches("PIPE_OUT", loss);
        loss.backward();
        assertMatches("PIPE_GX", x.grad());
        assertMatches("PIPE_GW", w.grad());
    }

    @Test
    void valuesWereGeneratedByTorch() {
        assertEquals(true, CoreOracleValues.TORCH_VERSION.startsWith("1.13"),
                "regenerated with a different torch: " + CoreOracleValues.TORCH_VERSION + "; update this check");
    }
}
