package dev.oneshot.siamese.train;

import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.ConcatBranches;
import dev.oneshot.nn.layers.L2Normalize;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.Provenance;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Validation;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains a model from a recipe and named data, end to end: load every class of the data at the
 * recipe's input, set validation classes apart (from {@link #validation(DataSource) the given
 * validation data}, else a class-disjoint part of the training data as the recipe says, else
 * none), build the network from the seed, train, and return the model with its card filled in
 * (recipe, provenance, what stopped training). A recipe of several {@link Recipe#members() members}
 * trains that many networks and returns their ensemble ({@link #fit}).
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
    private WarmStart warmStart;
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

    /** Every network starts from {@code w}'s weights where names and shapes match ({@link WarmStart}). */
    public TrainingRun startingFrom(WarmStart w) {
        this.warmStart = w;
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
        String jit = dev.oneshot.core.kernels.JitLimits.advice();
        if (jit != null) {
            log.accept("note: " + jit);
        }
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
        int composed = SiameseTrainer.composedCount(used, train.classCount());
        int classes = (train.classCount() + composed) * used.classTurns();
        String more = (composed > 0 ? composed + " composed from pairs of them" : "")
                + (composed > 0 && used.classTurns() > 1 ? ", " : "")
                + (used.classTurns() > 1 ? "each also " + turnsText(used.classTurns()) : "");
        log.accept(String.format(Locale.ROOT, "training on %d images of %d classes of %s%s; validation: %s",
                train.size(), train.classCount(), source, more.isEmpty() ? "" : " (" + classes + " with " + more + ")",
                validationText));
        int p = Math.min(used.classesPerBatch(), classes);
        log.accept(String.format(Locale.ROOT, "recipe %s: %s, P×K = %d×%d%s, %s", used.name(),
                used.lossText(), p, used.perClass(), p < used.classesPerBatch()
                        ? " (all the training classes; the recipe asks for " + used.classesPerBatch() + ")" : "",
                (steps > 0 ? steps + " steps" : !budget.isZero() ? "for " + describe(budget) : used.steps() + " steps")
                        + (used.members() > 1 ? ", an ensemble of " + used.members() + " networks trained one after "
                        + "another" + (steps == 0 && !budget.isZero() ? " (an equal share of the time each)"
                        : " (the steps each)") : "")));

        RunOptions options = RunOptions.seed(seed).withSteps(steps).withCheckpoints(checkpoints);
        if (!budget.isZero()) {
            Duration left = budget.minusNanos(System.nanoTime() - t0).minus(RESERVE);
            if (left.toMillis() < 1000) {
                throw new IllegalStateException("the " + describe(budget) + " budget was used up by loading the data ("
                        + Math.round((System.nanoTime() - t0) / 1e9) + " s); give more time");
            }
            options = options.withBudget(left);
        }
        Trained trained = fit(used, train, validation, options, listener, log, warmStart);
        SiameseModel model = trained.model();
        TrainingResult result = trained.result();
        Provenance prov = new Provenance(source + (warmStart == null ? "" : ", starting from the weights of "
                + warmStart.name()), validationText, result.steps(), result.seconds(), seed,
                Gemm.threads(), result.stoppedBy(), result.bestValidation(), Provenance.currentVersion(),
                Provenance.currentCommit());
        return new Trained(model.withCard(model.card().withProvenance(prov)), result);
    }

    /**
     * Trains the recipe on {@code train} (validating on {@code validation}, which may be null): one
     * network from {@code options}' seed, or, when the recipe has {@link Recipe#members()} &gt; 1,
     * that many one after another — member i from {@link #memberSeed}, each for the run's (or the
     * recipe's) step count, or for an equal share of what is left of the budget when it starts, with
     * its own checkpoint file ({@link #memberCheckpoints}) — joined by {@link #ensemble}. The
     * model's card is the recipe's with an untrained provenance: the caller fills that in.
     */
    public static Trained fit(Recipe recipe, LabeledImages train, LabeledImages validation, RunOptions options,
                              TrainingListener listener, Consumer<String> log) throws IOException {
        return fit(recipe, train, validation, options, listener, log, null);
    }

    /** {@link #fit(Recipe, LabeledImages, LabeledImages, RunOptions, TrainingListener, Consumer)}, each network
     *  starting from {@code warm}'s weights (null: from its seed's initialisation alone). */
    public static Trained fit(Recipe recipe, LabeledImages train, LabeledImages validation, RunOptions options,
                              TrainingListener listener, Consumer<String> log, WarmStart warm) throws IOException {
        if (recipe.members() == 1) {
            SiameseModel model = build(recipe, options.seed());
            if (warm != null) {
                log.accept(warm.apply(model.embeddingNet(), 0).describe(warm.name()));
            }
            TrainingResult r = new SiameseTrainer(model, recipe, listener).fit(train, validation, options);
            return new Trained(recipe.projectionHead() ? withoutProjectionHead(model) : model, r);
        }
        long t0 = System.nanoTime();
        int n = recipe.members();
        List<SiameseModel> members = new ArrayList<>();
        List<TrainingResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long s = memberSeed(options.seed(), i);
            RunOptions member = new RunOptions(s, options.steps(), Duration.ZERO,
                    memberCheckpoints(options.checkpoints(), i));
            if (options.hasBudget()) {
                Duration share = options.budget().minusNanos(System.nanoTime() - t0).dividedBy(n - i);
                if (share.toMillis() < 1000) {
                    throw new IllegalStateException("the " + describe(options.budget()) + " budget leaves "
                            + share.toMillis() + " ms for member " + (i + 1) + " of " + n + "; give more time");
                }
                member = member.withBudget(share);
            }
            log.accept(String.format(Locale.ROOT, "member %d of %d: seed %d%s", i + 1, n, s,
                    options.hasBudget() ? ", " + describe(member.budget()) : ""));
            Recipe own = recipe.member(i);
            SiameseModel m = build(own, s);
            if (warm != null) {
                log.accept(String.format(Locale.ROOT, "member %d of %d: %s", i + 1, n,
                        warm.apply(m.embeddingNet(), i).describe(warm.name())));
            }
            TrainingResult r = new SiameseTrainer(m, own, listener).fit(train, validation, member);
            log.accept(String.format(Locale.ROOT, "member %d of %d: %d steps in %.0f s, %s", i + 1, n, r.steps(),
                    r.seconds(), r.stoppedBy()));
            members.add(recipe.projectionHead() ? withoutProjectionHead(m) : m);
            results.add(r);
        }
        return new Trained(ensemble(recipe, members, options.seed()), combined(results));
    }

    /**
     * The model embedding with the layers of its network before the last {@link Linear} layer —
     * that layer and what follows it were the recipe's {@link Recipe#projectionHead() projection
     * head}, used in training only. The layers are the model's own (not copies); the card stays.
     */
    public static SiameseModel withoutProjectionHead(SiameseModel model) {
        if (!(model.embeddingNet() instanceof Sequential net)) {
            throw new IllegalArgumentException("TrainingRun.withoutProjectionHead: the embedding network is a "
                    + model.embeddingNet().getClass().getSimpleName() + ", expected a Sequential ending in a Linear head");
        }
        int last = -1;
        for (int i = 0; i < net.size(); i++) {
            if (net.get(i) instanceof Linear) {
                last = i;
            }
        }
        if (last < 1) {
            throw new IllegalArgumentException("TrainingRun.withoutProjectionHead: the network needs layers before its "
                    + "last Linear layer to embed with, got " + net.size() + " layers with the last Linear at "
                    + (last < 0 ? "none" : "index " + last));
        }
        Sequential body = new Sequential();
        for (int i = 0; i < last; i++) {
            body.add(net.get(i));
        }
        return SiameseModel.of(body, model.card());
    }

    /** The stride between the seeds of an ensemble's members. */
    public static final long MEMBER_SEED_STRIDE = 1000;

    /** The seed member {@code i} of an ensemble trains from: the run's seed + 1000·i (member 0: the run's own). */
    public static long memberSeed(long seed, int member) {
        return seed + MEMBER_SEED_STRIDE * member;
    }

    /**
     * Member {@code i}'s checkpoints: member 0 keeps the run's file, member i &gt; 0 writes beside it
     * with {@code .member<i+1>} before the extension ({@code checkpoint.member2.safetensors}); null stays null.
     */
    public static TrainerCheckpoints memberCheckpoints(TrainerCheckpoints c, int i) {
        if (c == null || i == 0) {
            return c;
        }
        String name = c.file().getFileName().toString();
        int dot = name.lastIndexOf('.');
        String memberName = dot > 0 ? name.substring(0, dot) + ".member" + (i + 1) + name.substring(dot)
                : name + ".member" + (i + 1);
        return new TrainerCheckpoints(c.file().resolveSibling(memberName), c.everySteps(), c.resume());
    }

    /**
     * One model of trained members: their networks side by side ({@link ConcatBranches}), each
     * followed by {@link L2Normalize} when the recipe normalises, so every member weighs the same
     * and the model's (again normalised) embedding compares by the members' summed distances. The
     * card is the recipe's, untrained, from {@code seed}.
     */
    public static SiameseModel ensemble(Recipe recipe, List<SiameseModel> members, long seed) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("TrainingRun.ensemble: no members");
        }
        Module[] branches = new Module[members.size()];
        for (int i = 0; i < branches.length; i++) {
            Module net = members.get(i).embeddingNet();
            branches[i] = recipe.normalize() ? new Sequential(net, new L2Normalize(TwinNetwork.NORMALIZE_EPS)) : net;
        }
        return SiameseModel.of(new ConcatBranches(branches), untrainedCard(recipe, seed));
    }

    /** The members' results as one: steps and seconds summed, the worst stop, the details listed. */
    private static TrainingResult combined(List<TrainingResult> results) {
        long steps = 0;
        long skipped = 0;
        double seconds = 0;
        double validation = 0;
        int validated = 0;
        TrainingResult.StopReason reason = results.get(results.size() - 1).reason();
        StringBuilder detail = new StringBuilder(results.size() + " members");
        for (int i = 0; i < results.size(); i++) {
            TrainingResult r = results.get(i);
            steps += r.steps();
            skipped += r.skippedSteps();
            seconds += r.seconds();
            if (!Double.isNaN(r.bestValidation())) {
                validation += r.bestValidation();
                validated++;
            }
            if (r.reason() == TrainingResult.StopReason.NON_FINITE) {
                reason = r.reason();
            }
            detail.append(i == 0 ? ": " : "; ").append(i + 1).append(": ").append(r.stoppedBy());
        }
        return new TrainingResult(steps, validated == 0 ? Double.NaN : validation / validated, -1, reason,
                detail.toString(), seconds, skipped);
    }

    /**
     * A fresh model for the recipe: the network from the seed, the head (binary) from seed + 1, an
     * untrained card. For a recipe of several members, one member's network ({@link #fit} joins them).
     */
    public static SiameseModel build(Recipe recipe, long seed) {
        Sequential f = recipe.network().build(recipe.input(), seed);
        ModelCard card = untrainedCard(recipe, seed);
        if (recipe.objective() instanceof Objective.Binary) {
            return SiameseModel.withHead(f, new BinaryVerificationHead(recipe.network().embeddingDim(),
                    new SeededRandom(seed + 1)), card);
        }
        return SiameseModel.of(f, card);
    }

    private static ModelCard untrainedCard(Recipe recipe, long seed) {
        return ModelCard.builder(recipe.input()).normalized(recipe.normalize()).recipe(recipe)
                .provenance(Provenance.untrained(seed)).build();
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
