package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.eval.OpenSetEvaluation;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.CrossValidation;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code oneshot crossval}: K models, each without one fold of the classes, scored on that fold beside raw pixels. */
final class CrossvalCommand implements Command {
    static final Option<DataSource> DATA = CommonOptions.data("the classes to cross-validate over (people, characters)").required();
    static final Option<String> RECIPE = Option.text("recipe", "NAME|FILE", "a built-in recipe or a recipe JSON file").defaultsTo("by the data, as train");
    static final Option<Integer> FOLDS = Option.integer("folds", "K", 2, 1000, "disjoint groups of classes; each is held out once").required();
    static final Option<Integer> WAY = Option.integer("way", "N", 2, 10_000, "classes per episode (at most the fold's)").required();
    static final Option<Integer> SHOT = Option.integer("shot", "S", 1, 10_000, "support images per class").required();
    static final Option<Integer> EPISODES = Option.integer("episodes", "E", 1, 10_000_000, "episodes per fold").orElse(300);
    static final Option<Integer> QUERIES = Option.integer("queries", "Q", 1, 10_000, "queries per class per episode").orElse(5);
    static final Option<Integer> TRIALS = Option.integer("trials", "T", 0, 1_000_000, "open-set trials per fold: half the fold enrolled, the rest strangers; DIR at FAR 1 % and 10 % (0: none)").orElse(0);
    static final Option<Integer> STEPS = Option.integer("steps", "N", 1, 100_000_000, "steps per fold").defaultsTo("the recipe's");
    static final Option<Double> MINUTES = Option.number("max-minutes-per-fold", "M", 0.05, "a budget per fold; without --steps the recipe's schedule is laid over it");
    static final Option<Long> SEED = Option.longInteger("seed", "S", "the folds' cut (where drawn), training, episodes").orElse(42L);

    @Override
    public String name() {
        return "crossval";
    }

    @Override
    public String summary() {
        return "how well a recipe works on classes it never saw: K folds, each held out once, beside raw pixels";
    }

    @Override
    public Options options() {
        return new Options("--data SPEC --folds K --way N --shot S [--recipe NAME|FILE] [--episodes E] [--queries Q] "
                + "[--trials T] [--steps N] [--max-minutes-per-fold M] [--seed S] [--init FILE] [--json]", """
                Cuts the classes of SPEC into K disjoint folds (ORL: consecutive people by number; Omniglot: whole
                alphabets; otherwise drawn with the seed), trains K models with the recipe, each on every class but
                one fold's, and scores that fold N-way S-shot beside the raw-pixel nearest neighbour on the same
                episodes, and verification (ROC AUC over pairs of the fold's images: same class or not) beside
                raw pixels. Prints every fold and the mean ± standard deviation over folds: the error bar when
                classes are few. JSON: {"folds":[{"fold","held_out","classes","accuracy","baseline_accuracy","auc",
                "baseline_auc",...}],"mean","sd","baseline_mean","baseline_sd","folds_above_baseline","auc_mean",
                "auc_sd","baseline_auc_mean",...}.
                """, List.of(DATA, FOLDS, WAY, SHOT, RECIPE, EPISODES, QUERIES, TRIALS, STEPS, MINUTES, SEED,
                CommonOptions.INIT, CommonOptions.JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        DataSource data = a.get(DATA);
        Recipe recipe = a.has(RECIPE) ? Recipes.resolve(a.get(RECIPE)) : Recipes.forData(data.kind());
        CrossValidation cv = CrossValidation.of(recipe, data).folds(a.get(FOLDS))
                .episodes(a.get(EPISODES), a.get(WAY), a.get(SHOT), a.get(QUERIES)).openSetTrials(a.get(TRIALS))
                .seed(a.get(SEED)).log(err::println).startingFrom(CommonOptions.warmStart(a));
        if (a.has(STEPS)) {
            cv.steps(a.get(STEPS));
        }
        if (a.has(MINUTES)) {
            cv.budgetPerFold(Duration.ofMillis(Math.round(a.get(MINUTES) * 60_000)));
        }
        CrossValidation.Result r = cv.run();
        if (a.get(CommonOptions.JSON)) {
            List<Object> folds = new ArrayList<>();
            for (CrossValidation.Fold f : r.folds()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("fold", f.index());
                o.put("held_out", f.heldOut());
                o.put("classes", f.classes());
                o.put("accuracy", f.accuracy());
                o.put("baseline_accuracy", f.baselineAccuracy());
                o.put("auc", f.auc());
                o.put("baseline_auc", f.baselineAuc());
                if (f.openSet() != null) {
                    o.put("open_set", openSet(f.openSet()));
                    o.put("baseline_open_set", openSet(f.baselineOpenSet()));
                }
                o.put("steps", f.training().steps());
                o.put("stopped_by", f.training().stoppedBy());
                folds.add(o);
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("folds", folds);
            o.put("mean", r.mean());
            o.put("sd", r.sd());
            o.put("baseline_mean", r.baselineMean());
            o.put("baseline_sd", r.baselineSd());
            o.put("folds_above_baseline", r.foldsAbovePixels());
            o.put("auc_mean", r.aucMean());
            o.put("auc_sd", r.aucSd());
            o.put("baseline_auc_mean", r.baselineAucMean());
            o.put("recipe", recipe.name());
            o.put("data", data.spec());
            o.put("way", a.get(WAY));
            o.put("shot", a.get(SHOT));
            o.put("episodes", a.get(EPISODES));
            out.println(Json.write(o));
            return Main.OK;
        }
        out.printf(Locale.ROOT, "%d-fold cross-validation of recipe %s on %s, %d-way %d-shot, %d episodes per fold%n",
                r.folds().size(), recipe.name(), data.spec(), a.get(WAY), a.get(SHOT), a.get(EPISODES));
        for (CrossValidation.Fold f : r.folds()) {
            out.printf(Locale.ROOT, "  fold %d  model %.3f  raw pixels %.3f  AUC %.3f vs %.3f  (%s)%s%n", f.index(),
                    f.accuracy(), f.baselineAccuracy(), f.auc(), f.baselineAuc(), f.heldOut(), f.openSet() == null ? "" : "  DIR @ FAR 1 %: " + dir(f.openSet(), 0)
                            + " vs " + dir(f.baselineOpenSet(), 0) + ", @ 10 %: " + dir(f.openSet(), 1) + " vs "
                            + dir(f.baselineOpenSet(), 1));
        }
        out.printf(Locale.ROOT, "  mean  model %.3f ± %.3f  raw pixels %.3f ± %.3f  AUC %.3f ± %.3f vs %.3f  "
                + "(± = standard deviation over folds); the model beat raw pixels in %d of %d folds%n", r.mean(), r.sd(),
                r.baselineMean(), r.baselineSd(), r.aucMean(), r.aucSd(), r.baselineAucMean(), r.foldsAbovePixels(),
                r.folds().size());
        return Main.OK;
    }

    private static Object openSet(OpenSetEvaluation.Report r) {
        return Json.parse(r.toJson().toString());
    }

    private static String dir(OpenSetEvaluation.Report r, int point) {
        return String.format(Locale.ROOT, "%.3f", r.points().get(point).dir());
    }
}
