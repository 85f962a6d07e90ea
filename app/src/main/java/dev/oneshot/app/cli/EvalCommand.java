package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OmniglotRuns;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.eval.OpenSetEvaluation;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;



/** {@code oneshot eval}: N-way K-shot episodes on every class of the data, beside the raw-pixel baseline on the same episodes. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "N-way K-shot evaluation on every class of the data beside the raw-pixel baseline";
    }

    static final Option<DataSource> DATA = CommonOptions.data("every class of it is scored (IDX data: the test file)");
    static final Option<Integer> WAY = Option.integer("way", "N", 2, 10_000, "classes per episode");
    static final Option<Integer> SHOT = Option.integer("shot", "K", 1, 10_000, "support images per class");
    static final Option<Integer> EPISODES = Option.integer("episodes", "E", 1, 10_000_000, "episodes drawn");
    static final Option<Integer> QUERIES = Option.integer("queries", "Q", 1, 10_000, "queries per class per episode").orElse(5);
    static final Option<Integer> ENROLLED = Option.integer("enrolled", "N", 2, 1_000_000, "open set: classes enrolled per trial; the others are strangers").defaultsTo("half the classes");
    static final Option<Integer> TRIALS = Option.integer("trials", "T", 0, 1_000_000, "open-set trials (0: none)").orElse(200);
    static final Option<Path> RUNS = Option.of("omniglot-runs", "PATH", "instead of --data: Lake et al.'s 20-way runs (runNN/training/classNN.png, runNN/test/itemNN.png, runNN/class_labels.txt; a folder or zip), per run and overall", Path::of);

    @Override
    public Options options() {
        return new Options("--model FILE (--data SPEC --way N --shot K --episodes E [--queries Q] [--seed S] "
                + "[--enrolled N] [--trials T] | --omniglot-runs PATH) [--json]", """
                Draws E N-way K-shot episodes from every class of SPEC (name a part explicitly, e.g.
                fashion-mnist:unseen or orl:faces.zip:people=31-40). A query gets the class of its nearest
                support image (squared L2); the raw-pixel nearest neighbour is scored on the very same episodes.
                Open set (the gallery scenario): in each of T trials N classes are enrolled with K photos each and
                the others are strangers; reported are rank-1 and the detection-and-identification rate DIR at a
                false-accept rate of 1 % and 10 %, with the τ that gives each, for the model and for raw pixels.
                JSON: {"accuracy","ci95","baseline_accuracy","baseline_ci95","episodes","way","shot","queries",
                "classes","open_set":{...},"baseline_open_set":{...}}.
                """, List.of(CommonOptions.MODEL, DATA, WAY, SHOT, EPISODES, QUERIES, CommonOptions.SEED, ENROLLED,
                TRIALS, RUNS, CommonOptions.JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        boolean json = a.get(CommonOptions.JSON);
        if (a.has(RUNS)) {
            if (a.has(DATA)) {
                throw new Options.UsageException("give either --data or --omniglot-runs, not both");
            }
            return runOmniglotRuns(a.get(CommonOptions.MODEL), a.get(RUNS), json, out, err);
        }
        for (Option<?> o : List.of(DATA, WAY, SHOT, EPISODES)) {
            if (!a.has(o)) {
                throw new Options.UsageException("missing required option --" + o.name + " (or --omniglot-runs)");
            }
        }
        DataSource data = a.get(DATA);
        int way = a.get(WAY);
        int shot = a.get(SHOT);
        int episodes = a.get(EPISODES);
        int queries = a.get(QUERIES);
        long seed = a.get(CommonOptions.SEED);
        int trials = a.get(TRIALS);

        SiameseModel model = CommonOptions.model(a);
        err.println("loading " + data.spec() + " at " + model.card().input().display() + " ...");
        LabeledImages test = data.load(model.card().input().imageOptions(), DataSource.Use.EVALUATION);
        OneShotEpisodes eps = OneShotEpisodes.draw(test, way, shot, queries, episodes, seed);
        err.println("embedding " + test.size() + " images of " + test.classCount() + " classes ...");
        Embedder.Features learnedFeatures = Embedder.embed(model, test);
        Embedder.Features pixelFeatures = Embedder.pixels(test);
        OneShotEpisodes.Score learned = eps.score(learnedFeatures);
        OneShotEpisodes.Score pixels = eps.score(pixelFeatures);
        int enrolled = a.has(ENROLLED) ? a.get(ENROLLED) : test.classCount() / 2;
        OpenSetEvaluation open = null;
        if (a.has(ENROLLED) && enrolled >= test.classCount()) {
            throw new Options.UsageException("--enrolled " + enrolled + " leaves no stranger among the "
                    + test.classCount() + " classes");
        }
        if (trials > 0 && enrolled >= 2 && enrolled < test.classCount()) {
            try {
                open = OpenSetEvaluation.draw(test, enrolled, shot, trials, seed);
            } catch (IllegalArgumentException e) {
                if (a.has(ENROLLED) || a.has(TRIALS)) {
                    throw e;
                }
                err.println("no open-set figures: " + e.getMessage());
            }
        } else if (trials > 0) {
            err.println("no open-set figures: " + test.classCount() + " classes are too few for 2 enrolled "
                    + "and 1 stranger");
        }
        OpenSetEvaluation.Report openLearned = open == null ? null : open.evaluate(learnedFeatures);
        OpenSetEvaluation.Report openPixels = open == null ? null : open.evaluate(pixelFeatures);
        if (json) {
            Map<String, Object> o = scores(learned.accuracy(), learned.ci95(), pixels.accuracy(), pixels.ci95());
            o.put("episodes", episodes);
            o.put("way", way);
            o.put("shot", shot);
            o.put("queries", learned.queries());
            o.put("classes", test.classCount());
            o.put("model", a.get(CommonOptions.MODEL).toString());
            o.put("data", data.spec());
            String text = Json.write(o);
            if (open != null) {
                text = text.substring(0, text.length() - 1)
                        + ",\"open_set\":" + openSetJson(open, openLearned)
                        + ",\"baseline_open_set\":" + openSetJson(open, openPixels) + "}";
            }
            out.println(text);
        } else {
            out.printf(Locale.ROOT, "%d-way %d-shot, %d episodes (%d queries) on %d classes of %s%n", way, shot,
                    episodes, learned.queries(), test.classCount(), data.spec());
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

    /** The JSON's first keys: the model's accuracy and the raw-pixel baseline's, each with its 95 % half-width. */
    private static Map<String, Object> scores(double accuracy, double ci95, double baseline, double baselineCi95) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("accuracy", accuracy);
        o.put("ci95", ci95);
        o.put("baseline_accuracy", baseline);
        o.put("baseline_ci95", baselineCi95);
        return o;
    }

    /** Lake et al.'s runs: each test item goes to the nearest of the run's 20 training images. */
    private static int runOmniglotRuns(Path modelFile, Path runsPath, boolean json, PrintStream out, PrintStream err)
            throws Exception {
        SiameseModel model = SiameseModel.load(modelFile);
        err.println("reading Omniglot runs from " + runsPath + " at " + model.card().input().display() + " ...");
        OmniglotRuns runs = OmniglotRuns.read(runsPath, model.card().input().imageOptions());
        OmniglotRuns.Score learned = runs.evaluate(OmniglotRuns.embeddings(model.twin()));
        OmniglotRuns.Score pixels = runs.evaluate(OmniglotRuns.pixels());
        if (json) {
            Map<String, Object> o = scores(learned.accuracy(), learned.ci95(), pixels.accuracy(), pixels.ci95());
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
