package dev.oneshot.app.cli;

import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.persist.ModelFile;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import dev.oneshot.app.report.TrainingLog;
import dev.oneshot.siamese.train.SiameseTrainer;
import dev.oneshot.siamese.train.TrainerConfig;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code oneshot demo}: trains the small CNN twin network on Fashion-MNIST classes 0–6 (triplet
 * loss, batch-all mining, P×K = 7×16, Adam 1e-3, L2-normalised embeddings), then measures
 * ({@link DemoEvaluation}) and writes a run folder with the model, a gallery, results.json,
 * PNG plots and report.html ({@link DemoReport}).
 */
final class DemoCommand implements Command {
    static final int DEFAULT_STEPS = 600;
    /** On the 1,050 bundled training images more steps overfit: at 600 the unseen classes fall below raw pixels. */
    static final int DEFAULT_BUNDLED_STEPS = 100;
    static final double DEFAULT_MINUTES = 2.5;
    static final int DEFAULT_EPISODES = 500;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "train a small Siamese network on Fashion-MNIST and show what it learned (report.html)";
    }

    @Override
    public String usage() {
        return """
                usage: oneshot demo [--data bundled|fashion-mnist[:DIR]] [--steps N] [--max-minutes M] [--seed S] [--episodes E] [--out DIR] [--json]
                  Trains the small CNN twin network (triplet loss, batch-all mining, P×K = 7×16, Adam 1e-3) on
                  Fashion-MNIST classes 0–6, then: one-shot 3-way accuracy on the never-seen classes 7–9 and
                  10-way on all classes, each beside raw pixels on the same episodes; τ at the EER of validation
                  pairs; verification AUC/EER on test pairs; a gallery of one image per class. Prints a summary;
                  writes DIR/{model,gallery}.safetensors, results.json, *.png and report.html.
                  --data         default: the full set at /usr/share/datasets/fashion-mnist if present, else
                                 `bundled`, the 150 + 60 images per class shipped in the jar
                  --steps N      optimiser steps (default 600: about 2 minutes in all on 2 cores;
                                 100 on the bundled subset, which more steps overfit)
                  --max-minutes  training time budget (default 2.5; 0 = none)
                  --seed S       every random choice (default 42); same seed, same run
                  --episodes E   episodes per one-shot evaluation (default 500)
                  --out DIR      run folder (default runs/demo-<timestamp>)
                  --json         print results.json on stdout instead of the summary
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("data", "steps", "max-minutes", "seed", "episodes", "out"), Set.of("json"));
        if (!a.positionals().isEmpty()) {
            throw new Args.UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        int stepsOption = a.integer("steps", 0, 1, 10_000_000); // 0: absent, the default depends on the data
        double minutes = a.number("max-minutes", DEFAULT_MINUTES, 0);
        long seed = a.longValue("seed", 42);
        int episodes = a.integer("episodes", DEFAULT_EPISODES, 1, 1_000_000);
        Path dir = Path.of(a.string("out", "runs/demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        long t0 = System.nanoTime();
        DemoData data = DemoData.load(a.string("data", null));
        err.println("data: " + data.source() + " — " + data.train().size() + " training, " + data.test().size()
                + " test images");
        int steps = stepsOption > 0 ? stepsOption : data.isBundled() ? DEFAULT_BUNDLED_STEPS : DEFAULT_STEPS;

        Subset seen = Subset.ofClasses(data.train(), DemoEvaluation.SEEN);
        SmallCnnConfig c = SmallCnnConfig.demo().withSeed(seed);
        Sequential f = EmbeddingNets.smallCnn(c);
        TwinNetwork net = new TwinNetwork(f, true);
        // one step per "epoch": with no validation every epoch keeps its weights, so a time-budget stop loses nothing
        TrainerConfig cfg = TrainerConfig.DEFAULT.withBatch(7, 16).withEpochs(steps, 1).withMaxMinutes(minutes)
                .withValidation(5, 0, 1).withSeed(seed);
        err.printf(Locale.ROOT, "training on %d images of classes 0–6: %d steps (budget %s), batch-all triplets, α %.2f%n",
                seen.size(), steps, minutes > 0 ? minutes + " min" : "none", cfg.triplet().margin());
        TrainingLog log = new TrainingLog(err, steps, 10);
        TrainingResult r = new SiameseTrainer(net, new Adam(net.namedParameters(),
                Hyper.adam().withLr(TrainCommand.LEARNING_RATE)), null, null, log).fit(seen, null, cfg);
        if (r.reason() == TrainingResult.StopReason.NON_FINITE) {
            throw new IllegalStateException("training diverged: " + r.detail());
        }
        err.printf(Locale.ROOT, "trained %d steps in %.0f s (%s); evaluating ...%n", r.steps(), r.seconds(),
                r.reason().name().toLowerCase(Locale.ROOT));
        DemoEvaluation ev = DemoEvaluation.run(net, c.embeddingDim(), data, episodes, seed);

        Files.createDirectories(dir);
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put(ModelIO.SEED, Long.toString(seed));
        prov.put(ModelIO.SPLIT_SEED, Long.toString(seed));
        prov.put(ModelIO.LOSS, "triplet");
        prov.put(ModelIO.MINER, cfg.miner());
        prov.put(ModelIO.DATA, data.source());
        prov.put("steps", Long.toString(r.steps()));
        prov.put(ModelIO.IMAGE_SIZE, "28");
        prov.put(ModelIO.NORMALIZE, "true");
        prov.put(ModelIO.INVERT, "false");
        prov.put("batch", "7x16");
        prov.put("lr", Double.toString(TrainCommand.LEARNING_RATE));
        prov.put("tau", Double.toString(ev.tau()));
        prov.put("tau_criterion", "EER on validation pairs of classes 7-9 (training file)");
        ModelFile.save(dir.resolve("model.safetensors"), f, prov);
        GalleryFile.save(dir.resolve("gallery.safetensors"), ev.gallery());

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", data.source());
        config.put("steps", steps);
        config.put("max_minutes", minutes);
        config.put("episodes", episodes);
        config.put("batch", "7x16");
        config.put("miner", cfg.miner());
        config.put("margin", (double) cfg.triplet().margin());
        config.put("lr", TrainCommand.LEARNING_RATE);
        config.put("embedding_dim", c.embeddingDim());
        config.put("train_classes", DemoEvaluation.SEEN);
        config.put("unseen_classes", DemoEvaluation.UNSEEN);
        Map<String, Object> results = DemoReport.results(ev, r, seed, config);
        DemoReport.write(dir, ev, log, data, cfg.triplet().margin(), results);
        results.put("total_seconds", (System.nanoTime() - t0) / 1e9);
        String json = Json.write(results);
        Files.writeString(dir.resolve("results.json"), json + "\n", StandardCharsets.UTF_8);
        err.printf(Locale.ROOT, "done in %.0f s; report: %s%n", (System.nanoTime() - t0) / 1e9,
                dir.resolve("report.html"));
        if (a.flag("json")) {
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
