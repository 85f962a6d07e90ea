package dev.oneshot.siamese.export;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.BatchNorm;
import dev.oneshot.nn.layers.BatchNorm1d;
import dev.oneshot.nn.layers.BatchNorm2d;
import dev.oneshot.nn.layers.ConcatBranches;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Dropout;
import dev.oneshot.nn.layers.Flatten;
import dev.oneshot.nn.layers.L2Normalize;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.MaxPool2d;
import dev.oneshot.nn.layers.ReLU;
import dev.oneshot.nn.layers.Sigmoid;
import dev.oneshot.nn.layers.Tanh;
import dev.oneshot.siamese.export.GraphBuilder.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Each layer of the library as ONNX nodes (default domain, opset {@link OnnxExport#OPSET}), in
 * its eval-mode form — what {@code SiameseModel.embed} computes:
 * <pre>
 *   Conv2d        Conv (kernel_shape k×k, strides s, pads p on all four sides, group 1; W, b as is)
 *   Linear        Gemm (transB = 1: y = x·Wᵀ + b) on [N, in]; on a higher rank MatMul by Wᵀ (+ Add b)
 *   ReLU, Sigmoid, Tanh   Relu, Sigmoid, Tanh
 *   MaxPool2d     MaxPool (kernel_shape k×k, strides s, no padding, floor: ceil_mode 0)
 *   BatchNorm1d/2d  BatchNormalization with the running statistics (inference form; epsilon = ε)
 *   Flatten       Flatten (axis 1)
 *   Dropout       nothing: the identity in eval mode
 *   L2Normalize   ReduceL2 (axes [1], keepdims) → Max(·, ε) → Div: y = x / max(‖x‖, ε)
 *   Sequential    its children in order
 *   ConcatBranches  each branch on the same input, then Concat (axis 1) of their [N, dᵢ] outputs
 * </pre>
 * Constants are named by the state-dict name of what they hold ({@code embedding.0.weight}), so
 * a reader of the graph finds each weight where the safetensors file keeps it. Any other module
 * is refused by name and path.
 */
final class LayerExport {
    /** The modules {@link #add} knows, for error messages. */
    static final List<String> SUPPORTED = List.of("Sequential", "Conv2d", "Linear", "ReLU", "Sigmoid", "Tanh",
            "MaxPool2d", "BatchNorm1d", "BatchNorm2d", "Flatten", "Dropout", "L2Normalize", "ConcatBranches");

    private final GraphBuilder g;
    /** The prefix of this tower's value and node names ("" or e.g. "mirror/"); constants are shared. */
    private final String scope;

    LayerExport(GraphBuilder g, String scope) {
        this.g = g;
        this.scope = scope;
    }

    /**
     * Appends the nodes of module {@code m}, whose state-dict prefix is {@code path}, applied to
     * {@code x}; returns its output.
     *
     * @throws IllegalArgumentException naming the layer (path and kind) when it has no ONNX form
     *     or cannot take {@code x}'s shape
     */
    Value add(Module m, String path, Value x) {
        if (m instanceof Sequential seq) {
            Value y = x;
            for (int i = 0; i < seq.size(); i++) {
                y = add(seq.get(i), path + "." + i, y);
            }
            return y;
        }
        if (m instanceof ConcatBranches branches) {
            List<String> outs = new ArrayList<>();
            int width = 0;
            for (int i = 0; i < branches.size(); i++) {
                Value y = add(branches.get(i), path + "." + i, x);
                if (y.rank() != 2) {
                    throw new IllegalArgumentException("ONNX export: branch '" + path + "." + i + "' of ConcatBranches '"
                            + path + "' gives " + y.shape() + "; its outputs are joined along axis 1 and must be [N, d]");
                }
                outs.add(y.name());
                width += y.dims()[1];
            }
            return g.node("Concat", scope + path, new int[] {GraphBuilder.BATCH, width}, outs,
                    new Onnx.IntAttr("axis", 1));
        }
        if (m instanceof Conv2d c) {
            return conv(c, path, x);
        }
        if (m instanceof Linear l) {
            return linear(l, path, x);
        }
        if (m instanceof ReLU) {
            return g.node("Relu", scope + path, x.dims(), List.of(x.name()));
        }
        if (m instanceof Sigmoid) {
            return g.node("Sigmoid", scope + path, x.dims(), List.of(x.name()));
        }
        if (m instanceof Tanh) {
            return g.node("Tanh", scope + path, x.dims(), List.of(x.name()));
        }
        if (m instanceof MaxPool2d p) {
            return maxPool(p, path, x);
        }
        if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) {
            return batchNorm((BatchNorm) m, path, x);
        }
        if (m instanceof Flatten) {
            requireRank(m, path, x, x.rank() >= 1, "at least a batch axis");
            return g.node("Flatten", scope + path, new int[] {GraphBuilder.BATCH, product(x.dims(), 1)},
                    List.of(x.name()), new Onnx.IntAttr("axis", 1));
        }
        if (m instanceof Dropout) {
            return x;
        }
        if (m instanceof L2Normalize n) {
            requireRank(m, path, x, x.rank() == 2, "[N, d]");
            return l2Normalize(x, n.eps(), scope + path);
        }
        throw new IllegalArgumentException("ONNX export: layer '" + path + "' (" + m.getClass().getSimpleName()
                + ") cannot be exported: there is no ONNX form for " + m.getClass().getName() + "; exportable layers: "
                + String.join(", ", SUPPORTED));
    }

    private Value conv(Conv2d c, String path, Value x) {
        Tensor w = c.weight();
        int k = c.kernel();
        int s = c.stride();
        int p = c.padding();
        requireRank(c, path, x, x.rank() == 4 && x.dim(1) == w.size(1), "[N, " + w.size(1) + ", H, W]");
        int oh = Math.floorDiv(x.dim(2) + 2 * p - k, s) + 1;
        int ow = Math.floorDiv(x.dim(3) + 2 * p - k, s) + 1;
        requireRank(c, path, x, oh >= 1 && ow >= 1, "an image of at least " + k + "×" + k + " after padding " + p);
        List<String> inputs = new ArrayList<>(List.of(x.name(), g.weight(path + ".weight", w)));
        if (c.bias() != null) {
            inputs.add(g.weight(path + ".bias", c.bias()));
        }
        return g.node("Conv", scope + path, new int[] {GraphBuilder.BATCH, w.size(0), oh, ow}, inputs,
                new Onnx.IntsAttr("kernel_shape", k, k), new Onnx.IntsAttr("strides", s, s),
                new Onnx.IntsAttr("pads", p, p, p, p), new Onnx.IntsAttr("dilations", 1, 1),
                new Onnx.IntAttr("group", 1));
    }

    private Value linear(Linear l, String path, Value x) {
        Tensor w = l.weight();
        int out = w.size(0);
        int in = w.size(1);
        requireRank(l, path, x, x.rank() >= 2 && x.dim(x.rank() - 1) == in, "[N, ..., " + in + "]");
        int[] outDims = x.dims().clone();
        outDims[outDims.length - 1] = out;
        if (x.rank() == 2) {
            List<String> inputs = new ArrayList<>(List.of(x.name(), g.weight(path + ".weight", w)));
            if (l.bias() != null) {
                inputs.add(g.weight(path + ".bias", l.bias()));
            }
            return g.node("Gemm", scope + path, outDims, inputs, new Onnx.IntAttr("transB", 1));
        }
        // [N, ..., in] · Wᵀ [in, out]: MatMul broadcasts over the leading axes (Gemm takes rank 2 only).
        float[] wt = new float[in * out];
        float[] wd = w.data();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                wt[i * out + o] = wd[o * in + i];
            }
        }
        String wtName = g.floats(path + ".weight.T", new int[] {in, out}, wt);
        if (l.bias() == null) {
            return g.node("MatMul", scope + path, outDims, List.of(x.name(), wtName));
        }
        Value y = g.node("MatMul", scope + path + "/matmul", outDims, List.of(x.name(), wtName));
        return g.node("Add", scope + path, outDims, List.of(y.name(), g.weight(path + ".bias", l.bias())));
    }

    private Value maxPool(MaxPool2d p, String path, Value x) {
        int k = p.kernel();
        int s = p.stride();
        requireRank(p, path, x, x.rank() == 4 && x.dim(2) >= k && x.dim(3) >= k,
                "[N, C, H, W] with H, W ≥ " + k);
        int[] outDims = {GraphBuilder.BATCH, x.dim(1), (x.dim(2) - k) / s + 1, (x.dim(3) - k) / s + 1};
        return g.node("MaxPool", scope + path, outDims, List.of(x.name()),
                new Onnx.IntsAttr("kernel_shape", k, k), new Onnx.IntsAttr("strides", s, s),
                new Onnx.IntsAttr("pads", 0, 0, 0, 0), new Onnx.IntAttr("ceil_mode", 0));
    }

    private Value batchNorm(BatchNorm bn, String path, Value x) {
        int c = bn.features();
        boolean rankOk = bn instanceof BatchNorm2d ? x.rank() == 4 : x.rank() == 2 || x.rank() == 3;
        requireRank(bn, path, x, rankOk && x.dim(1) == c,
                bn instanceof BatchNorm2d ? "[N, " + c + ", H, W]" : "[N, " + c + "] or [N, " + c + ", L]");
        List<String> inputs = List.of(x.name(), g.weight(path + ".weight", bn.weight()),
                g.weight(path + ".bias", bn.bias()), g.weight(path + ".running_mean", bn.runningMean()),
                g.weight(path + ".running_var", bn.runningVar()));
        return g.node("BatchNormalization", scope + path, x.dims(), inputs, new Onnx.FloatAttr("epsilon", bn.eps()));
    }

    /** y = x / max(‖x‖₂ per row, ε) for x [N, d]: ReduceL2 → Max → Div. */
    Value l2Normalize(Value x, float eps, String name) {
        Value norm = g.node("ReduceL2", name + "/norm", new int[] {GraphBuilder.BATCH, 1}, List.of(x.name()),
                new Onnx.IntsAttr("axes", 1), new Onnx.IntAttr("keepdims", 1));
        String epsName = g.floats("eps=" + eps, new int[0], new float[] {eps});
        Value clamped = g.node("Max", name + "/clamped", norm.dims(), List.of(norm.name(), epsName));
        return g.node("Div", name, x.dims(), List.of(x.name(), clamped.name()));
    }

    private static void requireRank(Module m, String path, Value x, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("ONNX export: layer '" + path + "' (" + m.getClass().getSimpleName()
                    + ") takes " + expected + ", but its input is " + x.shape());
        }
    }

    private static int product(int[] dims, int from) {
        int n = 1;
        for (int i = from; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }
}
