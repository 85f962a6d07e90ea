package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;



/** {@code oneshot identify}: the closest enrolled identity of each image, or UNKNOWN beyond τ. */
final class IdentifyCommand implements Command {
    @Override
    public String name() {
        return "identify";
    }

    @Override
    public String summary() {
        return "find the closest enrolled identity, or UNKNOWN beyond the threshold τ";
    }

    static final Option<GallerySpec> GALLERY = Option.of("gallery", "FILE|lucene:DIR", "a gallery file or Lucene index folder written by oneshot enroll with the same model", GallerySpec::parse).required();
    static final Option<Integer> TOP = Option.integer("top", "K", 1, 1_000_000, "also list the K closest distinct identities").orElse(1);

    @Override
    public Options options() {
        return new Options("--model FILE --gallery FILE|lucene:DIR [--top K] [--json] IMAGE...", """
                For each IMAGE the enrolled identity at the smallest squared L2 distance d, known when d ≤ the
                gallery's τ, else UNKNOWN (the nearest identity and its distance are still shown). An IMAGE inside
                a zip is named ZIP/ENTRY, e.g. faces.zip/orl_faces_png/s36/1.png. The model must be the one the
                gallery was built with (checked by its weights' sha256). A lucene:DIR gallery finds candidates in its
                HNSW graph and reports their exact distances (the same answers whenever the graph finds them). JSON: {"results":[{"image","identity"
                (null when unknown),"known","nearest","distance","top":[{"identity","distance","known"}]}],"tau"}.
                """, "IMAGE...", 1, Integer.MAX_VALUE, List.of(CommonOptions.MODEL, GALLERY, TOP, CommonOptions.JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        GallerySpec galleryFile = a.get(GALLERY);
        int k = a.get(TOP);
        List<String> images = a.positionals();
        SiameseModel model = CommonOptions.model(a);
        try (Gallery g = galleryFile.open(model)) {
            return identify(a, g, galleryFile, model, images, k, out);
        }
    }

    private static int identify(Options.Parsed a, Gallery g, GallerySpec galleryFile, SiameseModel model,
                                List<String> images, int k, PrintStream out) throws Exception {
        if (g.identities().isEmpty()) {
            throw new IllegalStateException(galleryFile + ": the gallery is empty");
        }
        double tau = g.options().tau();
        Embedder.Features f = ImageFiles.embed(model, images);
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<Match> top = g.identifyEmbedding(ImageFiles.row(f, i), k);
            Match best = top.get(0);
            if (a.get(CommonOptions.JSON)) {
                List<Object> list = new ArrayList<>();
                for (Match m : top) {
                    list.add(Json.object().put("identity", m.nearest()).put("distance", VerifyCommand.num(m.score()))
                            .put("known", m.known()));
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("image", images.get(i));
                r.put("identity", best.known() ? best.nearest() : null);
                r.put("known", best.known());
                r.put("nearest", best.nearest());
                r.put("distance", VerifyCommand.num(best.score()));
                r.put("top", list);
                results.add(r);
                continue;
            }
            if (best.known()) {
                out.printf(Locale.ROOT, "%s  %s  distance %.4f%n", images.get(i), best.nearest(), best.score());
            } else {
                out.printf(Locale.ROOT, "%s  UNKNOWN  (nearest %s, distance %.4f > τ %s)%n", images.get(i), best.nearest(),
                        best.score(), VerifyCommand.fmt(tau));
            }
            if (k > 1) {
                for (int j = 0; j < top.size(); j++) {
                    Match m = top.get(j);
                    out.printf(Locale.ROOT, "  %d. %s  distance %.4f%s%n", j + 1, m.nearest(), m.score(),
                            m.known() ? "" : "  (beyond τ)");
                }
            }
        }
        if (a.get(CommonOptions.JSON)) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("results", results);
            o.put("tau", tau);
            out.println(Json.write(o));
        }
        return Main.OK;
    }
}
