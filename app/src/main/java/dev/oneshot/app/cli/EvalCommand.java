package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.eval.OmniglotRuns;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.eval.OpenSetEvaluation;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code oneshot eval}: N-way K-shot episodes on held-out classes, beside the raw-pixel baseline on the same episodes. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "N-way K-shot evaluation on held-out classes beside the raw-pixel baseline";
    }

    @Override
    public String usage() {
        return """
                usage: oneshot eval --model FILE (--data SPEC --way N --shot K --episodes E [--queries Q] [--seed S]
                                    [--enrolled N] [--trials T] | --omniglot-runs PATH) [--json]
                  Draws E episodes from the held-out test classes of SPEC (the class-disjoint split the model
                  was trained with: Fashion-MNIST classes 7–9 of the test file; otherwise the split seed stored
                  in the model). A query gets the class of its nearest support example (squared L2); the raw-pixel
                  nearest neighbour is scored on the very same episodes.
                  --queries Q  queries per class per episode (default 5)
                  --seed S     episode seed (default 1)
                  Open set (the gallery scenario, when the held-out classes allow it): in each of T trials N of the
                  held-out classes are enrolled with K photos each and the others are strangers; reported are
                  rank-1 and the detection-and-identification rate DIR (an enrolled person's probe is accepted
                  and named correctly) at a false-accept rate (strangers accepted as someone) of 1 % and 10 %,
                  with the τ that gives each — for the model and for raw pixels.
                  --enrolled N  enrolled classes per trial, ≥ 2 and fewer than the held-out classes (default: half)
                  --trials T    open-set trials (default 200; 0 = none)
                  --json       {"accuracy", "ci95", "baseline_accuracy", "baseline_ci95", "episodes", "way", "shot", "queries",
                                "open_set":{"enrolled","trials","rank1","dir_at_far":[{"target_far","tau","far","dir"}],...},
                                "baseline_open_set":{...}}
                  --omniglot-runs PATH  Lake et al.'s one-shot runs (runNN/training/classNN.png, runNN/test/itemNN.png,
                               runNN/class_labels.txt; a folder or a zip): 20-way accuracy per run and overall,
                               beside raw pixels; --json {"accuracy", "ci95", "baseline_accuracy", "runs", "items", ...}
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("model", "data", "way", "shot", "episodes", "queries", "seed", "omniglot-runs",
                        "enrolled", "trials"),
                Set.of("json"));
        if (!a.positionals().isEmpty()) {
            throw new Args.UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        Path modelFile = Path.of(a.required("model"));
        if (a.has("omniglot-runs")) {
            if (a.has("data")) {
                throw new Args.UsageException("give either --data or --omniglot-runs, not both");
            }
            return runOmniglotRuns(modelFile, Path.of(a.required("omniglot-runs")), a.flag("json"), out, err);
        }
        DataSpec data = DataSpec.parse(a.required("data"));
        a.required("way");
        a.required("shot");
        a.required("episodes");
        int way = a.integer("way", 5, 2, 10_000);
        int shot = a.integer("shot", 1, 1, 10_000);
        int episodes = a.integer("episodes", 100, 1, 10_000_000);
        int queries = a.integer("queries", 5, 1, 10_000);
        long seed = a.longValue("seed", 1);
        int trials = a.integer("trials", DEFAULT_TRIALS, 0, 1_000_000);

        ModelIO.Loaded model = ModelIO.load(modelFile);
        err.println("loading " + data.text() + " at " + model.size().display() + " ...");
        DataSpec.Parts parts = data.load(model.size(), model.splitSeed());
        LabeledImages test = parts.test();
        OneShotEpisodes eps = OneShotEpisodes.draw(test, way, shot, queries, episodes, seed);
        err.println("embedding " + test.size() + " held-out images of " + test.classCount() + " classes ...");
        Embedder.Features learnedFeatures = Embedder.embed(model.net(), test);
        Embedder.Features pixelFeatures = Embedder.pixels(test);
        OneShotEpisodes.Score learned = eps.score(learnedFeatures);
        OneShotEpisodes.Score pixels = eps.score(pixelFeatures);
        int enrolled = a.integer("enrolled", test.classCount() / 2, 2, 1_000_000);
        OpenSetEvaluation open = null;
        if (a.has("enrolled") && enrolled >= test.classCount()) {
            throw new Args.UsageException("--enrolled " + enrolled + " leaves no stranger among the "
                    + test.classCount() + " held-out classes");
        }
        if (trials > 0 && enrolled >= 2 && enrolled < test.classCount()) {
            try {
                open = OpenSetEvaluation.draw(test, enrolled, shot, trials, seed);
            } catch (IllegalArgumentException e) {
                if (a.has("enrolled") || a.has("trials")) {
                    throw e;
                }
                err.println("no open-set figures: " + e.getMessage());
            }
        } else if (trials > 0) {
            err.println("no open-set figures: " + test.classCount() + " held-out classes are too few for 2 enrolled "
                    + "and 1 stranger");
        }
        OpenSetEvaluation.Report openLearned = open == null ? null : open.evaluate(learnedFeatures);
        OpenSetEvaluation.Report openPixels = open == null ? null : open.evaluate(pixelFeatures);
        if (a.flag("json")) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("accuracy", learned.accuracy());
            o.put("ci95", learned.ci95());
            o.put("baseline_accuracy", pixels.accuracy());
            o.put("baseline_ci95", pixels.ci95());
            o.put("episodes", episodes);
            o.put("way", way);
            o.put("shot", shot);
            o.put("queries", learned.queries());
            o.put("classes", test.classCount());
            o.put("model", modelFile.toString());
            o.put("data", data.text());
            String json = Json.write(o);
            if (open != null) {
                json = json.substring(0, json.length() - 1)
                        + ",\"open_set\":" + openSetJson(open, openLearned)
                        + ",\"baseline_open_set\":" + openSetJson(open, openPixels) + "}";
            }
            out.println(json);
        } else {
            out.printf(Locale.ROOT, "%d-way %d-shot, %d episodes (%d queries) on %d held-out classes of %s%n", way, shot,
                    episodes, learned.queries(), test.classCount(), data.text());
            out.printf(Locale.ROOT, "  model       accuracy %.3f ± %.3f (95%% CI)%n", learned.accuracy(), learned.ci95());
            out.printf(Locale.ROOT, "  raw pixels  accuracy %.3f ± %.3f (same episodes)%n", pixels.accuracy(), pixels.ci95());
            out.printf(Locale.ROOT, "  chance      %.3f%n", 1.0 / way);
            if (open != null) {
                out.printf(Locale.ROOT, "open set: %d trials, %d of %d classes enrolled with %d photo(s), the others strangers%n",
                        trials, enrolled, test.classCount(), shot);
                printOpenSet(out, "model      ", openLearned);
                printOpenSet(out, "raw pixels ", openPixels);
            }
        }
        return Main.OK;
    }

    static final int DEFAULT_TRIALS = 200;

    private static String openSetJson(OpenSetEvaluation open, OpenSetEvaluation.Report r) {
        String inner = r.toJson().toString();
        return "{\"enrolled\":" + open.enrolled() + ",\"shot\":" + open.shot() + ",\"trials\":" + open.trials().size()
                + "," + inner.substring(1);
    }

    private static void printOpenSet(PrintStream out, String who, OpenSetEvaluation.Report r) {
        out.printf(Locale.ROOT, "  %s rank-1 %.3f", who, r.rank1());
        for (OpenSetEvaluation.OperatingPoint p : r.points()) {
            out.printf(Locale.ROOT, "  DIR %.3f @ FAR %.0f%% (τ %s, FAR %.4f)", p.dir(), 100 * p.targetFar(),
                    p.tau() == Double.NEGATIVE_INFINITY ? "−∞: accept none" : VerifyCommand.fmt(p.tau()), p.far());
        }
        out.println();
    }

    /** Lake et al.'s runs: each test item goes to the nearest of the run's 20 training images. */
    private static int runOmniglotRuns(Path modelFile, Path runsPath, boolean json, PrintStream out, PrintStream err)
            throws Exception {
        ModelIO.Loaded model = ModelIO.load(modelFile);
        ImageOptions options = model.imageOptions();
        err.println("reading Omniglot runs from " + runsPath + " at " + model.size().display() + " ...");
        OmniglotRuns runs = OmniglotRuns.read(runsPath, options);
        OmniglotRuns.Score learned = runs.evaluate(OmniglotRuns.embeddings(model.net()));
        OmniglotRuns.Score pixels = runs.evaluate(OmniglotRuns.pixels());
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("accuracy", learned.accuracy());
            o.put("ci95", learned.ci95());
            o.put("baseline_accuracy", pixels.accuracy());
            o.put("baseline_ci95", pixels.ci95());
            o.put("runs", learned.runs());
            o.put("items", learned.items());
            o.put("per_run_accuracy", learned.perRun());
            o.put("model", modelFile.toString());
            o.put("omniglot_runs", runsPath.toString());
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "Omniglot one-shot runs: %d runs, %d test items (%s)%n", learned.runs(), learned.items(),
                    runsPath);
            for (int r = 0; r < learned.perRun().length; r++) {
                out.printf(Locale.ROOT, "  run %2d  model %.3f  raw pixels %.3f%n", r + 1, learned.perRun()[r],
                        pixels.perRun()[r]);
            }
            out.printf(Locale.ROOT, "  model       accuracy %.3f ± %.3f (95%% CI over runs)%n", learned.accuracy(),
                    learned.ci95());
            out.printf(Locale.ROOT, "  raw pixels  accuracy %.3f ± %.3f (same runs)%n", pixels.accuracy(), pixels.ci95());
        }
        return Main.OK;
    }
}
