package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.StoredTensor;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.eval.Embedder;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    @Override
    public String usage() {
        return """
                usage: oneshot embed --model FILE --out FILE.safetensors IMAGE...
                  Each IMAGE (PNG, JPEG, BMP, GIF, PGM, PPM) is read as grey in [0, 1], resized to the model's
                  input size (area averaging) and inverted if the model was trained on inverted images (Omniglot).
                  Writes one F32 tensor "embeddings" [n, d], row i = i-th IMAGE; metadata "images" (a JSON
                  list of the paths as given), "model", "count", "dim".
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("model", "out"), Set.of());
        Path modelFile = Path.of(a.required("model"));
        Path outFile = Path.of(a.required("out"));
        List<String> images = a.positionals();
        if (images.isEmpty()) {
            throw new Args.UsageException("no IMAGE given");
        }
        ModelIO.Loaded model = ModelIO.load(modelFile);
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
