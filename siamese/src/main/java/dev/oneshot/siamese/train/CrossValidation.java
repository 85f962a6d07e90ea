package dev.oneshot.siamese.train;

import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.FeaturePairs;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.eval.OpenSetEvaluation;
import dev.oneshot.siamese.eval.Roc;
import dev.oneshot.siamese.recipe.Recipe;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * "How well will this work on <em>my</em> people?": identity cross-validation. The classes of the
 * data (people, characters, alphabets) are cut into K disjoint folds ({@link DataSource#folds});
 * for each fold a model is trained with the recipe on every other class and scored on the
 * fold's classes — N-way S-shot episodes, beside the raw-pixel nearest neighbour on the very
 * same episodes; verification (the ROC AUC of every pair of the first {@link #PAIR_IMAGES} images
 * per held-out class, fewer when the fold has many classes: same class or not); and optionally the open-set figures. The figures are reported per fold and as
 * mean ± standard deviation over folds: with few classes, which classes are new is what makes a
 * figure vary, so the error bar comes from folds, not from the queries of one split.
 *
 * <pre>{@code
 * CrossValidation.Result r = CrossValidation.of(Recipes.faces(), DataSource.parse("orl:faces.zip"))
 *         .folds(4).episodes(300, 10, 1).run();
 * r.mean(); r.sd(); r.folds().get(2).accuracy();
 * }</pre>
 */
public final class CrossValidation {
    /** Images per held-out class whose pairs score verification (the first ones, in data order)... */
    public static final int PAIR_IMAGES = 300;
    /** ... and at most this many in all (at least 2 per class): about 4.5 million pairs. */
    public static final int PAIR_IMAGES_IN_ALL = 3000;
    private final Recipe recipe;
    private final DataSource data;
    private int folds = 4;
    private int way = 5;
    private int shot = 1;
    private int queries = 5;
    private int episodes = 300;
    private int trials;
    private long seed = 42;
    private int steps;
    private Duration budgetPerFold = Duration.ZERO;
    private WarmStart warmStart;
    private TrainingListener listener = TrainingListener.NONE;
    private Consumer<String> log = line -> { };

    private CrossValidation(Recipe recipe, DataSource data) {
        this.recipe = recipe;
        this.data = data;
    }

    /** Cross-validation of {@code recipe} on every class of {@code data}: 4 folds, 5-way 1-shot, 300 episodes. */
    public static CrossValidation of(Recipe recipe, DataSource data) {
        if (recipe == null || data == null) {
            throw new IllegalArgumentException("CrossValidation: recipe and data must not be null");
        }
        return new CrossValidation(recipe, data);
    }

    public CrossValidation folds(int k) {
        this.folds = k;
        return this;
    }

    /** N-way S-shot episodes with {@code queriesPerClass} queries, {@code count} per fold. */
    public CrossValidation episodes(int count, int n, int s, int queriesPerClass) {
        this.episodes = count;
        this.way = n;
        this.shot = s;
        this.queries = queriesPerClass;
        return this;
    }

    /** Open-set trials per fold (half the fold's classes enrolled from {@code shot} photos, the rest strangers); 0: none. */
    public CrossValidation openSetTrials(int t) {
        this.trials = t;
        return this;
    }

    /** Seeds the folds' cut, every training run and the episodes. */
    public CrossValidation seed(long s) {
        this.seed = s;
        return this;
    }

    /** Exactly {@code n} steps per fold instead of the recipe's. */
    public CrossValidation steps(int n) {
        this.steps = n;
        return this;
    }

    /** A wall-clock budget per fold (the recipe's schedule laid over it, as {@link TrainingRun#budget}). */
    public CrossValidation budgetPerFold(Duration d) {
        this.budgetPerFold = d;
        return this;
    }

    public CrossValidation listener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /** Every fold's networks start from {@code w}'s weights ({@link TrainingRun#startingFrom}). */
    public CrossValidation startingFrom(WarmStart w) {
        this.warmStart = w;
        return this;
    }

    public CrossValidation log(Consumer<String> sink) {
        this.log = sink;
        return this;
    }

    /**
     * One fold: which classes it held out, and the scores on them — episode accuracy, and
     * verification AUC over pairs of held-out images (0.5 is chance), each beside raw pixels'.
     */
    public record Fold(int index, String heldOut, int classes, double accuracy, double baselineAccuracy,
                       double auc, double baselineAuc, OpenSetEvaluation.Report openSet,
                       OpenSetEvaluation.Report baselineOpenSet, TrainingResult training) {
    }

    /**
     * Every fold, and over the folds the mean and the sample standard deviation (n − 1) of the
     * model's accuracy and of raw pixels', and the mean and deviation of the verification AUC.
     */
    public record Result(List<Fold> folds, double mean, double sd, double baselineMean, double baselineSd,
                         double aucMean, double aucSd, double baselineAucMean) {
        /** In how many folds the model beat raw pixels. */
        public int foldsAbovePixels() {
            return (int) folds.stream().filter(f -> f.accuracy() > f.baselineAccuracy()).count();
        }
    }

    /** Loads the data once at the recipe's input, trains and scores every fold. */
    public Result run() throws IOException {
        log.accept("loading " + data.spec() + " at " + recipe.input().display() + " ...");
        LabeledImages all = data.load(recipe.input().imageOptions(), DataSource.Use.TRAINING);
        List<DataSource.Fold> cut = data.folds(all, folds, seed);
        List<Fold> out = new ArrayList<>();
        for (int f = 0; f < cut.size(); f++) {
            DataSource.Fold fold = cut.get(f);
            int[] rest = IntStream.range(0, all.classCount())
                    .filter(c -> java.util.Arrays.binarySearch(fold.classes(), c) < 0).toArray();
            LabeledImages train = Subset.ofClasses(all, rest);
            LabeledImages test = Subset.ofClasses(all, fold.classes());
            log.accept(String.format(Locale.ROOT, "fold %d of %d: holding out %s", f + 1, cut.size(), fold.description()));
            TrainingRun run = TrainingRun.of(recipe, data).seed(seed).listener(listener).log(log)
                    .describedAs(data.spec() + " without fold " + (f + 1) + " of " + cut.size()).startingFrom(warmStart);
            if (steps > 0) {
                run.steps(steps);
            }
            if (!budgetPerFold.isZero()) {
                run.budget(budgetPerFold);
            }
            TrainingRun.Trained t = run.runOn(train);
            OneShotEpisodes eps = OneShotEpisodes.draw(test, Math.min(way, test.classCount()), shot, queries, episodes,
                    seed + 1);
            Embedder.Features learned = Embedder.embed(t.model(), test);
            Embedder.Features pixels = Embedder.pixels(test);
            OpenSetEvaluation.Report openLearned = null;
            OpenSetEvaluation.Report openPixels = null;
            if (trials > 0 && test.classCount() >= 3) {
                OpenSetEvaluation open = OpenSetEvaluation.draw(test, test.classCount() / 2, shot, trials, seed + 2);
                openLearned = open.evaluate(learned);
                openPixels = open.evaluate(pixels);
            }
            Subset pairSet = Subset.firstPerClass(test,
                    Math.max(2, Math.min(PAIR_IMAGES, PAIR_IMAGES_IN_ALL / test.classCount())));
            int[] rows = pairSet.parentIndices();
            Fold done = new Fold(f + 1, fold.description(), test.classCount(), eps.score(learned).accuracy(),
                    eps.score(pixels).accuracy(), pairAuc(learned.rows(rows), pairSet),
                    pairAuc(pixels.rows(rows), pairSet), openLearned, openPixels, t.result());
            log.accept(String.format(Locale.ROOT, "fold %d: model %.3f, raw pixels %.3f (%d-way %d-shot on %d classes); "
                    + "verification AUC %.3f, raw pixels %.3f", f + 1, done.accuracy(), done.baselineAccuracy(),
                    Math.min(way, test.classCount()), shot, test.classCount(), done.auc(), done.baselineAuc()));
            out.add(done);
        }
        double[] acc = out.stream().mapToDouble(Fold::accuracy).toArray();
        double[] base = out.stream().mapToDouble(Fold::baselineAccuracy).toArray();
        double[] auc = out.stream().mapToDouble(Fold::auc).toArray();
        double[] baseAuc = out.stream().mapToDouble(Fold::baselineAuc).toArray();
        return new Result(List.copyOf(out), mean(acc), sd(acc), mean(base), sd(base), mean(auc), sd(auc), mean(baseAuc));
    }

    /** ROC AUC of squared distances over all pairs of {@code set} (genuine: same class); NaN without both kinds. */
    private static double pairAuc(Embedder.Features features, LabeledImages set) {
        FeaturePairs.Scores pairs = FeaturePairs.all(features, set);
        if (pairs.genuine().length == 0 || pairs.impostor().length == 0) {
            return Double.NaN;
        }
        return Roc.of(pairs.genuine(), pairs.impostor()).auc();
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** The sample standard deviation (n − 1); 0 for one value. */
    static double sd(double[] x) {
        if (x.length < 2) {
            return 0;
        }
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }
}
