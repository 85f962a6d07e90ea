package dev.oneshot.siamese.train;

import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.Sequential;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.Provenance;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Validation;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains a model from a recipe and named data, end to end: load every class of the data at the
 * recipe's input, set validation classes apart (from {@link #validation(DataSource) the given
 * validation data}, else a class-disjoint part of the training data as the recipe says, else
 * none), build the network from the seed, train, and return the model with its card filled in
 * (recipe, provenance, what stopped training).
 *
 * <pre>{@code
 * TrainingRun.Trained t = TrainingRun.of(Recipes.faces(), DataSource.parse("orl:faces.zip:people=1-30"))
 *         .seed(7).budget(Duration.ofMinutes(2)).run();
 * t.model().save(Path.of("faces.safetensors"));
 * }</pre>
 *
 * <p>A {@link #budget} covers the whole of {@link #run}: loading, training and the last
 * validation; the recipe's schedule is laid over the time that is left after loading. Without a
 * budget the recipe's (or {@link #steps}) step count runs.
 */
public final class TrainingRun {
    /** The time kept back from a budget for what follows training (building the card, the caller's save). */
    static final Duration RESERVE = Duration.ofSeconds(1);

    private final Recipe recipe;
    private final DataSource data;
    private DataSource validationData;
    private long seed = 42;
    private int steps;
    private Duration budget = Duration.ZERO;
    private TrainerCheckpoints checkpoints;
    private TrainingListener listener = TrainingListener.NONE;
    private Consumer<String> log = line -> { };
    private String dataText;

    private TrainingRun(Recipe recipe, DataSource data) {
        if (recipe == null || data == null) {
            throw new IllegalArgumentException("TrainingRun: recipe and data must not be null");
        }
        this.recipe = recipe;
        this.data = data;
    }

    /** A run of {@code recipe} on every class of {@code data}, seed 42, the recipe's step count. */
    public static TrainingRun of(Recipe recipe, DataSource data) {
        return new TrainingRun(recipe, data);
    }

    /** Validation classes from other data (none of the training data is then set apart). */
    public TrainingRun validation(DataSource v) {
        this.validationData = v;
        return this;
    }

    public TrainingRun seed(long s) {
        this.seed = s;
        return this;
    }

    /** Exactly {@code n} steps instead of the recipe's. */
    public TrainingRun steps(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("TrainingRun: steps must be ≥ 1, got " + n);
        }
        this.steps = n;
        return this;
    }

    /** A wall-clock budget for the whole run; without {@link #steps}, training runs for it. */
    public TrainingRun budget(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("TrainingRun: the budget must be positive, got " + d);
        }
        this.budget = d;
        return this;
    }

    public TrainingRun checkpoints(TrainerCheckpoints c) {
        this.checkpoints = c;
        return this;
    }

    public TrainingRun listener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /** Where the run says what it does (data, validation classes, batch): one line per call. */
    public TrainingRun log(Consumer<String> sink) {
        this.log = sink;
        return this;
    }

    /**
     * How the logs and the card name the training data, when it is a part of the source that
     * {@link #runOn} is given (e.g. {@code "orl:faces.zip without fold 2 (s11…s20)"}); default: the spec.
     */
    public TrainingRun describedAs(String text) {
        this.dataText = text;
        return this;
    }

    /** The trained model (its card complete) and how training went. */
    public record Trained(SiameseModel model, TrainingResult result) {
    }

    /** Loads every class of the data, trains, fills the card. */
    public Trained run() throws IOException {
        long t0 = System.nanoTime();
        log.accept("loading " + data.spec() + " at " + recipe.input().display() + " ...");
        LabeledImages all = data.load(recipe.input().imageOptions(), DataSource.Use.TRAINING);
        return train(all, t0);
    }

    /**
     * Trains on images already loaded from the run's data at the recipe's input (all of it, or a
     * part such as a cross-validation fold's training classes); validation as in {@link #run}.
     */
    public Trained runOn(LabeledImages all) throws IOException {
        return train(all, System.nanoTime());
    }

    private Trained train(LabeledImages all, long t0) throws IOException {
        String source = dataText != null ? dataText : data.spec();
        Recipe used = recipe;
        LabeledImages train = all;
        LabeledImages validation = null;
        String validationText = "none";
        if (validationData != null) {
            validation = validationData.load(recipe.input().imageOptions(), DataSource.Use.VALIDATION);
            if (!used.validation().enabled()) {
                int total = steps > 0 ? steps : used.steps();
                used = used.withValidation(new Validation(0, 5, 100, Math.max(10, total / 10), Integer.MAX_VALUE));
            }
            validationText = validationData.spec() + ": " + validation.classCount() + " classes: "
                    + DataSource.classNames(validation);
        } else if (used.validation().enabled()) {
            DataSource.Holdout h = data.holdOut(all, used.validation().classFraction(), Validation.MIN_CLASSES, seed);
            if (h.validation().classCount() >= Validation.MIN_CLASSES) {
                train = h.train();
                validation = h.validation();
                validationText = source + ": " + h.description();
            } else {
                validationText = "none (" + h.description() + ")";
            }
        }
        int classes = train.classCount() * used.classTurns();
        log.accept(String.format(Locale.ROOT, "training on %d images of %d classes of %s%s; validation: %s",
                train.size(), train.classCount(), source, used.classTurns() > 1 ? " (" + classes + " with each also "
                        + turnsText(used.classTurns()) + ")" : "",
                validationText));
        int p = Math.min(used.classesPerBatch(), classes);
        log.accept(String.format(Locale.ROOT, "recipe %s: %s loss%s, P×K = %d×%d%s, %s", used.name(),
                used.objective().kind(), used.objective() instanceof Objective.Triplet t ? " (" + t.miner().name()
                        + " mining)" : "", p, used.perClass(), p < used.classesPerBatch()
                        ? " (all the training classes; the recipe asks for " + used.classesPerBatch() + ")" : "",
                steps > 0 ? steps + " steps" : !budget.isZero() ? "for " + describe(budget) : used.steps() + " steps"));

        SiameseModel model = build(used, seed);
        RunOptions options = RunOptions.seed(seed).withSteps(steps).withCheckpoints(checkpoints);
        if (!budget.isZero()) {
            Duration left = budget.minusNanos(System.nanoTime() - t0).minus(RESERVE);
            if (left.toMillis() < 1000) {
                throw new IllegalStateException("the " + describe(budget) + " budget was used up by loading the data ("
                        + Math.round((System.nanoTime() - t0) / 1e9) + " s); give more time");
            }
            options = options.withBudget(left);
        }
        TrainingResult result = new SiameseTrainer(model, used, listener).fit(train, validation, options);
        Provenance prov = new Provenance(source, validationText, result.steps(), result.seconds(), seed,
                Gemm.threads(), result.stoppedBy(), result.bestValidation(), Provenance.currentVersion(),
                Provenance.currentCommit());
        return new Trained(model.withCard(model.card().withProvenance(prov)), result);
    }

    /** A fresh model for the recipe: the network from the seed, the head (binary) from seed + 1, an untrained card. */
    public static SiameseModel build(Recipe recipe, long seed) {
        Sequential f = recipe.network().build(recipe.input(), seed);
        ModelCard card = ModelCard.builder(recipe.input()).normalized(recipe.normalize()).recipe(recipe)
                .provenance(Provenance.untrained(seed)).build();
        if (recipe.objective() instanceof Objective.Binary) {
            return SiameseModel.withHead(f, new BinaryVerificationHead(recipe.network().embeddingDim(),
                    new SeededRandom(seed + 1)), card);
        }
        return SiameseModel.of(f, card);
    }

    /** How the log names the extra classes of {@code turns} (2, 4 or 8). */
    private static String turnsText(int turns) {
        return switch (turns) {
            case 2 -> "turned upside down";
            case 4 -> "turned by 90°, 180°, 270°";
            default -> "turned by 90°, 180°, 270° and mirrored in each turn";
        };
    }

    private static String describe(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 ? (s / 60) + " minute(s)" : s + " s";
    }
}
