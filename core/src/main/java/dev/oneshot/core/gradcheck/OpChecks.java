package dev.oneshot.core.gradcheck;

import dev.oneshot.core.gradcheck.SabotagedMatMul.Bug;
import dev.oneshot.core.ops.BatchNorm;
import dev.oneshot.core.ops.Conv2d;
import dev.oneshot.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.oneshot.core.gradcheck.CheckInput.away;
import static dev.oneshot.core.gradcheck.CheckInput.distinct;
import static dev.oneshot.core.gradcheck.CheckInput.positive;

/**
 * The gradient-check table of core's ops: one {@link OpCheck} per op and per interesting shape
 * (broadcasting, transposed operands, strides and padding, shared inputs, clamped rows), each
 * checked over its full Jacobian. The one source of truth for both {@code GradCheckTableTest}
 * and {@code oneshot gradcheck}; a test fails when an op recorded anywhere in core's main code
 * ({@code Node.record}) appears in no row's graph.
 *
 * <p>Inputs stay clear of kinks ({@link KinkFreeInputs}). Tolerances are per row; today every
 * row uses {@link GradCheck.Options#DEFAULT}, and a row that needs looser ones must say why.
 */
public final class OpChecks {
    private OpChecks() {
    }

    private static OpCheck row(String name, Function<Tensor[], Tensor> op, CheckInput... inputs) {
        return new OpCheck(name, op, List.of(inputs), GradCheck.Options.DEFAULT);
    }

    /** Every row, in a stable order: unary, binary, reductions, shape, matmul, conv/pool, fused, controls' partner. */
    public static List<OpCheck> all() {
        List<OpCheck> r = new ArrayList<>();
        // ---- unary
        r.add(row("neg", x -> x[0].neg(), away(1, 2, 3)));
        r.add(row("exp", x -> x[0].exp(), away(2, 2, 3)));
        r.add(row("log", x -> x[0].log(), positive(3, 2, 3)));
        r.add(row("sqrt", x -> x[0].sqrt(), positive(4, 2, 3)));
        r.add(row("abs", x -> x[0].abs(), away(5, 2, 3)));
        r.add(row("square", x -> x[0].square(), away(6, 2, 3)));
        r.add(row("relu", x -> x[0].relu(), away(7, 3, 4)));
        r.add(row("sigmoid", x -> x[0].sigmoid(), away(8, 2, 3)));
        r.add(row("tanh", x -> x[0].tanh(), away(9, 2, 3)));
        r.add(row("softplus", x -> x[0].softplus(), away(10, 2, 3)));
        r.add(row("pow 3", x -> x[0].pow(3f), away(11, 2, 3)));
        r.add(row("pow -1.5", x -> x[0].pow(-1.5f), positive(12, 2, 3)));
        r.add(row("clamp", x -> x[0].clamp(-0.42f, 0.42f), distinct(13, 0.05f, 3, 4)));
        // ---- binary, same shape and broadcast
        r.add(row("add", x -> x[0].add(x[1]), away(20, 2, 3), away(21, 2, 3)));
        r.add(row("sub", x -> x[0].sub(x[1]), away(22, 2, 3), away(23, 2, 3)));
        r.add(row("mul", x -> x[0].mul(x[1]), away(24, 2, 3), away(25, 2, 3)));
        r.add(row("div", x -> x[0].div(x[1]), away(26, 2, 3), positive(27, 2, 3)));
        r.add(row("maximum", x -> x[0].maximum(x[1]), distinct(28, 0f, 2, 3), distinct(29, 0.05f, 2, 3)));
        r.add(row("minimum", x -> x[0].minimum(x[1]), distinct(30, 0f, 2, 3), distinct(31, 0.05f, 2, 3)));
        r.add(row("add [2,3]+[3]", x -> x[0].add(x[1]), away(32, 2, 3), away(33, 3)));
        r.add(row("mul [2,1,4]*[3,1]", x -> x[0].mul(x[1]), away(34, 2, 1, 4), away(35, 3, 1)));
        r.add(row("div [4]/[2,3,4]", x -> x[0].div(x[1]), away(36, 4), positive(37, 2, 3, 4)));
        r.add(row("sub [2,3]-[2,1]", x -> x[0].sub(x[1]), away(38, 2, 3), away(39, 2, 1)));
        r.add(row("maximum [3,1]v[4]", x -> x[0].maximum(x[1]),
                distinct(40, 0f, 3, 1), distinct(41, 0.05f, 4)));
        r.add(row("mul scalar", x -> x[0].mul(2.5f).add(1f).div(4f).sub(0.5f), away(42, 2, 3)));
        r.add(row("x*x (shared input)", x -> x[0].mul(x[0]), away(43, 2, 3)));
        // ---- reductions
        r.add(row("sum", x -> x[0].sum(), away(50, 2, 3, 2)));
        r.add(row("sum axis 1 keepdim", x -> x[0].sum(1, true), away(51, 2, 3, 2)));
        r.add(row("sum axis -1", x -> x[0].sum(-1, false), away(52, 2, 3, 2)));
        r.add(row("mean", x -> x[0].mean(), away(53, 3, 4)));
        r.add(row("mean axis 0", x -> x[0].mean(0, false), away(54, 3, 4)));
        r.add(row("max axis 1", x -> x[0].max(1, false).values(), distinct(55, 0f, 3, 4)));
        r.add(row("min axis 0 keepdim", x -> x[0].min(0, true).values(), distinct(56, 0f, 3, 2, 2)));
        // ---- shape
        r.add(row("reshape", x -> x[0].reshape(3, -1).mul(x[0].reshape(3, 2)), away(60, 2, 3)));
        r.add(row("permute", x -> x[0].permute(2, 0, 1), away(61, 2, 3, 4)));
        r.add(row("transpose", x -> x[0].transpose(0, 1), away(62, 3, 4)));
        r.add(row("sliceRows", x -> x[0].sliceRows(1, 3), away(63, 4, 3)));
        r.add(row("indexSelect (repeats)", x -> x[0].indexSelect(new int[] {2, 0, 2, 3}), away(64, 4, 3)));
        r.add(row("concat axis 1", x -> Tensor.concat(1, x[0], x[1]), away(65, 2, 3), away(66, 2, 2)));
        r.add(row("concat axis 0", x -> Tensor.concat(0, x[0], x[1], x[0]), away(67, 1, 3), away(68, 2, 3)));
        r.add(row("stack axis 1", x -> Tensor.stack(1, x[0], x[1]), away(69, 2, 3), away(70, 2, 3)));
        // ---- matmul
        r.add(row("matmul", x -> x[0].matmul(x[1]), away(80, 3, 4), away(81, 4, 5)));
        r.add(row("matmul Aᵀ·B", x -> x[0].matmul(x[1], true, false), away(82, 4, 3), away(83, 4, 5)));
        r.add(row("matmul A·Bᵀ", x -> x[0].matmul(x[1], false, true), away(84, 3, 4), away(85, 5, 4)));
        r.add(row("matmul Aᵀ·Bᵀ", x -> x[0].matmul(x[1], true, true), away(86, 4, 3), away(87, 5, 4)));
        r.add(row("matmul batched", x -> x[0].matmul(x[1]), away(88, 2, 3, 4), away(89, 2, 4, 2)));
        r.add(row("matmul batched Aᵀ·Bᵀ", x -> x[0].matmul(x[1], true, true),
                away(90, 2, 4, 3), away(91, 2, 2, 4)));
        // ---- convolution and pooling (NCHW)
        r.add(row("conv2d", x -> x[0].conv2d(x[1], x[2], 1, 0),
                away(92, 1, 2, 4, 4), away(93, 3, 2, 3, 3), away(94, 3)));
        r.add(row("conv2d stride 2 pad 1", x -> x[0].conv2d(x[1], x[2], 2, 1),
                away(95, 2, 2, 5, 4), away(96, 2, 2, 3, 2), away(97, 2)));
        r.add(row("conv2d no bias", x -> x[0].conv2d(x[1], null, 1, 1),
                away(98, 1, 1, 3, 3), away(99, 2, 1, 2, 2)));
        // 3×3, stride 1, padding 1, several channels: Winograd F(2×2, 3×3) when recorded; odd width
        r.add(row("conv2d 3x3 pad 1 (Winograd)", x -> x[0].conv2d(x[1], x[2], 1, 1),
                away(146, 2, 3, 4, 5), away(147, 2, 3, 3, 3), away(148, 2)));
        // images no larger than the kernel (3×3 and 3×2): one product with the unrolled weights when recorded
        r.add(row("conv2d 3x3 images (unrolled)", x -> x[0].conv2d(x[1], x[2], 1, 1),
                away(156, 2, 3, 3, 3), away(157, 2, 3, 3, 3), away(158, 2)));
        r.add(row("conv2d 3x2 images, no bias (unrolled)", x -> x[0].conv2d(x[1], null, 1, 1),
                away(159, 2, 2, 3, 2), away(160, 3, 2, 3, 3)));
        r.add(row("maxPool2d k2 s2", x -> x[0].maxPool2d(2, 2), distinct(110, 0f, 2, 2, 4, 4)));
        r.add(row("maxPool2d k3 s1 (overlap)", x -> x[0].maxPool2d(3, 1), distinct(111, 0f, 1, 1, 4, 5)));
        // offset −0.85: no value at relu's kink; windows with a positive maximum and windows without
        r.add(row("reluMaxPool2d k2 s2", x -> x[0].reluMaxPool2d(2, 2), distinct(121, -0.85f, 2, 2, 4, 4)));
        r.add(row("reluMaxPool2d k3 s1 (overlap)", x -> x[0].reluMaxPool2d(3, 1),
                distinct(122, -0.85f, 1, 1, 4, 5)));
        // conv, ReLU and 2×2 pooling in one op: two images (the blocked, fused path) and one
        r.add(row("conv2dReluMaxPool2d", x -> x[0].conv2dReluMaxPool2d(x[1], x[2], 1, 1),
                away(125, 2, 2, 4, 5), away(126, 3, 2, 3, 3), away(127, 3)));
        r.add(row("conv2dReluMaxPool2d one image, no bias", x -> x[0].conv2dReluMaxPool2d(x[1], null, 1, 0),
                away(128, 1, 2, 5, 6), away(129, 2, 2, 2, 2)));
        // ---- batch normalisation (fused)
        r.add(row("batchNorm train [N,C,H,W]", x -> BatchNorm.train(x[0], x[1], x[2], 1e-5f, null, null),
                away(112, 3, 2, 2, 3), away(113, 2), away(114, 2)));
        // four images with planes of 20 values: the four-planes-at-a-time sums, with a vector step (VectorBatchNorm) and a tail
        r.add(row("batchNorm train [N,C,4,5]", x -> BatchNorm.train(x[0], x[1], x[2], 1e-5f, null, null),
                away(125, 4, 2, 4, 5), away(126, 2), away(127, 2)));
        r.add(row("batchNorm train [N,C]", x -> BatchNorm.train(x[0], x[1], x[2], 1e-3f, null, null),
                away(115, 5, 3), away(116, 3), away(117, 3)));
        // batch norm → ReLU → 2×2 pooling in training as one op; distinct values: no ties within the step
        r.add(row("batchNormReluMaxPool2d (train)", x -> BatchNorm.trainReluMaxPool2x2(x[0], x[1], x[2], 1e-5f,
                null, null), distinct(87, 0.05f, 3, 2, 4, 5), away(149, 2), away(150, 2)));
        r.add(row("conv2dTrainBatchNormReluMaxPool2d", x -> Conv2d.trainBatchNormReluMaxPool2x2(x[0], x[1], x[2], 1, 1,
                x[3], x[4], 1e-5f, null, null), away(151, 3, 1, 5, 6), away(152, 2, 1, 3, 3), away(153, 2),
                away(154, 2), away(155, 2)));
        r.add(row("batchNorm eval", x -> BatchNorm.eval(x[0], x[1], x[2], 1e-5f, new float[] {0.3f, -0.2f},
                new float[] {0.5f, 2f}), away(118, 2, 2, 2, 2), away(119, 2), away(120, 2)));
        // ---- fused Siamese ops
        r.add(row("pairwiseSquaredDistance", x -> x[0].pairwiseSquaredDistance(x[1]),
                away(100, 3, 4), away(101, 5, 4)));
        r.add(row("pairwiseSquaredDistance (self)", x -> x[0].pairwiseSquaredDistance(x[0]),
                away(102, 4, 3)));
        r.add(row("l2NormalizeRows", x -> x[0].l2NormalizeRows(1e-6f), away(103, 3, 4)));
        r.add(row("l2NormalizeRows (clamped row)", x -> x[0].l2NormalizeRows(5f), away(104, 2, 3)));
        // ---- the negative controls' op with its correct backward (SabotagedMatMul, Bug.NONE): the controls
        //      are "caught" only if this one passes
        r.add(row("hand-written matmul (correct backward)",
                x -> SabotagedMatMul.apply(Bug.NONE, x[0], x[1], 0), away(7, 4, 4), away(8, 4, 4)));
        return List.copyOf(r);
    }
}
