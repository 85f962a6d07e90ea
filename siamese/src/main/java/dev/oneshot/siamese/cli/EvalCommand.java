package dev.oneshot.siamese.cli;

import dev.oneshot.siamese.json.Json;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.eval.OmniglotRuns;
import dev.oneshot.siamese.eval.OneShotEpisodes;

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
                                    | --omniglot-runs PATH) [--json]
                  Draws E episodes from the held-out test classes of SPEC (the class-disjoint split the model
                  was trained with: Fashion-MNIST classes 7–9 of the test file; otherwise the split seed stored
                  in the model). A query gets the class of its nearest support example (squared L2); the raw-pixel
                  nearest neighbour is scored on the very same episodes.
                  --queries Q  queries per class per episode (default 5)
                  --seed S     episode seed (default 1)
                  --json       {"accuracy", "ci95", "baseline_accuracy", "baseline_ci95", "episodes", "way", "shot", "queries"}
                  --omniglot-runs PATH  Lake et al.'s one-shot runs (runNN/training/classNN.png, runNN/test/itemNN.png,
                               runNN/class_labels.txt; a folder or a zip): 20-way accuracy per run and overall,
                               beside raw pixels; --json {"accuracy", "ci95", "baseline_accuracy", "runs", "items", ...}
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("model", "data", "way", "shot", "episodes", "queries", "seed", "omniglot-runs"),
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

        ModelIO.Loaded model = ModelIO.load(modelFile);
        err.println("loading " + data.text() + " at " + model.imageSize() + "×" + model.imageSize() + " ...");
        DataSpec.Parts parts = data.load(model.imageSize(), model.splitSeed());
        LabeledImages test = parts.test();
        OneShotEpisodes eps = OneShotEpisodes.draw(test, way, shot, queries, episodes, seed);
        err.println("embedding " + test.size() + " held-out images of " + test.classCount() + " classes ...");
        OneShotEpisodes.Score learned = eps.score(Embedder.embed(model.net(), test));
        OneShotEpisodes.Score pixels = eps.score(Embedder.pixels(test));
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
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "%d-way %d-shot, %d episodes (%d queries) on %d held-out classes of %s%n", way, shot,
                    episodes, learned.queries(), test.classCount(), data.text());
            out.printf(Locale.ROOT, "  model       accuracy %.3f ± %.3f (95%% CI)%n", learned.accuracy(), learned.ci95());
            out.printf(Locale.ROOT, "  raw pixels  accuracy %.3f ± %.3f (same episodes)%n", pixels.accuracy(), pixels.ci95());
            out.printf(Locale.ROOT, "  chance      %.3f%n", 1.0 / way);
        }
        return Main.OK;
    }

    /** Lake et al.'s runs: each test item goes to the nearest of the run's 20 training images. */
    private static int runOmniglotRuns(Path modelFile, Path runsPath, boolean json, PrintStream out, PrintStream err)
            throws Exception {
        ModelIO.Loaded model = ModelIO.load(modelFile);
        ImageOptions options = ImageOptions.square(model.imageSize()).inverted(model.invert());
        err.println("reading Omniglot runs from " + runsPath + " at " + model.imageSize() + "×" + model.imageSize() + " ...");
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
