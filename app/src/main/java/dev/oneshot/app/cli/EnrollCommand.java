package dev.oneshot.app.cli;

import dev.oneshot.gallery.lucene.LuceneGallery;
import dev.oneshot.siamese.data.ImageFolder;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Policy;
import dev.oneshot.siamese.model.Metric;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.model.Threshold;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;



/** {@code oneshot enroll}: adds identities to a gallery file or Lucene index folder, creating it if absent. */
final class EnrollCommand implements Command {
    @Override
    public String name() {
        return "enroll";
    }

    @Override
    public String summary() {
        return "add people or objects to a gallery of precomputed embeddings";
    }

    static final Option<GallerySpec> GALLERY = Option.of("gallery", "FILE|lucene:DIR", "the gallery file (created if absent, saved atomically), or a Lucene HNSW index folder (created if absent, committed once per run)", GallerySpec::parse).required();
    static final Option<String> ID = Option.text("id", "NAME", "enroll the IMAGEs under one identity (added to it if it exists); an IMAGE inside a zip is named ZIP/ENTRY");
    static final Option<Path> FOLDER = Option.of("folder", "DIR", "one identity per sub-folder of DIR (the sub-folder's name)", Path::of);
    static final Option<Double> TAU = Option.number("tau", "T", 0, "new gallery only: the largest squared L2 distance still known").defaultsTo("the model card's τ");
    static final Option<String> POLICY = Option.choice("policy", List.of("nearest", "prototype"), "new gallery only: the closest enrolled image, or the mean embedding per identity").orElse("nearest");

    @Override
    public Options options() {
        return new Options("--model FILE --gallery FILE|lucene:DIR [--tau T] [--policy nearest|prototype] (--id NAME IMAGE... | --folder DIR)", """
                Embeds the images and adds them to the gallery, creating it if it does not exist: a file (saved
                atomically) or, with lucene:DIR, a Lucene index folder searched by HNSW (every identity of the run
                in one commit). An existing gallery made with another model is refused.
                """, "IMAGE...", 0, Integer.MAX_VALUE, List.of(CommonOptions.MODEL, GALLERY, ID, FOLDER, TAU, POLICY));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        GallerySpec galleryFile = a.get(GALLERY);
        if (a.has(ID) == a.has(FOLDER)) {
            throw new Options.UsageException("give either --id NAME IMAGE... or --folder DIR");
        }
        if (a.has(FOLDER) && !a.positionals().isEmpty()) {
            throw new Options.UsageException("unexpected argument '" + a.positionals().get(0) + "' with --folder");
        }
        if (a.has(ID) && a.positionals().isEmpty()) {
            throw new Options.UsageException("no IMAGE given for --id " + a.get(ID));
        }
        Policy policy = a.get(POLICY).equals("prototype") ? Policy.CLASS_MEAN_PROTOTYPE : Policy.NEAREST_IMAGE;
        SiameseModel model = CommonOptions.model(a);

        boolean created = !galleryFile.exists();
        Gallery g = created ? null : galleryFile.open(model);
        if (g != null && a.has(TAU) && a.get(TAU) != g.options().tau()) {
            throw new IllegalArgumentException(galleryFile + " already exists with τ = " + g.options().tau()
                    + "; --tau only applies when creating a gallery");
        }
        if (g != null && a.has(POLICY) && policy != g.options().policy()) {
            throw new IllegalArgumentException(galleryFile + " already exists with policy " + g.options().policy()
                    + "; --policy only applies when creating a gallery");
        }

        // what to enroll: identity → its rows, embedded before the gallery is touched
        Map<String, float[]> rows = new LinkedHashMap<>();
        Embedder.Features f;
        if (a.has(FOLDER)) {
            LabeledImages data = ImageFolder.load(a.get(FOLDER), model.card().input().imageOptions());
            err.println("embedding " + data.size() + " images of " + data.classCount() + " identities ...");
            f = Embedder.embed(model, data);
            for (int c = 0; c < data.classCount(); c++) {
                int label = c;
                int[] idx = java.util.stream.IntStream.range(0, data.size()).filter(i -> data.label(i) == label).toArray();
                float[] r = new float[idx.length * f.dim()];
                for (int k = 0; k < idx.length; k++) {
                    System.arraycopy(f.values(), idx[k] * f.dim(), r, k * f.dim(), f.dim());
                }
                rows.put(data.className(c), r);
            }
        } else {
            f = ImageFiles.embed(model, a.positionals());
            rows.put(a.get(ID), f.values());
        }

        if (g == null) {
            Threshold t = model.card().threshold();
            double tau = a.has(TAU) ? a.get(TAU) : t.tau();
            err.println("creating " + galleryFile + " with τ = " + tau + (a.has(TAU) ? "" : " (" + t.chosenBy() + ")"));
            g = galleryFile.create(model, new GalleryOptions(Metric.SQUARED_L2, policy, tau));
        }
        try (Gallery gallery = g) {
            List<String> before = gallery.identities();
            int total = 0;
            if (gallery instanceof LuceneGallery lucene) {
                total = lucene.enrollAll(rows); // one commit for the whole run
            } else {
                for (Map.Entry<String, float[]> e : rows.entrySet()) {
                    total += gallery.enrollEmbeddings(e.getKey(), e.getValue(), e.getValue().length / f.dim());
                }
            }
            for (Map.Entry<String, float[]> e : rows.entrySet()) {
                out.println("enrolled " + e.getKey() + ": " + e.getValue().length / f.dim() + " image(s)"
                        + (before.contains(e.getKey()) ? " (added)" : ""));
            }
            galleryFile.save(gallery);
            out.println((created ? "created " : "updated ") + galleryFile + ": " + total + " image(s) of "
                    + identities(rows.size()) + " enrolled; the gallery holds " + gallery.imageCount() + " image(s) of "
                    + identities(gallery.identities().size()) + ", τ = " + VerifyCommand.fmt(gallery.options().tau()));
        }
        return Main.OK;
    }

    private static String identities(int n) {
        return n + (n == 1 ? " identity" : " identities");
    }
}
