package dev.oneshot.app.cli;

import dev.oneshot.app.report.TrainingLog;
import dev.oneshot.core.json.Json;
import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.model.Provenance;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.model.Threshold;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.RunOptions;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.train.TrainingRun;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;



/**
 * {@code oneshot demo}: trains the {@code fashion} recipe on Fashion-MNIST classes 0–6
 * ({@code fashion-mnist:seen}), then measures
 * ({@link DemoEvaluation}) and writes a run folder with the model, a gallery, results.json,
 * PNG plots and report.html ({@link DemoReport}).
 */
final class DemoCommand implements Command {
    /**
     * On the 1,050 bundled training images more steps overfit: at 600 the unseen classes fall below
     * raw pixels. The subset also keeps the recipe's former batch-all triplets (in {@link #run}).
     */
    static final int DEFAULT_BUNDLED_STEPS = 100;
    static final double DEFAULT_MINUTES = 5;
    static final int DEFAULT_EPISODES = 500;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "train a small Siamese network on Fashion-MNIST and show what it learned (report.html)";
    }

    static final Option<String> DATA = Option.text("data", "bundled|fashion-mnist[:DIR]",
            "the full set (training file classes 0–6 train) or the subset shipped in the jar").defaultsTo(
            "the full set at /usr/share/datasets/fashion-mnist if present, else bundled");
    static final Option<Integer> STEPS = Option.integer("steps", "N", 1, 10_000_000, "optimiser steps").defaultsTo(
            "the fashion recipe's " + Recipes.fashion().steps() + "; " + DEFAULT_BUNDLED_STEPS + " on the bundled subset, which more steps overfit");
    static final Option<Double> MINUTES = Option.number("max-minutes", "M", 0, "training time budget (0: none)").orElse(DEFAULT_MINUTES);
    static final Option<Long> SEED = Option.longInteger("seed", "S", "every random choice; same seed, same run").orElse(42L);
    static final Option<Integer> EPISODES = Option.integer("episodes", "E", 1, 1_000_000, "episodes per one-shot evaluation").orElse(DEFAULT_EPISODES);
    static final Option<Path> OUT = Option.of("out", "DIR", "the run folder", Path::of).defaultsTo("runs/demo-<timestamp>");
    static final Option<Boolean> JSON = Option.flag("json", "print results.json on stdout instead of the summary");
    static final Option<String> RECIPE = Option.text("recipe", "NAME|FILE",
            "a built-in recipe or a recipe JSON file for 28×28 grey images").defaultsTo(
            "fashion (on the bundled subset: one network, batch-all triplets)");

    @Override
    public Options options() {
        return new Options("[--data bundled|fashion-mnist[:DIR]] [--recipe NAME|FILE] [--steps N] [--max-minutes M] "
                + "[--seed S] [--episodes E] [--out DIR] [--json]", """
                Trains the fashion recipe (two small CNNs side by side, normalised softmax, P×K = 7×16, Adam 1e-3; on
                the bundled subset one network, batch-all triplets) on fashion-mnist:seen (classes 0–6), then: 3-way one-shot accuracy on fashion-mnist:unseen (the
                never-seen classes 7–9 of the test file) and 10-way on all ten, each beside raw pixels on the same
                episodes; τ at the EER of validation pairs (classes 7–9 of the training file); verification AUC/EER
                on test pairs; a gallery of one image per class. Prints a summary; writes
                DIR/{model,gallery}.safetensors, results.json, *.png and report.html. --recipe trains another
                recipe on the same data (oneshot recipes fashion > r.json, edit it, --recipe r.json) and scores it
                the same way.
                """, List.of(DATA, RECIPE, STEPS, MINUTES, SEED, EPISODES, OUT, JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        double minutes = a.get(MINUTES);
        long seed = a.get(SEED);
        int episodes = a.get(EPISODES);
        Path dir = a.has(OUT) ? a.get(OUT) : Path.of("runs/demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        long t0 = System.nanoTime();
        DemoData data = DemoData.load(a.get(DATA));
        err.println("data: " + data.source() + " — " + data.train().size() + " training, " + data.test().size()
                + " test images");
        // The bundled 1,050 images keep the batch-all triplets the recipe had: the softmax was chosen
        // on folds of the full set (2500 steps), and on the subset's 100 steps it scored lower
        // (docs/experiments.md, "oneshot demo").
        // It keeps one network as well (the ensemble was chosen on the same folds).
        Recipe recipe = a.has(RECIPE) ? Recipes.resolve(a.get(RECIPE))
                : data.isBundled() ? Recipes.fashion().withObjective(Recipes.batchAll()).withMembers(1)
                : Recipes.fashion();
        if (recipe.input().height() != 28 || recipe.input().width() != 28 || recipe.input().channels() != 1) {
            throw new Options.UsageException("--recipe " + a.get(RECIPE) + ": the demo's images are 28×28 grey; the "
                    + "recipe '" + recipe.name() + "' takes " + recipe.input().height() + "×" + recipe.input().width()
                    + "×" + recipe.input().channels());
        }
        int steps = a.has(STEPS) ? a.get(STEPS) : data.isBundled() ? DEFAULT_BUNDLED_STEPS : recipe.steps();

        Subset seen = Subset.ofClasses(data.train(), DataSource.Idx.SEEN);
        err.printf(Locale.ROOT, "training recipe %s on %d images of classes 0–6: %d steps%s (budget %s)%n", recipe.name(),
                seen.size(), steps, recipe.members() > 1 ? " for each of " + recipe.members() + " networks" : "",
                minutes > 0 ? minutes + " min" : "none");
        TrainingLog log = new TrainingLog(err, steps, 10);
        RunOptions run = RunOptions.seed(seed).withSteps(steps);
        if (minutes > 0) {
            run = run.withBudget(Duration.ofMillis(Math.round(minutes * 60_000)));
        }
        TrainingRun.Trained t = TrainingRun.fit(recipe, seen, null, run, log, err::println);
        SiameseModel model = t.model();
        TrainingResult r = t.result();
        if (r.reason() == TrainingResult.StopReason.NON_FINITE) {
            throw new IllegalStateException("training diverged: " + r.detail());
        }
        err.printf(Locale.ROOT, "trained %d steps in %.0f s (%s); evaluating ...%n", r.steps(), r.seconds(),
                r.reason().name().toLowerCase(Locale.ROOT));
        DemoEvaluation ev = DemoEvaluation.run(model, data, episodes, seed);

        Files.createDirectories(dir);
        Provenance prov = new Provenance(data.spec() + ":seen", "none", r.steps(), r.seconds(), seed, Gemm.threads(),
                r.stoppedBy(), Double.NaN, Provenance.currentVersion(), Provenance.currentCommit());
        SiameseModel trained = model.withCard(model.card().withProvenance(prov).withCalibration(new Threshold(ev.tau(),
                "EER on validation pairs of classes 7–9 (training file)")));
        trained.save(dir.resolve("model.safetensors"));
        GalleryFile.save(dir.resolve("gallery.safetensors"), ev.gallery());

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", data.source());
        config.put("recipe", recipe.name());
        config.put("steps", steps);
        config.put("max_minutes", minutes);
        config.put("episodes", episodes);
        config.put("batch", recipe.classesPerBatch() + "x" + recipe.perClass());
        config.put("objective", recipe.objective().toJson());
        if (!recipe.memberObjectives().isEmpty()) { // member i trains objective i; "objective" is the first's
            config.put("member_objectives", recipe.memberObjectives().stream().map(o -> (Object) o.toJson()).toList());
        }
        config.put("lr", recipe.optimizer().lr());
        config.put("embedding_dim", model.embeddingDim());
        config.put("train_classes", DataSource.Idx.SEEN);
        config.put("unseen_classes", DataSource.Idx.UNSEEN);
        Map<String, Object> results = DemoReport.results(ev, r, seed, config);
        DemoReport.write(dir, ev, log, data, recipe, results);
        results.put("total_seconds", (System.nanoTime() - t0) / 1e9);
        String json = Json.write(results);
        Files.writeString(dir.resolve("results.json"), json + "\n", StandardCharsets.UTF_8);
        err.printf(Locale.ROOT, "done in %.0f s; report: %s%n", (System.nanoTime() - t0) / 1e9,
                dir.resolve("report.html"));
        if (a.get(JSON)) {
            out.println(json);
        } else {
            printSummary(out, ev, r, dir);
        }
        return Main.OK;
    }

    private static void printSummary(PrintStream out, DemoEvaluation ev, TrainingResult r, Path dir) {
        out.printf(Locale.ROOT, "oneshot demo: %d steps in %.0f s%n", r.steps(), r.seconds());
        out.println("                               model   raw pixels   chance");
        out.printf(Locale.ROOT, "  unseen 7–9, 3-way 1-shot     %.3f        %.3f    %.3f%n", ev.unseen().accuracy(),
                ev.unseenPixels().accuracy(), 1.0 / 3);
        out.printf(Locale.ROOT, "  all ten, 10-way 1-shot       %.3f        %.3f    %.3f%n", ev.all().accuracy(),
                ev.allPixels().accuracy(), 0.1);
        out.printf(Locale.ROOT, "  verification AUC (unseen)    %.3f        %.3f    0.500%n", ev.verification().auc(),
                ev.pixelRoc().auc());
        out.printf(Locale.ROOT, "  verification EER (unseen)    %.3f        %.3f    0.500%n", ev.verification().eer(),
                ev.pixelRoc().eer().rate());
        out.printf(Locale.ROOT, "  τ = %.4f (EER on validation pairs): test FAR %.3f, FRR %.3f%n", ev.tau(),
                ev.atTau().far(), ev.atTau().frr());
        out.printf(Locale.ROOT, "  gallery, 1 image per class: %.3f of the other test images named right, %.3f within τ%n",
                ev.galleryAccuracy(), ev.galleryKnown());
        for (DemoEvaluation.Example e : ev.examples()) {
            StringBuilder sb = new StringBuilder();
            for (Match m : e.top()) {
                sb.append(String.format(Locale.ROOT, "  %s %.3f%s", m.nearest(), m.score(), m.known() ? "" : " (>τ)"));
            }
            out.printf(Locale.ROOT, "  identify test #%d (%s) →%s%n", e.index(), e.truth(), sb);
        }
        out.println("  report: " + dir.resolve("report.html"));
    }
}
