package dev.oneshot.app.cli;

import dev.oneshot.siamese.export.OnnxExport;
import dev.oneshot.siamese.export.OnnxFile;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code oneshot export}: a model as an ONNX file (and Koch's head as a second one), for ONNX Runtime. */
final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a model as ONNX (opset 13) for ONNX Runtime, its card in the metadata";
    }

    static final Option<Path> OUT = Option.of("out", "FILE.onnx",
            "the file to write; the format comes from the extension (.onnx)", Path::of).required();
    static final Option<Boolean> HEAD = Option.flag("head",
            "also write Koch's verification head as FILE.head.onnx: images_a, images_b → probability [N]");

    @Override
    public Options options() {
        return new Options("--model FILE --out FILE.onnx [--head]", """
                Writes the embedding network as an ONNX graph that computes what oneshot embed computes after
                decoding: input "images" [N, C, H, W] float32 (N any batch size; C, H, W from the model card),
                grey values in [0, 1] area-averaged to H×W and inverted (1 − v) when the card says so and the image is
                on light paper (cropping to the ink, when the card says so, is the caller's, as decoding); output
                "embeddings" [N, d], mirror- and shift-averaged and L2-normalised as the card says. BatchNorm
                uses its running statistics; Dropout is left out. The card travels in the metadata_props (oneshot.*:
                input size, inversion, τ, metric, recipe, provenance, the weights' SHA-256). Opset 13, no
                custom operators; see docs/export.md for the Python and Java examples.
                """, List.of(CommonOptions.MODEL, OUT, HEAD));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        Path outFile = a.get(OUT);
        if (!outFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            throw new Options.UsageException("--out " + outFile + ": the format comes from the extension, and export "
                    + "writes ONNX only: name the file FILE.onnx");
        }
        SiameseModel model = CommonOptions.model(a);
        OnnxFile embedding = OnnxExport.embedding(model);
        OnnxFile head = a.get(HEAD) ? OnnxExport.head(model) : null; // fails before anything is written
        if (outFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(outFile.toAbsolutePath().getParent());
        }
        embedding.write(outFile);
        out.println("wrote " + outFile + ": " + embedding.describe());
        if (head != null) {
            Path headFile = OnnxExport.headFile(outFile);
            head.write(headFile);
            out.println("wrote " + headFile + ": " + head.describe());
        }
        out.println("card: τ = " + model.card().threshold().tau() + " (" + model.card().metric().name()
                .toLowerCase(Locale.ROOT).replace('_', '-') + "), input " + model.card().input().display()
                + (model.card().input().invert() ? " inverted" : "")
                + (model.card().input().mirrorAverage() ? ", mirror-averaged" : "")
                + (model.card().input().shiftAverage() ? ", shift-averaged" : "")
                + (model.card().input().stretchLevels()
                        ? ", levels stretched (stretch before feeding: metadata oneshot.input.stretch_levels)" : "")
                + (model.card().input().strokeWidth() > 0 ? ", strokes redrawn " + model.card().input().strokeWidth()
                        + " px wide (redraw before feeding: metadata oneshot.input.stroke_width)" : "")
                + (model.card().input().fitInk() ? ", ink fitted (crop before feeding: metadata oneshot.input.fit_ink)" : "")
                + ", weights SHA-256 " + model.fingerprint());
        return Main.OK;
    }
}
