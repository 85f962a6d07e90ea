package dev.oneshot.core.gradcheck;

import dev.oneshot.core.autograd.Node;
import dev.oneshot.core.ops.BinaryOp;
import dev.oneshot.core.ops.UnaryOp;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.away;
import static dev.oneshot.core.gradcheck.KinkFreeInputs.distinct;
import static dev.oneshot.core.gradcheck.KinkFreeInputs.positive;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient-check table: one row per op (and per interesting shape), each checked over its
 * full Jacobian by {@link GradCheck}. {@link #everyCoreOpHasARow()} fails when an op is added
 * to core without a row here.
 */
class GradCheckTableTest {

    /** One row: a name, the function under test, and a supplier of fresh seeded inputs. */
    record Case(String name, Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case row(String name, Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {
        return new Case(name, f, inputs);
    }

    private static Tensor[] of(Tensor... t) {
        return t;
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- unary
        c.add(row("neg", x -> x[0].neg(), () -> of(away(1, 2, 3))));
        c.add(row("exp", x -> x[0].exp(), () -> of(away(2, 2, 3))));
        c.add(row("log", x -> x[0].log(), () -> of(positive(3, 2, 3))));
        c.add(row("sqrt", x -> x[0].sqrt(), () -> of(positive(4, 2, 3))));
        c.add(row("abs", x -> x[0].abs(), () -> of(away(5, 2, 3))));
        c.add(row("square", x -> x[0].square(), () -> of(away(6, 2, 3))));
        c.add(row("relu", x -> x[0].relu(), () -> of(away(7, 3, 4))));
        c.add(row("sigmoid", x -> x[0].sigmoid(), () -> of(away(8, 2, 3))));
        c.add(row("tanh", x -> x[0].tanh(), () -> of(away(9, 2, 3))));
        c.add(row("softplus", x -> x[0].softplus(), () -> of(away(10, 2, 3))));
        c.add(row("pow 3", x -> x[0].pow(3f), () -> of(away(11, 2, 3))));
        c.add(row("pow -1.5", x -> x[0].pow(-1.5f), () -> of(positive(12, 2, 3))));
        c.add(row("clamp", x -> x[0].clamp(-0.42f, 0.42f), () -> of(distinct(13, 0.05f, 3, 4))));
        // ---- binary, same shape and broadcast
        c.add(row("add", x -> x[0].add(x[1]), () -> of(away(20, 2, 3), away(21, 2, 3))));
        c.add(row("sub", x -> x[0].sub(x[1]), () -> of(away(22, 2, 3), away(23, 2, 3))));
        c.add(row("mul", x -> x[0].mul(x[1]), () -> of(away(24, 2, 3), away(25, 2, 3))));
        c.add(row("div", x -> x[0].div(x[1]), () -> of(away(26, 2, 3), positive(27, 2, 3))));
        c.add(row("maximum", x -> x[0].maximum(x[1]), () -> of(distinct(28, 0f, 2, 3), distinct(29, 0.05f, 2, 3))));
        c.add(row("minimum", x -> x[0].minimum(x[1]), () -> of(distinct(30, 0f, 2, 3), distinct(31, 0.05f, 2, 3))));
        c.add(row("add [2,3]+[3]", x -> x[0].add(x[1]), () -> of(away(32, 2, 3), away(33, 3))));
        c.add(row("mul [2,1,4]*[3,1]", x -> x[0].mul(x[1]), () -> of(away(34, 2, 1, 4), away(35, 3, 1))));
        c.add(row("div [4]/[2,3,4]", x -> x[0].div(x[1]), () -> of(away(36, 4), positive(37, 2, 3, 4))));
        c.add(row("sub [2,3]-[2,1]", x -> x[0].sub(x[1]), () -> of(away(38, 2, 3), away(39, 2, 1))));
        c.add(row("maximum [3,1]v[4]", x -> x[0].maximum(x[1]),
                () -> of(distinct(40, 0f, 3, 1), distinct(41, 0.05f, 4))));
        c.add(row("mul scalar", x -> x[0].mul(2.5f).add(1f).div(4f).sub(0.5f), () -> of(away(42, 2, 3))));
        c.add(row("x*x (shared input)", x -> x[0].mul(x[0]), () -> of(away(43, 2, 3))));
        // ---- reductions
        c.add(row("sum", x -> x[0].sum(), () -> of(away(50, 2, 3, 2))));
        c.add(row("sum axis 1 keepdim", x -> x[0].sum(1, true), () -> of(away(51, 2, 3, 2))));
        c.add(row("sum axis -1", x -> x[0].sum(-1, false), () -> of(away(52, 2, 3, 2))));
        c.add(row("mean", x -> x[0].mean(), () -> of(away(53, 3, 4))));
        c.add(row("mean axis 0", x -> x[0].mean(0, false), () -> of(away(54, 3, 4))));
        c.add(row("max axis 1", x -> x[0].max(1, false).values(), () -> of(distinct(55, 0f, 3, 4))));
        c.add(row("min axis 0 keepdim", x -> x[0].min(0, true).values(), () -> of(distinct(56, 0f, 3, 2, 2))));
        // ---- shape
        c.add(row("reshape", x -> x[0].reshape(3, -1).mul(x[0].reshape(3, 2)), () -> of(away(60, 2, 3))));
        c.add(row("permute", x -> x[0].permute(2, 0, 1), () -> of(away(61, 2, 3, 4))));
        c.add(row("transpose", x -> x[0].transpose(0, 1), () -> of(away(62, 3, 4))));
        c.add(row("sliceRows", x -> x[0].sliceRows(1, 3), () -> of(away(63, 4, 3))));
        c.add(row("indexSelect (repeats)", x -> x[0].indexSelect(new int[] {2, 0, 2, 3}), () -> of(away(64, 4, 3))));
        c.add(row("concat axis 1", x -> Tensor.concat(1, x[0], x[1]), () -> of(away(65, 2, 3), away(66, 2, 2))));
        c.add(row("concat axis 0", x -> Tensor.concat(0, x[0], x[1], x[0]), () -> of(away(67, 1, 3), away(68, 2, 3))));
        c.add(row("stack axis 1", x -> Tensor.stack(1, x[0], x[1]), () -> of(away(69, 2, 3), away(70, 2, 3))));
        // ---- matmul
        c.add(row("matmul", x -> x[0].matmul(x[1]), () -> of(away(80, 3, 4), away(81, 4, 5))));
        c.add(row("matmul Aᵀ·B", x -> x[0].matmul(x[1], true, false), () -> of(away(82, 4, 3), away(83, 4, 5))));
        c.add(row("matmul A·Bᵀ", x -> x[0].matmul(x[1], false, true), () -> of(away(84, 3, 4), away(85, 5, 4))));
        c.add(row("matmul Aᵀ·Bᵀ", x -> x[0].matmul(x[1], true, true), () -> of(away(86, 4, 3), away(87, 5, 4))));
        c.add(row("matmul batched", x -> x[0].matmul(x[1]), () -> of(away(88, 2, 3, 4), away(89, 2, 4, 2))));
        c.add(row("matmul batched Aᵀ·Bᵀ", x -> x[0].matmul(x[1], true, true),
                () -> of(away(90, 2, 4, 3), away(91, 2, 2, 4))));
        // ---- convolution and pooling (NCHW)
        c.add(row("conv2d", x -> x[0].conv2d(x[1], x[2], 1, 0),
                () -> of(away(92, 1, 2, 4, 4), away(93, 3, 2, 3, 3), away(94, 3))));
        c.add(row("conv2d stride 2 pad 1", x -> x[0].conv2d(x[1], x[2], 2, 1),
                () -> of(away(95, 2, 2, 5, 4), away(96, 2, 2, 3, 2), away(97, 2))));
        c.add(row("conv2d no bias", x -> x[0].conv2d(x[1], null, 1, 1),
                () -> of(away(98, 1, 1, 3, 3), away(99, 2, 1, 2, 2))));
        c.add(row("maxPool2d k2 s2", x -> x[0].maxPool2d(2, 2), () -> of(distinct(110, 0f, 2, 2, 4, 4))));
        c.add(row("maxPool2d k3 s1 (overlap)", x -> x[0].maxPool2d(3, 1), () -> of(distinct(111, 0f, 1, 1, 4, 5))));
        // ---- fused Siamese ops
        c.add(row("pairwiseSquaredDistance", x -> x[0].pairwiseSquaredDistance(x[1]),
                () -> of(away(100, 3, 4), away(101, 5, 4))));
        c.add(row("pairwiseSquaredDistance (self)", x -> x[0].pairwiseSquaredDistance(x[0]),
                () -> of(away(102, 4, 3))));
        c.add(row("l2NormalizeRows", x -> x[0].l2NormalizeRows(1e-6f), () -> of(away(103, 3, 4))));
        c.add(row("l2NormalizeRows (clamped row)", x -> x[0].l2NormalizeRows(5f), () -> of(away(104, 2, 3))));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void analyticGradientMatchesFiniteDifferences(Case c) {
        GradCheck.check(c.name(), c.f(), c.inputs().get()).assertPassed();
    }

    /** Every op that core defines appears in at least one row's graph. */
    @Test
    void everyCoreOpHasARow() {
        Set<String> covered = new TreeSet<>();
        for (Case c : cases()) {
            collectOps(c.f().apply(c.inputs().get()), covered);
        }
        Set<String> expected = new TreeSet<>(List.of("sum", "max", "min", "reshape", "permute", "sliceRows",
                "indexSelect", "concat", "matmul", "conv2d", "maxPool2d", "pow", "clamp", "pairwiseSquaredDistance", "l2NormalizeRows"));
        for (UnaryOp op : UnaryOp.values()) {
            expected.add(op.opName());
        }
        for (BinaryOp op : BinaryOp.values()) {
            expected.add(op.opName());
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "ops without a gradient-check row: " + missing);
    }

    private static void collectOps(Tensor root, Set<String> names) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            Node node = t.gradFn();
            if (node == null || !seen.add(t)) {
                continue;
            }
            names.add(node.op());
            for (Tensor in : node.inputs()) {
                if (in != null) {
                    todo.push(in);
                }
            }
        }
    }
}
