package dev.oneshot.siamese.export;

import dev.oneshot.nn.Module;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.export.GraphBuilder.Value;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.model.Provenance;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A trained model as ONNX, so that it runs unchanged in ONNX Runtime (Python, C#, JavaScript,
 * Java, …). No dependency: the protocol-buffer encoding is written here ({@link ProtoWriter},
 * {@link Onnx}).
 *
 * <pre>{@code
 * SiameseModel model = SiameseModel.load(Path.of("runs/m/model.safetensors"));
 * OnnxExport.embedding(model).write(Path.of("runs/m/model.onnx"));
 * OnnxExport.head(model).write(OnnxExport.headFile(Path.of("runs/m/model.onnx")));   // Koch's head, if trained
 * }</pre>
 *
 * <p><b>The embedding graph</b> computes what {@link SiameseModel#embed} computes:
 * <pre>  images [N, C, H, W] float32 → embeddings [N, d]
 *   e = f(x)  (+ f(mirror(x)) when the card mirror-averages)   then e / max(‖e‖, 10⁻¹²) when normalised</pre>
 * with f in eval mode (BatchNorm with its running statistics, Dropout gone). The input is what
 * {@code embed} takes: grey values in [0, 1], area-averaged to the card's H × W, and already
 * inverted (v → 1 − v) when the card says {@code invert} — decoding and resizing an image file
 * stay with the caller, as with the safetensors weights in PyTorch. N is a named (dynamic) axis.
 *
 * <p><b>The head graph</b> ({@link #head}) takes two such batches {@code images_a},
 * {@code images_b} [N, C, H, W] and gives {@code probability} [N] = σ(w·|e_a − e_b| + b), the
 * probability that image i of each shows the same identity — {@code BinaryVerificationHead.probability}
 * of the two embeddings.
 *
 * <p><b>Opset 13</b> (IR version 7, ONNX 1.8, 2020): every operator emitted has had its present
 * meaning since opset 13 (ReduceL2 keeps its {@code axes} attribute until opset 18), so this is
 * the oldest opset that describes these graphs exactly, and every ONNX Runtime since 1.6 and
 * other runtimes of the last years load it. Each file carries the card in {@code metadata_props}
 * ({@link ExportMetadata}).
 */
public final class OnnxExport {
    /** The opset of the default ONNX domain every exported file imports. */
    public static final int OPSET = 13;
    /** The ONNX IR version of opset 13 (ONNX 1.8). */
    public static final int IR_VERSION = 7;
    /** The input of the embedding graph, [N, C, H, W]. */
    public static final String IMAGES = "images";
    /** The output of the embedding graph, [N, d]. */
    public static final String EMBEDDINGS = "embeddings";
    /** The first input of the head graph, [N, C, H, W]. */
    public static final String IMAGES_A = "images_a";
    /** The second input of the head graph, [N, C, H, W]. */
    public static final String IMAGES_B = "images_b";
    /** The output of the head graph, [N]: P(same identity). */
    public static final String PROBABILITY = "probability";
    /** The name of the batch axis in the declared shapes. */
    public static final String BATCH_AXIS = "N";

    private OnnxExport() {
    }

    /**
     * The embedding graph of {@code model} (see the class comment).
     *
     * @throws IllegalArgumentException naming the layer when one has no ONNX form or does not fit
     *     the card's input size
     */
    public static OnnxFile embedding(SiameseModel model) {
        GraphBuilder g = new GraphBuilder();
        InputSpec in = model.card().input();
        Value images = g.input(IMAGES, GraphBuilder.BATCH, in.channels(), in.height(), in.width());
        Value e = g.rename(tower(g, model, images, ""), EMBEDDINGS);
        int d = e.dim(1);
        Onnx.Graph graph = new Onnx.Graph("oneshot_embedding", g.nodes(), g.initializers(),
                List.of(imagesInfo(IMAGES, in)), List.of(info(e, embeddingsDoc(model, d))),
                "Embeddings [N, " + d + "] of images [N, " + in.channels() + ", " + in.height() + ", " + in.width()
                        + "]: what oneshot embed computes after decoding.");
        return new OnnxFile(model(graph, ExportMetadata.of(model, "embedding", d), "oneshot embedding network: "
                + graph.doc()));
    }

    /**
     * The verification-head graph: {@code images_a}, {@code images_b} → {@code probability} [N].
     *
     * @throws IllegalArgumentException when the model has no verification head (it was not trained
     *     with the binary loss), or as {@link #embedding}
     */
    public static OnnxFile head(SiameseModel model) {
        BinaryVerificationHead head = model.head().orElseThrow(() -> new IllegalArgumentException(
                "ONNX export: this model has no verification head (it was trained with the "
                        + model.card().recipe().map(r -> r.objective().kind()).orElse("an embedding")
                        + " loss, not the binary one); export its embedding graph alone"));
        GraphBuilder g = new GraphBuilder();
        InputSpec in = model.card().input();
        Value a = g.input(IMAGES_A, GraphBuilder.BATCH, in.channels(), in.height(), in.width());
        Value b = g.input(IMAGES_B, GraphBuilder.BATCH, in.channels(), in.height(), in.width());
        Value ea = tower(g, model, a, "a/");
        Value eb = tower(g, model, b, "b/");
        int d = ea.dim(1);
        if (d != head.dim()) {
            throw new IllegalArgumentException("ONNX export: the head takes embeddings of width " + head.dim()
                    + ", but the network gives " + d);
        }
        // p = σ(w·|e_a − e_b| + b): Sub, Abs, Gemm with the head's Linear (transB), Sigmoid, then [N, 1] → [N].
        Value diff = g.node("Sub", "head/diff", ea.dims(), List.of(ea.name(), eb.name()));
        Value l1 = g.node("Abs", "head/l1", ea.dims(), List.of(diff.name()));
        Value logit = new LayerExport(g, "").add(head.namedChildren().get("fc"), "head.fc", l1);
        Value p = g.node("Sigmoid", "head/sigmoid", logit.dims(), List.of(logit.name()));
        String axis = g.int64s("axes=1", new int[] {1}, new long[] {1});
        Value out = g.node("Squeeze", PROBABILITY, new int[] {GraphBuilder.BATCH}, List.of(p.name(), axis));
        Onnx.Graph graph = new Onnx.Graph("oneshot_verification_head", g.nodes(), g.initializers(),
                List.of(imagesInfo(IMAGES_A, in), imagesInfo(IMAGES_B, in)),
                List.of(info(out, "P(images_a[i] and images_b[i] show the same identity) = σ(w·|e_a − e_b| + b)")),
                "Koch's verification head: two image batches [N, " + in.channels() + ", " + in.height() + ", "
                        + in.width() + "] → the probability [N] that each pair shows the same identity.");
        return new OnnxFile(model(graph, ExportMetadata.of(model, "verification-head", d),
                "oneshot verification head: " + graph.doc()));
    }

    /** Where {@code oneshot export --head} puts the head graph: {@code m.onnx} → {@code m.head.onnx}. */
    public static Path headFile(Path embeddingFile) {
        String name = embeddingFile.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? name.substring(0, name.length() - 5)
                : name;
        return embeddingFile.resolveSibling(stem + ".head.onnx");
    }

    /**
     * One tower: f(x) [+ f of x's eight one-pixel moves] [+ f(mirror(x)) (and of its moves)],
     * flattened to [N, d], normalised when the card says so — {@link TwinNetwork#embed} in eval
     * mode, the views summed in its order. Value names start with {@code scope}; weights are shared.
     */
    private static Value tower(GraphBuilder g, SiameseModel model, Value x, String scope) {
        Module f = model.embeddingNet();
        Value e = flat(g, new LayerExport(g, scope).add(f, "embedding", x), scope + "embedding/flat");
        boolean shifts = model.card().input().shiftAverage();
        if (shifts) {
            e = addShifted(g, f, e, x, scope + "shift/");
        }
        if (model.card().input().mirrorAverage()) {
            int w = x.dim(3);
            long[] reversed = new long[w];
            for (int i = 0; i < w; i++) {
                reversed[i] = w - 1 - i;
            }
            String indices = g.int64s("mirror/columns", new int[] {w}, reversed);
            Value mirrored = g.node("Gather", scope + "mirror/" + x.name(), x.dims(), List.of(x.name(), indices),
                    new Onnx.IntAttr("axis", 3));
            Value em = flat(g, new LayerExport(g, scope + "mirror/").add(f, "embedding", mirrored),
                    scope + "mirror/embedding/flat");
            e = g.node("Add", scope + "embedding/mirror_sum", e.dims(), List.of(e.name(), em.name()));
            if (shifts) {
                e = addShifted(g, f, e, mirrored, scope + "mirror/shift/");
            }
        }
        if (model.card().normalized()) {
            e = new LayerExport(g, scope).l2Normalize(e, TwinNetwork.NORMALIZE_EPS, scope + "embedding/normalized");
        }
        return e;
    }

    /**
     * e + Σ f(shift_s(x)) over the eight one-pixel moves of {@link TwinNetwork#SHIFTS}: x padded by one
     * zero pixel on every side ({@code Pad}), each move a {@code Slice} of that, then a tower on the
     * same weights and an {@code Add}, in the order TwinNetwork sums them.
     */
    private static Value addShifted(GraphBuilder g, Module f, Value e, Value x, String scope) {
        int h = x.dim(2);
        int w = x.dim(3);
        String pads = g.int64s(scope + "pads", new int[] {8}, new long[] {0, 0, 1, 1, 0, 0, 1, 1});
        Value padded = g.node("Pad", scope + "padded", new int[] {x.dim(0), x.dim(1), h + 2, w + 2},
                List.of(x.name(), pads));
        String axes = g.int64s(scope + "axes", new int[] {2}, new long[] {2, 3});
        for (int v = 1; v < TwinNetwork.SHIFTS.length; v++) {
            int dx = TwinNetwork.SHIFTS[v][0];
            int dy = TwinNetwork.SHIFTS[v][1];
            String view = scope + "dx" + dx + "dy" + dy + "/";
            // shift(x)[y, c] = x[y − dy, c − dx] = padded[y + 1 − dy, c + 1 − dx]
            String starts = g.int64s(view + "starts", new int[] {2}, new long[] {1 - dy, 1 - dx});
            String ends = g.int64s(view + "ends", new int[] {2}, new long[] {1 - dy + h, 1 - dx + w});
            Value moved = g.node("Slice", view + "image", x.dims(), List.of(padded.name(), starts, ends, axes));
            Value ev = flat(g, new LayerExport(g, view).add(f, "embedding", moved), view + "embedding/flat");
            e = g.node("Add", view + "sum", e.dims(), List.of(e.name(), ev.name()));
        }
        return e;
    }

    /** [N, ...] → [N, d] unless already of rank 2 (as TwinNetwork flattens f's output). */
    private static Value flat(GraphBuilder g, Value e, String name) {
        if (e.rank() == 2) {
            return e;
        }
        int d = 1;
        for (int i = 1; i < e.rank(); i++) {
            d *= e.dim(i);
        }
        return g.node("Flatten", name, new int[] {GraphBuilder.BATCH, d}, List.of(e.name()), new Onnx.IntAttr("axis", 1));
    }

    private static Onnx.Model model(Onnx.Graph graph, Map<String, String> metadata, String doc) {
        return new Onnx.Model(IR_VERSION, OPSET, "oneshot", Provenance.currentVersion(), doc, graph, metadata);
    }

    private static Onnx.ValueInfo imagesInfo(String name, InputSpec in) {
        return new Onnx.ValueInfo(name, List.of(Onnx.Dim.named(BATCH_AXIS), Onnx.Dim.of(in.channels()),
                Onnx.Dim.of(in.height()), Onnx.Dim.of(in.width())),
                "float32 grey values in [0, 1], " + (in.stretchLevels() ? "levels stretched (metadata "
                        + "oneshot.input.stretch_levels), " : "") + (in.strokeWidth() > 0 ? "strokes redrawn " + in.strokeWidth()
                        + " px wide (metadata oneshot.input.stroke_width), " : "") + (in.fitInk() ? "cropped to the window around the ink (metadata "
                        + "oneshot.input.fit_ink), " : "") + "area-averaged to " + in.height() + "×" + in.width()
                        + (in.invert() ? ", inverted (1 − v) when drawn on light paper, as the model was trained"
                        : ", not inverted"));
    }

    private static Onnx.ValueInfo info(Value v, String doc) {
        List<Onnx.Dim> dims = new java.util.ArrayList<>();
        for (int i = 0; i < v.rank(); i++) {
            dims.add(v.dim(i) == GraphBuilder.BATCH ? Onnx.Dim.named(BATCH_AXIS) : Onnx.Dim.of(v.dim(i)));
        }
        return new Onnx.ValueInfo(v.name(), dims, doc);
    }

    private static String embeddingsDoc(SiameseModel model, int d) {
        return "embeddings [N, " + d + "]" + (model.card().input().shiftAverage() ? ", each of an image and its eight"
                + " one-pixel moves together" : "") + (model.card().input().mirrorAverage() ? ", each of an image and its"
                + " mirror image together" : "") + (model.card().normalized() ? ", unit length" : "")
                + "; compare with the squared L2 distance and the threshold in metadata oneshot.threshold";
    }
}
