package dev.oneshot.app.cli;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.StoredTensor;
import dev.oneshot.core.json.Json;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;



/** {@code oneshot embed}: embeddings of image files into an [n, d] F32 safetensors tensor. */
final class EmbedCommand implements Command {
    static final String TENSOR = "embeddings";

    @Override
    public String name() {
        return "embed";
    }

    @Override
    public String summary() {
        return "embed image files with a trained model into an [n, d] safetensors tensor";
    }

    static final Option<Path> OUT = Option.of("out", "FILE", "the safetensors file to write", Path::of).required();

    @Override
    public Options options() {
        return new Options("--model FILE --out FILE.safetensors IMAGE...", """
                Each IMAGE (PNG, JPEG, BMP, GIF, PGM, PPM; or ZIP/ENTRY) is read as the model's card says: grey in
                [0, 1], cropped to its ink if the card says so, resized to its input size (area averaging), and
                made strokes of 1 on 0 (inverted when drawn on light paper) if the model was trained so; embeddings are
                normalised and mirror- and shift-averaged as the card says. Writes one F32 tensor "embeddings"
                [n, d], row i = i-th IMAGE; metadata "images" (a JSON list of the paths as given), "model",
                "count", "dim".
                """, "IMAGE...", 1, Integer.MAX_VALUE, List.of(CommonOptions.MODEL, OUT));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        Path modelFile = a.get(CommonOptions.MODEL);
        Path outFile = a.get(OUT);
        List<String> images = a.positionals();
        SiameseModel model = SiameseModel.load(modelFile);
        Embedder.Features f = ImageFiles.embed(model, images);
        Tensor e = Tensor.wrap(f.values(), f.rows(), f.dim());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("images", Json.write(new ArrayList<>(images)));
        meta.put("model", modelFile.toString());
        meta.put("count", Integer.toString(e.size(0)));
        meta.put("dim", Integer.toString(e.size(1)));
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        Safetensors.write(outFile, List.of(StoredTensor.ofTensor(TENSOR, e)), meta);
        out.println("wrote " + outFile + ": " + TENSOR + " [" + e.size(0) + ", " + e.size(1) + "] from " + images.size()
                + " image(s)");
        return Main.OK;
    }
}
