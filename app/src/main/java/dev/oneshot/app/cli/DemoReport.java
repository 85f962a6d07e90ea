package dev.oneshot.app.cli;

import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.app.report.DemoPlots;
import dev.oneshot.app.report.NeighbourStrips;
import dev.oneshot.app.report.Pca;
import dev.oneshot.app.report.ReportHtml;
import dev.oneshot.app.report.ReportHtml.Figure;
import dev.oneshot.app.report.TrainingLog;
import dev.oneshot.siamese.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's results.json content, its plots and report.html. */
final class DemoReport {
    /** The PNGs every demo run writes, in report order. */
    static final List<String> PLOTS = List.of("training.png", "distances.png", "histogram.png", "roc.png", "pca.png",
            "neighbours.png");

    private DemoReport() {
    }

    static Map<String, Object> results(DemoEvaluation ev, TrainingResult r, long seed, Map<String, Object> config) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("unseen", episodes(ev.unseen(), ev.unseenPixels(), 3, config));
        o.put("all", episodes(ev.all(), ev.allPixels(), 10, config));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("auc", ev.verification().auc());
        v.put("eer", ev.verification().eer());
        v.put("baseline_auc", ev.pixelRoc().auc());
        v.put("baseline_eer", ev.pixelRoc().eer().rate());
        v.put("far_at_tau", ev.atTau().far());
        v.put("frr_at_tau", ev.atTau().frr());
        v.put("accuracy_at_tau", ev.atTau().accuracy());
        v.put("genuine_pairs", ev.verification().genuinePairs());
        v.put("impostor_pairs", ev.verification().impostorPairs());
        v.put("classes", DemoEvaluation.UNSEEN);
        o.put("verification", v);
        o.put("tau", ev.tau());
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("enrolled_per_class", 1);
        g.put("identities", ev.gallery().identities().size());
        g.put("accuracy", ev.galleryAccuracy());
        g.put("known_fraction", ev.galleryKnown());
        List<Object> examples = new ArrayList<>();
        for (DemoEvaluation.Example e : ev.examples()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("test_index", e.index());
            x.put("truth", e.truth());
            Match best = e.top().get(0);
            x.put("identity", best.identity());
            x.put("nearest", best.nearest());
            x.put("distance", (double) best.score());
            examples.add(x);
        }
        g.put("examples", examples);
        o.put("gallery", g);
        o.put("train_seconds", r.seconds());
        o.put("steps", r.steps());
        o.put("stop_reason", r.reason().name().toLowerCase(Locale.ROOT));
        o.put("seed", seed);
        o.put("config", config);
        return o;
    }

    private static Map<String, Object> episodes(OneShotEpisodes.Score m, OneShotEpisodes.Score p, int way,
                                                Map<String, Object> config) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("way", way);
        o.put("shot", 1);
        o.put("episodes", config.get("episodes"));
        o.put("queries", m.queries());
        o.put("accuracy", m.accuracy());
        o.put("ci95", m.ci95());
        o.put("baseline_accuracy", p.accuracy());
        o.put("baseline_ci95", p.ci95());
        return o;
    }

    static void write(Path dir, DemoEvaluation ev, TrainingLog log, DemoData data, Recipe recipe,
                      Map<String, Object> results) throws IOException {
        Objective objective = recipe.objective();
        Objective.Triplet triplet = objective instanceof Objective.Triplet t ? t : null;
        double margin = triplet == null ? Double.NaN : triplet.options().margin();
        if (triplet != null) {
            DemoPlots.training(log, "Triplet loss per step (mean over active triplets)",
                    "Active triplets (loss > 0) / valid triplets", dir.resolve("training.png"));
        } else {
            DemoPlots.training(log, "Loss per step (" + objective.kind() + ")",
                    "Triplets out of order (d(A,N) ≤ d(A,P)) / valid triplets", dir.resolve("training.png"));
        }
        DemoPlots.distances(log, margin, dir.resolve("distances.png"));
        DemoPlots.histogram(ev.testPairs().genuine(), ev.testPairs().impostor(), ev.tau(),
                "Test-pair distances, unseen classes 7–9", dir.resolve("histogram.png"));
        DemoPlots.roc(ev.roc(), ev.pixelRoc(), dir.resolve("roc.png"));
        Subset sample = Subset.firstPerClass(data.test(), 100);
        Embedder.Features sf = ev.testFeatures().rows(sample.parentIndices());
        int[] labels = new int[sample.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.test().label(sample.parentIndex(i));
        }
        String[] names = new String[data.test().classCount()];
        boolean[] unseen = new boolean[names.length];
        for (int c = 0; c < names.length; c++) {
            names[c] = data.test().className(c);
            unseen[c] = c >= DemoEvaluation.SEEN.length;
        }
        DemoPlots.pca(Pca.project(sf.values(), sf.rows(), sf.dim()), labels, names, unseen, dir.resolve("pca.png"));
        int[][] byClass = data.test().indicesByClass();
        int[] queries = {byClass[7][2], byClass[8][2], byClass[9][2], byClass[0][2], byClass[4][2], byClass[6][2]};
        NeighbourStrips.draw(data.test(), ev.testFeatures(), queries, 5, dir.resolve("neighbours.png"));

        Map<?, ?> un = (Map<?, ?>) results.get("unseen");
        Map<?, ?> all = (Map<?, ?>) results.get("all");
        List<String[]> rows = List.of(
                row("data", data.source()),
                row("training", String.format(Locale.ROOT, "%s steps, %.0f s, seed %s", results.get("steps"),
                        (Double) results.get("train_seconds"), results.get("seed"))),
                row("unseen classes 7–9, 3-way 1-shot", pair(un.get("accuracy"), un.get("baseline_accuracy"))),
                row("all ten classes, 10-way 1-shot", pair(all.get("accuracy"), all.get("baseline_accuracy"))),
                row("verification AUC / EER (unseen test pairs)", String.format(Locale.ROOT,
                        "%.3f / %.3f (raw pixels %.3f / %.3f)", ev.verification().auc(), ev.verification().eer(),
                        ev.pixelRoc().auc(), ev.pixelRoc().eer().rate())),
                row("τ (EER on validation pairs)", String.format(Locale.ROOT, "%.4f: test FAR %.3f, FRR %.3f",
                        ev.tau(), ev.atTau().far(), ev.atTau().frr())),
                row("gallery (1 image per class)", String.format(Locale.ROOT,
                        "%.3f of the other test images named right", ev.galleryAccuracy())));
        List<Figure> figs = List.of(
                triplet != null
                        ? new Figure("training.png", "Training: loss and active triplets", "Left: the "
                                + triplet.miner().name() + " triplet loss per step. It is the mean over the active "
                                + "triplets only, so it stays near the margin α while training works; progress shows on "
                                + "the right: the share of valid triplets in each batch that still violate the margin "
                                + "falls as the embedding separates the training classes.")
                        : new Figure("training.png", "Training: loss and triplets out of order", "Left: the loss per "
                                + "step (" + objective.kind() + "). Right: the share of each batch's triplets (anchor, "
                                + "positive, negative) whose negative lies no farther than the positive; it falls as "
                                + "the embedding separates the training classes."),
                new Figure("distances.png", "Positive and negative distances during training", "Mean squared "
                        + "distance of same-class pairs d(A,P) and different-class pairs d(A,N) in each batch"
                        + (triplet != null ? "; the grey line is d(A,P) + α: the loss is zero for triplets whose "
                        + "d(A,N) lies above it." : ".")),
                new Figure("histogram.png", "Genuine and impostor distances", "All pairs of test images of the "
                        + "never-seen classes 7–9: same-class (genuine) and different-class (impostor) distances. "
                        + "The dashed line is τ, chosen at the equal error rate on validation pairs."),
                new Figure("roc.png", "ROC", "True accept rate against false accept rate as τ sweeps, for the "
                        + "model and for raw pixels on the same pairs; the dot marks the model's equal error rate."),
                new Figure("pca.png", "Embedding space", "The test embeddings projected on their two principal "
                        + "axes (100 per class), coloured by class; triangles are classes the network never saw."),
                new Figure("neighbours.png", "Nearest neighbours", "Query test images and their five nearest "
                        + "other test images in embedding space with squared distances; green frame = same class."));
        ReportHtml.write(dir.resolve("report.html"), "oneshot demo: a Siamese network on Fashion-MNIST",
                "A small CNN twin network trained with " + recipe.lossText() + " on classes 0–6, evaluated on "
                        + "one-shot tasks including the never-seen classes 7–9 (Sneaker, Bag, Ankle boot).", rows, figs);
    }

    private static String[] row(String k, String v) {
        return new String[] {k, v};
    }

    private static String pair(Object model, Object pixels) {
        return String.format(Locale.ROOT, "%.3f (raw pixels %.3f)", (Double) model, (Double) pixels);
    }
}
