package dev.oneshot.app.cli;

import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Verification;
import dev.oneshot.core.json.Json;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code oneshot verify}: are two images the same identity? One squared distance against τ. */
final class VerifyCommand implements Command {
    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "same or different: one distance against the threshold τ";
    }

    @Override
    public String usage() {
        return """
                usage: oneshot verify --model FILE [--tau T] [--json] IMAGE_A IMAGE_B
                  Embeds both images and compares their squared L2 distance d with τ: SAME when d ≤ τ.
                  --tau T   the threshold (default: the model's calibrated τ, see oneshot calibrate --write-tau;
                            else 1.0 for L2-normalised embeddings, i.e. cosine ≥ 0.5; else +∞)
                  --json    {"same", "distance", "tau", "image_a", "image_b"}
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("model", "tau"), Set.of("json"));
        Path modelFile = Path.of(a.required("model"));
        List<String> images = a.positionals();
        if (images.size() != 2) {
            throw new Args.UsageException("verify takes exactly two images, got " + images.size());
        }
        double tauGiven = a.number("tau", Double.NaN, 0);
        ModelIO.Loaded model = ModelIO.load(modelFile);
        double tau = a.has("tau") ? tauGiven : model.defaultTau();
        if (!a.has("tau")) {
            err.println("τ = " + tau + " (" + model.defaultTauSource() + ")");
        }
        Embedder.Features f = ImageFiles.embed(model, images);
        Gallery g = Gallery.forEmbeddings(f.dim(), model.net().normalizes(), null, GalleryOptions.squaredL2(tau));
        Verification v = g.verifyEmbeddings(ImageFiles.row(f, 0), ImageFiles.row(f, 1));
        if (a.flag("json")) {
            out.println(Json.object().put("same", v.same()).put("distance", num(v.score())).put("tau", tau)
                    .put("image_a", images.get(0)).put("image_b", images.get(1)));
        } else {
            out.printf(Locale.ROOT, "%s: distance %.4f %s τ %s%n", v.same() ? "SAME" : "DIFFERENT", v.score(),
                    v.same() ? "≤" : ">", fmt(tau));
        }
        return Main.OK;
    }

    /** τ for people: 4 significant digits, ∞ spelled out. */
    static String fmt(double tau) {
        return Double.isInfinite(tau) ? "∞" : String.format(Locale.ROOT, "%.4g", tau);
    }

    /** A float score as the shortest decimal that reads back to it (not its widened double's digits). */
    static double num(float score) {
        return Double.parseDouble(Float.toString(score));
    }
}
