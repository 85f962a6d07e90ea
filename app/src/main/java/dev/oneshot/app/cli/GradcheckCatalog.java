package dev.oneshot.app.cli;

import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.GradCheckReport;
import dev.oneshot.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.away;
import static dev.oneshot.core.gradcheck.KinkFreeInputs.distinct;
import static dev.oneshot.core.gradcheck.KinkFreeInputs.positive;

/**
 * The named gradient checks that {@code oneshot gradcheck} runs: every core op
 * ({@link #ops()}), every nn layer and loss and every Siamese loss ({@link CatalogLayersAndLosses}),
 * and negative controls ({@link NegativeControls}) — deliberately wrong backwards that the
 * checker must reject. Inputs stay clear of kinks, as in the test tables.
 */
public final class GradcheckCatalog {
    /** What a check covers. */
    public enum Kind {
        OP, LAYER, LOSS, NEGATIVE_CONTROL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** A named check; {@link #run()} gives the checker's report, fresh inputs each time. */
    public record Check(String name, Kind kind, Supplier<GradCheckReport> run) {
        /** For a negative control, ok means the checker caught the bug; otherwise, that it passed. */
        public boolean ok(GradCheckReport r) {
            return kind == Kind.NEGATIVE_CONTROL ? !r.passed() : r.passed();
        }
    }

    private GradcheckCatalog() {
    }

    /** The inputs of one check. */
    static Tensor[] of(Tensor... inputs) {
        return inputs;
    }

    /** Every check, ops first, negative controls last. */
    public static List<Check> all() {
        List<Check> all = new ArrayList<>(ops());
        all.addAll(CatalogLayersAndLosses.layers());
        all.addAll(CatalogLayersAndLosses.losses());
        all.addAll(NegativeControls.all());
        return all;
    }

    static Check check(String name, Kind kind, Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {
        return new Check(name, kind, () -> GradCheck.check(name, f, inputs.get()));
    }

    private static Check op(String name, Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {
        return check(name, Kind.OP, f, inputs);
    }

    /** One row per core op (the shapes of {@code GradCheckTableTest}, broadcasting included). */
    public static List<Check> ops() {
        List<Check> c = new ArrayList<>();
        c.add(op("neg", x -> x[0].neg(), () -> of(away(1, 2, 3))));
        c.add(op("exp", x -> x[0].exp(), () -> of(away(2, 2, 3))));
        c.add(op("log", x -> x[0].log(), () -> of(positive(3, 2, 3))));
        c.add(op("sqrt", x -> x[0].sqrt(), () -> of(positive(4, 2, 3))));
        c.add(op("abs", x -> x[0].abs(), () -> of(away(5, 2, 3))));
        c.add(op("square", x -> x[0].square(), () -> of(away(6, 2, 3))));
        c.add(op("relu", x -> x[0].relu(), () -> of(away(7, 3, 4))));
        c.add(op("sigmoid", x -> x[0].sigmoid(), () -> of(away(8, 2, 3))));
        c.add(op("tanh", x -> x[0].tanh(), () -> of(away(9, 2, 3))));
        c.add(op("softplus", x -> x[0].softplus(), () -> of(away(10, 2, 3))));
        c.add(op("pow 3", x -> x[0].pow(3f), () -> of(away(11, 2, 3))));
        c.add(op("pow -1.5", x -> x[0].pow(-1.5f), () -> of(positive(12, 2, 3))));
        c.add(op("clamp", x -> x[0].clamp(-0.42f, 0.42f), () -> of(distinct(13, 0.05f, 3, 4))));
        c.add(op("add", x -> x[0].add(x[1]), () -> of(away(20, 2, 3), away(21, 2, 3))));
        c.add(op("sub", x -> x[0].sub(x[1]), () -> of(away(22, 2, 3), away(23, 2, 3))));
        c.add(op("mul", x -> x[0].mul(x[1]), () -> of(away(24, 2, 3), away(25, 2, 3))));
        c.add(op("div", x -> x[0].div(x[1]), () -> of(away(26, 2, 3), positive(27, 2, 3))));
        c.add(op("maximum", x -> x[0].maximum(x[1]), () -> of(distinct(28, 0f, 2, 3), distinct(29, 0.05f, 2, 3))));
        c.add(op("minimum", x -> x[0].minimum(x[1]), () -> of(distinct(30, 0f, 2, 3), distinct(31, 0.05f, 2, 3))));
        c.add(op("add [2,3]+[3]", x -> x[0].add(x[1]), () -> of(away(32, 2, 3), away(33, 3))));
        c.add(op("mul [2,1,4]*[3,1]", x -> x[0].mul(x[1]), () -> of(away(34, 2, 1, 4), away(35, 3, 1))));
        c.add(op("div [4]/[2,3,4]", x -> x[0].div(x[1]), () -> of(away(36, 4), positive(37, 2, 3, 4))));
        c.add(op("mul scalar", x -> x[0].mul(2.5f).add(1f).div(4f).sub(0.5f), () -> of(away(42, 2, 3))));
        c.add(op("x*x (shared input)", x -> x[0].mul(x[0]), () -> of(away(43, 2, 3))));
        c.add(op("sum", x -> x[0].sum(), () -> of(away(50, 2, 3, 2))));
        c.add(op("sum axis 1 keepdim", x -> x[0].sum(1, true), () -> of(away(51, 2, 3, 2))));
        c.add(op("mean", x -> x[0].mean(), () -> of(away(53, 3, 4))));
        c.add(op("mean axis 0", x -> x[0].mean(0, false), () -> of(away(54, 3, 4))));
        c.add(op("max axis 1", x -> x[0].max(1, false).values(), () -> of(distinct(55, 0f, 3, 4))));
        c.add(op("min axis 0 keepdim", x -> x[0].min(0, true).values(), () -> of(distinct(56, 0f, 3, 2, 2))));
        c.add(op("reshape", x -> x[0].reshape(3, -1).mul(x[0].reshape(3, 2)), () -> of(away(60, 2, 3))));
        c.add(op("permute", x -> x[0].permute(2, 0, 1), () -> of(away(61, 2, 3, 4))));
        c.add(op("transpose", x -> x[0].transpose(0, 1), () -> of(away(62, 3, 4))));
        c.add(op("sliceRows", x -> x[0].sliceRows(1, 3), () -> of(away(63, 4, 3))));
        c.add(op("indexSelect (repeats)", x -> x[0].indexSelect(new int[] {2, 0, 2, 3}), () -> of(away(64, 4, 3))));
        c.add(op("concat axis 1", x -> Tensor.concat(1, x[0], x[1]), () -> of(away(65, 2, 3), away(66, 2, 2))));
        c.add(op("stack axis 1", x -> Tensor.stack(1, x[0], x[1]), () -> of(away(69, 2, 3), away(70, 2, 3))));
        c.add(op("matmul", x -> x[0].matmul(x[1]), () -> of(away(80, 3, 4), away(81, 4, 5))));
        c.add(op("matmul Aᵀ·Bᵀ", x -> x[0].matmul(x[1], true, true), () -> of(away(86, 4, 3), away(87, 5, 4))));
        c.add(op("matmul batched", x -> x[0].matmul(x[1]), () -> of(away(88, 2, 3, 4), away(89, 2, 4, 2))));
        c.add(op("conv2d", x -> x[0].conv2d(x[1], x[2], 1, 0),
                () -> of(away(92, 1, 2, 4, 4), away(93, 3, 2, 3, 3), away(94, 3))));
        c.add(op("conv2d stride 2 pad 1", x -> x[0].conv2d(x[1], x[2], 2, 1),
                () -> of(away(95, 2, 2, 5, 4), away(96, 2, 2, 3, 2), away(97, 2))));
        c.add(op("maxPool2d k2 s2", x -> x[0].maxPool2d(2, 2), () -> of(distinct(110, 0f, 2, 2, 4, 4))));
        c.add(op("maxPool2d k3 s1 (overlap)", x -> x[0].maxPool2d(3, 1), () -> of(distinct(111, 0f, 1, 1, 4, 5))));
        c.add(op("pairwiseSquaredDistance", x -> x[0].pairwiseSquaredDistance(x[1]),
                () -> of(away(100, 3, 4), away(101, 5, 4))));
        c.add(op("pairwiseSquaredDistance (self)", x -> x[0].pairwiseSquaredDistance(x[0]), () -> of(away(102, 4, 3))));
        c.add(op("l2NormalizeRows", x -> x[0].l2NormalizeRows(1e-6f), () -> of(away(103, 3, 4))));
        c.add(op("l2NormalizeRows (clamped row)", x -> x[0].l2NormalizeRows(5f), () -> of(away(104, 2, 3))));
        return c;
    }
}
