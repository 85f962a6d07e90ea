package dev.oneshot.app.cli;

import dev.oneshot.siamese.data.ImageFolder;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Metric;
import dev.oneshot.siamese.gallery.Policy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code oneshot enroll}: adds identities to a gallery file, creating it if absent. */
final class EnrollCommand implements Command {
    @Override
    public String name() {
        return "enroll";
    }

    @Override
    public String summary() {
        return "add people or objects to a gallery of precomputed embeddings";
    }

    @Override
    public String usage() {
        return """
                usage: oneshot enroll --model FILE --gallery FILE.safetensors [--tau T] [--policy nearest|prototype] (--id NAME IMAGE... | --folder DIR)
                  Embeds the images and adds them to the gallery, creating the file if it does not exist
                  (saved atomically). An existing gallery made with another model is refused.
                  --id NAME IMAGE...  enroll the images under one identity (added to it if it exists); an IMAGE
                                      inside a zip is named ZIP/ENTRY, e.g. faces.zip/orl_faces_png/s31/1.png
                  --folder DIR        one identity per sub-folder of DIR (the sub-folder's name)
                  --tau T             new gallery only: the largest squared L2 distance still known (default:
                                      the model's calibrated τ, see oneshot calibrate --write-tau; else 1.0 for
                                      L2-normalised embeddings, i.e. cosine ≥ 0.5; else +∞)
                  --policy P          new gallery only: nearest (closest enrolled image, default) or prototype
                                      (mean embedding per identity)
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("model", "gallery", "tau", "policy", "id", "folder"), Set.of());
        Path modelFile = Path.of(a.required("model"));
        Path galleryFile = Path.of(a.required("gallery"));
        if (a.has("id") == a.has("folder")) {
            throw new Args.UsageException("give either --id NAME IMAGE... or --folder DIR");
        }
        if (a.has("folder") && !a.positionals().isEmpty()) {
            throw new Args.UsageException("unexpected argument '" + a.positionals().get(0) + "' with --folder");
        }
        if (a.has("id") && a.positionals().isEmpty()) {
            throw new Args.UsageException("no IMAGE given for --id " + a.string("id", ""));
        }
        double tauGiven = a.number("tau", Double.NaN, 0);
        Policy policy = switch (a.string("policy", "nearest")) {
            case "nearest" -> Policy.NEAREST_IMAGE;
            case "prototype" -> Policy.CLASS_MEAN_PROTOTYPE;
            default -> throw new Args.UsageException("--policy must be nearest or prototype, got '"
                    + a.string("policy", "") + "'");
        };
        ModelIO.Loaded model = ModelIO.load(modelFile);

        boolean created = !Files.exists(galleryFile);
        Gallery g = created ? null : GalleryFile.load(galleryFile, model.net(), null);
        if (g != null && a.has("tau") && tauGiven != g.options().tau()) {
            throw new IllegalArgumentException(galleryFile + " already exists with τ = " + g.options().tau()
                    + "; --tau only applies when creating a gallery");
        }
        if (g != null && a.has("policy") && policy != g.options().policy()) {
            throw new IllegalArgumentException(galleryFile + " already exists with policy " + g.options().policy()
                    + "; --policy only applies when creating a gallery");
        }

        // what to enroll: identity → its rows, embedded before the gallery is touched
        Map<String, float[]> rows = new LinkedHashMap<>();
        Embedder.Features f;
        if (a.has("folder")) {
            ImageOptions options = model.imageOptions();
            LabeledImages data = ImageFolder.load(Path.of(a.string("folder", "")), options);
            err.println("embedding " + data.size() + " images of " + data.classCount() + " identities ...");
            f = Embedder.embed(model.net(), data);
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
            rows.put(a.string("id", ""), f.values());
        }

        if (g == null) {
            double tau = a.has("tau") ? tauGiven : model.defaultTau();
            err.println("creating " + galleryFile + " with τ = " + tau
                    + (a.has("tau") ? "" : " (" + model.defaultTauSource() + ")"));
            g = Gallery.forModel(model.net(), f.dim(), new GalleryOptions(Metric.SQUARED_L2, policy, tau));
        }
        List<String> before = g.identities();
        int total = 0;
        for (Map.Entry<String, float[]> e : rows.entrySet()) {
            int n = e.getValue().length / f.dim();
            g.enrollEmbeddings(e.getKey(), e.getValue(), n);
            total += n;
            out.println("enrolled " + e.getKey() + ": " + n + " image(s)" + (before.contains(e.getKey()) ? " (added)" : ""));
        }
        if (galleryFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(galleryFile.toAbsolutePath().getParent());
        }
        GalleryFile.save(galleryFile, g);
        out.println((created ? "created " : "updated ") + galleryFile + ": " + total + " image(s) of "
                + identities(rows.size()) + " enrolled; the gallery holds " + g.imageCount() + " image(s) of "
                + identities(g.identities().size()) + ", τ = " + VerifyCommand.fmt(g.options().tau()));
        return Main.OK;
    }

    private static String identities(int n) {
        return n + (n == 1 ? " identity" : " identities");
    }
}
