package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Verification;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.model.Threshold;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;



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

    static final Option<Double> TAU = Option.number("tau", "T", 0, "the threshold").defaultsTo(
            "the gallery's with --gallery, else the model card's: calibrated (oneshot calibrate --write-tau), else 1.0 for unit-length embeddings (cosine ≥ 0.5), else +∞");
    static final Option<GallerySpec> GALLERY = Option.of("gallery", "FILE|lucene:DIR", "compare as this gallery does: its τ, and refused unless it was built with this model", GallerySpec::parse);

    @Override
    public Options options() {
        return new Options("--model FILE [--tau T | --gallery FILE|lucene:DIR] [--json] IMAGE_A IMAGE_B", """
                Embeds both images and compares their squared L2 distance d with τ: SAME when d ≤ τ.
                JSON: {"same","distance","tau","image_a","image_b"}.
                """, "IMAGE_A IMAGE_B", 2, 2, List.of(CommonOptions.MODEL, TAU, GALLERY, CommonOptions.JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        List<String> images = a.positionals();
        if (a.has(TAU) && a.has(GALLERY)) {
            throw new Options.UsageException("give --tau or --gallery, not both (the gallery has its τ)");
        }
        SiameseModel model = CommonOptions.model(a);
        Verification v;
        double tau;
        if (a.has(GALLERY)) {
            try (Gallery g = a.get(GALLERY).open(model)) {
                tau = g.options().tau();
                err.println("τ = " + tau + " (the gallery's)");
                Embedder.Features f = ImageFiles.embed(model, images);
                v = g.verifyEmbeddings(ImageFiles.row(f, 0), ImageFiles.row(f, 1));
            }
        } else {
            Threshold t = model.card().threshold();
            tau = a.has(TAU) ? a.get(TAU) : t.tau();
            if (!a.has(TAU)) {
                err.println("τ = " + tau + " (" + t.chosenBy() + ")");
            }
            Embedder.Features f = ImageFiles.embed(model, images);
            Gallery g = Gallery.ofEmbeddings(f.dim(), model.card().normalized(), GalleryOptions.squaredL2(tau));
            v = g.verifyEmbeddings(ImageFiles.row(f, 0), ImageFiles.row(f, 1));
        }
        if (a.get(CommonOptions.JSON)) {
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
