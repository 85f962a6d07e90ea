package dev.oneshot.siamese.train;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.autograd.NonFiniteOrigin;
import dev.oneshot.core.json.Json;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.ComposedClasses;
import dev.oneshot.siamese.data.Mixup;
import dev.oneshot.siamese.data.RotatedClasses;
import dev.oneshot.siamese.data.PkBatchSampler;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.loss.ContrastiveLoss;
import dev.oneshot.siamese.loss.NormalizedSoftmaxLoss;
import dev.oneshot.siamese.loss.PrototypicalLoss;
import dev.oneshot.siamese.loss.Reduction;
import dev.oneshot.siamese.loss.TripletLoss;
import dev.oneshot.siamese.mining.CollapseDetector;
import dev.oneshot.siamese.mining.TripletStats;
import dev.oneshot.siamese.mining.Triplets;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Validation;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link SiameseModel} the way a {@link Recipe} says. One step:
 * <ol>
 *   <li>draw a P×K batch (P classes, K examples each) and augment it;</li>
 *   <li>embed it once: E = f(x) [P·K, d] (the twin network: one f for every image);</li>
 *   <li>triplet loss: from the pairwise distances of E (read without a graph) the miner picks
 *       (anchor, positive, negative) index triples, and the indexed triplet loss scatters its
 *       gradient back into E; pair losses: balanced pairs of the batch;</li>
 *   <li>backward, a finiteness guard, one optimiser step at the rate the schedule gives for the
 *       run's progress.</li>
 * </ol>
 * Every {@code validation.everySteps()} steps (and at the end) the model is scored by N-way
 * one-shot episodes on the validation classes; the best weights are kept and restored at the
 * end, and a run of a step count stops early after {@code patience} validations without gain (a
 * run given a time budget trains for all of it). A non-finite
 * loss, gradient or updated weight stops the run and restores the last good weights, naming the
 * step and what went wrong first: for a loss, the first op of the recorded graph whose output
 * is non-finite (or the parameter it read), found by walking the graph only on failure; with
 * {@link TrainerCheckpoints} the checkpoint on disk is the last good state (it is never written
 * after a bad step), and a run can resume from it.
 *
 * <p>Reproducible: every random choice flows from the run's seed, so the same seed (and thread
 * count) gives bit-identical weights — for a step count; a time budget trains as many steps as
 * the clock allows.
 */
public final class SiameseTrainer {
    /** The loss's own parameter name in the optimiser and checkpoints (normalised softmax's proxies). */
    private static final String PROXIES = "loss.proxies";
    private final SiameseModel model;
    private final Recipe recipe;
    private final TrainingListener listener;
    /** The normalised-softmax loss of the current run (its proxies), null for other objectives. */
    private NormalizedSoftmaxLoss proxyLoss;
    /** Everything the optimiser updates: the model's parameters and the loss's own. */
    private Map<String, Tensor> trained;

    /**
     * @param model    the model to train (its card's normalisation and mirror averaging apply; a
     *                 binary recipe needs a model with a head)
     * @param recipe   how to train it
     * @param listener progress receiver, {@link TrainingListener#NONE} for none
     */
    public SiameseTrainer(SiameseModel model, Recipe recipe, TrainingListener listener) {
        if (model == null || recipe == null || listener == null) {
            throw new IllegalArgumentException("SiameseTrainer: model, recipe and listener must not be null");
        }
        if (recipe.objective() instanceof Objective.Binary && model.head().isEmpty()) {
            throw new IllegalArgumentException("SiameseTrainer: recipe '" + recipe.name() + "' trains the binary "
                    + "objective, which needs a model with a BinaryVerificationHead (SiameseModel.withHead)");
        }
        this.model = model;
        this.recipe = recipe;
        this.listener = listener;
    }

    /** How many classes {@code recipe} composes from {@code classes} training classes ({@link ComposedClasses}). */
    public static int composedCount(Recipe recipe, int classes) {
        return (int) Math.round(recipe.composedClasses() * classes);
    }

    /** Trains on every class of {@code train}, without validation: the last weights are kept. */
    public TrainingResult fit(LabeledImages train, RunOptions run) throws IOException {
        return run(train, null, run);
    }

    /**
     * Trains on {@code train}, validating on {@code validation} (classes disjoint from train) as
     * the recipe's {@link Validation} says; the best weights are kept.
     *
     * @throws IOException if a checkpoint cannot be written or read
     */
    public TrainingResult fit(LabeledImages train, LabeledImages validation, RunOptions run) throws IOException {
        return run(train, validation, run);
    }

    private TrainingResult run(LabeledImages train, LabeledImages validation, RunOptions run) throws IOException {
        long start = System.nanoTime();
        int composed = composedCount(recipe, train.classCount());
        if (composed > 0) {
            train = new ComposedClasses(train, composed, run.seed() * 31 + 17); // a stream of its own
        }
        if (recipe.classTurns() > 1) {
            train = new RotatedClasses(train, recipe.classTurns());
        }
        if (train.classCount() < 2) {
            throw new IllegalArgumentException("SiameseTrainer: the training data has " + train.classCount()
                    + " class(es); need at least 2");
        }
        int p = Math.min(recipe.classesPerBatch(), train.classCount());
        SeededRandom seeded = new SeededRandom(run.seed());
        PkBatchSampler sampler = new PkBatchSampler(train, p, recipe.perClass(), seeded.nextLong());
        Validation val = recipe.validation();
        OneShotEpisodes episodes = null;
        if (val.enabled() && validation != null && validation.classCount() >= 2) {
            int way = Math.min(val.way(), validation.classCount());
            episodes = OneShotEpisodes.draw(validation, way, 1, 1, val.episodes(), seeded.nextLong());
        }
        long totalSteps = run.timed() ? 0 : run.steps() > 0 ? run.steps() : recipe.steps();
        Objective.NormalizedSoftmax softmax = recipe.objective() instanceof Objective.NormalizedSoftmax ns ? ns
                : recipe.objective() instanceof Objective.Joint j ? j.softmax() : null;
        proxyLoss = softmax == null ? null : new NormalizedSoftmaxLoss(train.classCount(),
                recipe.network().embeddingDim(), softmax.scale(), softmax.margin(), new SeededRandom(seeded.nextLong()));
        trained = new LinkedHashMap<>(model.namedParameters());
        Map<String, Tensor> lossParameters = proxyLoss == null ? Map.of() : Map.of(PROXIES, proxyLoss.proxies());
        trained.putAll(lossParameters);
        Optimizer optimizer = recipe.optimizer().build(trained);
        double[] baseLr = new double[optimizer.groupCount()];
        for (int g = 0; g < baseLr.length; g++) {
            baseLr[g] = optimizer.initialLr(g);
        }
        CollapseDetector collapse = new CollapseDetector();
        TwinNetwork twin = model.twin();
        String config = Json.write(recipe.toJson()) + " seed=" + run.seed() + " steps=" + totalSteps
                + (run.timed() ? " budget=" + run.budget() : "");

        LoopState st;
        List<PkBatchSampler.Batch> queue = new ArrayList<>();
        TrainerCheckpoints checkpoints = run.checkpoints();
        if (checkpoints != null && checkpoints.resume() && Files.exists(checkpoints.file())) {
            st = LoopState.load(checkpoints.file(), model, optimizer, config, lossParameters);
            if (st.samplerBeforeEpoch != null) { // remake the batches being consumed, drop those done
                sampler.restoreGeneratorState(st.samplerBeforeEpoch);
                queue.addAll(sampler.nextEpoch());
                queue.subList(0, st.batchesTaken).clear();
            }
        } else {
            st = new LoopState(seeded, episodes != null ? snapshot() : Map.of());
        }
        Map<String, Tensor> lastGood = snapshot(); // refreshed after every good step, restored after a bad one
        double lastValidationSeconds = 0;
        model.train();
        while (true) {
            if (totalSteps > 0 && st.step >= totalSteps) {
                return finish(st, episodes, validation, TrainingResult.StopReason.STEPS_DONE,
                        "all " + totalSteps + " steps done", start);
            }
            // a timed run keeps back the time of its last validation for the final one
            double trainSeconds = budgetSeconds(run) - lastValidationSeconds;
            if (run.hasBudget() && st.step > 0 && seconds(start) >= trainSeconds) {
                return finish(st, episodes, validation, TrainingResult.StopReason.TIME_BUDGET,
                        String.format(Locale.ROOT, "the time budget (%.1f s) ran out after %d steps", budgetSeconds(run),
                                st.step), start);
            }
            double progress = totalSteps > 0 ? (double) st.step / totalSteps
                    : Math.min(1, seconds(start) / Math.max(1e-9, trainSeconds));
            double factor = recipe.schedule().factor(progress);
            for (int g = 0; g < baseLr.length; g++) {
                optimizer.setLr(g, baseLr[g] * factor);
            }
            if (queue.isEmpty()) {
                st.samplerBeforeEpoch = sampler.generatorState();
                st.batchesTaken = 0;
                st.epochs++;
                queue.addAll(sampler.nextEpoch());
            }
            PkBatchSampler.Batch b = queue.remove(0);
            st.batchesTaken++;
            Tensor images = train.gather(b.indices());
            String badInput = firstNonFiniteImage(images, b.indices());
            if (badInput != null) {
                return stopNonFinite(st, lastGood, "step " + (st.step + 1) + ": " + badInput, checkpoints, start);
            }
            images = recipe.augmentation().augment(images, st.rng);
            StepOutcome out = step(twin, images, b.labels(), st.rng);
            st.step++;
            if (out == null) {
                if (st.skippedSteps++ == 0) {
                    listener.onWarning("step " + st.step + ": the miner found no triplet in the batch (batch-all: "
                            + "every triplet already meets the margin); step skipped. Later such steps are counted, "
                            + "not reported one by one; the total comes with the end of training");
                }
            } else {
                String bad = out.nonFinite != null ? out.nonFinite : firstNonFiniteGradient();
                if (bad == null) {
                    optimizer.step();
                    bad = firstNonFiniteParameter();
                }
                optimizer.zeroGrad();
                if (bad != null) {
                    return stopNonFinite(st, lastGood, "step " + st.step + ": " + bad, checkpoints, start);
                }
                copyInto(lastGood);
                st.lossSum += out.loss;
                st.lossCount++;
                if (out.stats != null && recipe.objective() instanceof Objective.Triplet t) {
                    for (CollapseDetector.Warning w : collapse.observe(
                            CollapseDetector.Step.of(out.loss, t.options().margin(), out.stats))) {
                        listener.onWarning(w.toString());
                    }
                }
                listener.onStep(new TrainingListener.Step(st.step, totalSteps, progress, optimizer.lr(0), out.loss,
                        out.activeFraction, out.examples, out.stats, seconds(start)));
            }
            if (episodes != null && st.step % val.everySteps() == 0) {
                long t0 = System.nanoTime();
                validate(st, episodes, validation, start);
                lastValidationSeconds = seconds(t0);
                if (!run.timed() && st.validationsWithoutGain >= val.patience()) {
                    return finish(st, episodes, validation, TrainingResult.StopReason.EARLY_STOPPED,
                            "no validation gain for " + val.patience() + " validations (best "
                                    + String.format(Locale.ROOT, "%.3f", st.bestAccuracy) + " at step " + st.bestStep
                                    + ")", start);
                }
            }
            if (checkpoints != null && st.step % checkpoints.everySteps() == 0) {
                st.save(checkpoints.file(), model, optimizer, config, lossParameters);
            }
        }
    }

    private static double budgetSeconds(RunOptions run) {
        return run.budget().toNanos() / 1e9;
    }

    /** Scores the validation episodes; keeps the weights if they are the best so far. */
    private void validate(LoopState st, OneShotEpisodes episodes, LabeledImages validation, long start) {
        double accuracy = episodes.score(Embedder.embed(model.twin(), validation)).accuracy();
        model.train();
        boolean improved = Double.isNaN(st.bestAccuracy) || accuracy > st.bestAccuracy;
        if (improved) {
            st.best = snapshot();
            st.bestAccuracy = accuracy;
            st.bestStep = st.step;
            st.validationsWithoutGain = 0;
        } else {
            st.validationsWithoutGain++;
        }
        st.lastValidatedStep = st.step;
        listener.onValidation(new TrainingListener.ValidationPass(st.step,
                st.lossCount == 0 ? Double.NaN : st.lossSum / st.lossCount, accuracy, improved, seconds(start)));
        st.lossSum = 0;
        st.lossCount = 0;
    }

    /** What one step produced; null from {@link #step} means the batch gave no triplet. */
    private record StepOutcome(double loss, double activeFraction, int examples, TripletStats stats,
                               String nonFinite) {
    }

    /**
     * Backward through {@code loss} — unless it is non-finite: then the graph, still recorded,
     * is walked for the first op (or parameter) that produced a non-finite value.
     */
    private String backwardOrOrigin(Tensor loss) {
        float value = loss.item();
        if (Float.isFinite(value)) {
            loss.backwardAndRecycle(); // nothing reads the step's intermediate tensors afterwards
            return null;
        }
        NonFiniteOrigin origin = NonFiniteOrigin.find(loss);
        Map<Tensor, String> names = new IdentityHashMap<>();
        trained.forEach((name, t) -> names.put(t, name));
        return "the loss is " + value + (origin == null ? "" : "; the first non-finite value: "
                + origin.describe(names.get(origin.tensor())));
    }

    private StepOutcome step(TwinNetwork twin, Tensor images, int[] labels, SeededRandom rng) {
        Objective objective = recipe.objective();
        if (objective instanceof Objective.NormalizedSoftmax ns && ns.mixup() > 0) {
            // λ L(x̃, y) + (1 − λ) L(x̃, y∘π) on the blended batch x̃ (Mixup); the log's distances are the blends'
            Mixup.Mixed mixed = Mixup.mix(images, labels, ns.mixup(), rng);
            Tensor e = twin.embed(mixed.images());
            TripletStats stats = TripletStats.compute(batchDistances(e), labels, 0f, e.detach());
            Tensor loss = mixed.loss(labels, y -> proxyLoss.apply(e, y));
            String bad = backwardOrOrigin(loss);
            return new StepOutcome(loss.item(), stats.activeFraction(), labels.length, stats, bad);
        }
        Tensor e = twin.embed(images);
        if (objective instanceof Objective.Triplet t) {
            Tensor dist = batchDistances(e);
            float margin = t.options().margin();
            TripletStats stats = TripletStats.compute(dist, labels, margin, e.detach());
            Triplets picked = t.miner().mine(dist, labels, margin, rng);
            if (picked.isEmpty()) {
                return null;
            }
            TripletLoss.Result r = TripletLoss.apply(e, picked.anchors(), picked.positives(), picked.negatives(),
                    t.options());
            String bad = backwardOrOrigin(r.loss());
            return new StepOutcome(r.loss().item(), r.activeFraction(), picked.size(), stats, bad);
        }
        if (objective instanceof Objective.Joint j) {
            Tensor dist = batchDistances(e);
            float margin = j.triplet().options().margin();
            TripletStats stats = TripletStats.compute(dist, labels, margin, e.detach());
            Triplets picked = j.triplet().miner().mine(dist, labels, margin, rng);
            Tensor loss = proxyLoss.apply(e, labels).mul(j.softmaxWeight());
            double active = 0;
            if (!picked.isEmpty()) {
                TripletLoss.Result r = TripletLoss.apply(e, picked.anchors(), picked.positives(), picked.negatives(),
                        j.triplet().options());
                loss = r.loss().add(loss);
                active = r.activeFraction();
            }
            String bad = backwardOrOrigin(loss);
            return new StepOutcome(loss.item(), active, labels.length, stats, bad);
        }
        if (objective instanceof Objective.NormalizedSoftmax) {
            // the batch's distances for the log (margin 0: "active" = triplets out of order)
            TripletStats stats = TripletStats.compute(batchDistances(e), labels, 0f, e.detach());
            Tensor loss = proxyLoss.apply(e, labels);
            String bad = backwardOrOrigin(loss);
            return new StepOutcome(loss.item(), stats.activeFraction(), labels.length, stats, bad);
        }
        if (objective instanceof Objective.Prototypical proto) {
            // the batch's distances for the log (margin 0: "active" = triplets out of order)
            TripletStats stats = TripletStats.compute(batchDistances(e), labels, 0f, e.detach());
            Tensor loss = PrototypicalLoss.apply(e, labels, proto.shots());
            String bad = backwardOrOrigin(loss);
            return new StepOutcome(loss.item(), stats.activeFraction(), labels.length, stats, bad);
        }
        BatchPairs pairs = BatchPairs.draw(labels, rng);
        Tensor loss;
        if (objective instanceof Objective.Contrastive c) {
            loss = ContrastiveLoss.apply(e.indexSelect(pairs.first()), e.indexSelect(pairs.second()), pairs.same(),
                    c.options());
        } else {
            BinaryVerificationHead head = model.head().orElseThrow();
            loss = head.loss(e.indexSelect(pairs.first()), e.indexSelect(pairs.second()), pairs.same(), Reduction.MEAN);
        }
        String bad = backwardOrOrigin(loss);
        return new StepOutcome(loss.item(), 1.0, pairs.same().length, null, bad);
    }

    /** The batch's squared distances [n, n], read without a graph. */
    private static Tensor batchDistances(Tensor e) {
        try (Grad.Scope off = Grad.off()) {
            Tensor values = e.detach();
            return values.pairwiseSquaredDistance(values);
        }
    }

    /** Null when the batch is finite; otherwise which image (and dataset index) holds what, where. */
    private static String firstNonFiniteImage(Tensor images, int[] datasetIndices) {
        float[] d = images.data();
        int per = images.numel() / Math.max(1, datasetIndices.length);
        for (int i = 0; i < images.numel(); i++) {
            if (!Float.isFinite(d[i])) {
                return "training image " + (i / per) + " of the batch (dataset index " + datasetIndices[i / per]
                        + ") holds " + d[i] + " at value " + (i % per);
            }
        }
        return null;
    }

    /** Null when every gradient is finite; otherwise the first parameter whose gradient is not. */
    private String firstNonFiniteGradient() {
        for (Map.Entry<String, Tensor> p : trained.entrySet()) {
            if (!p.getValue().hasGrad()) {
                continue;
            }
            float[] g = p.getValue().gradData();
            for (int i = 0; i < g.length; i++) {
                if (!Float.isFinite(g[i])) {
                    return "the gradient of '" + p.getKey() + "' holds " + g[i] + " at index " + i
                            + " (backward overflowed; the loss was finite)";
                }
            }
        }
        return null;
    }

    /** Null when every parameter is finite after the optimiser step; otherwise the first that is not. */
    private String firstNonFiniteParameter() {
        for (Map.Entry<String, Tensor> p : trained.entrySet()) {
            float[] w = p.getValue().data();
            for (int i = 0; i < p.getValue().numel(); i++) {
                if (!Float.isFinite(w[i])) {
                    return "the optimizer step made parameter '" + p.getKey() + "' " + Shape.toString(p.getValue().shape())
                            + " non-finite (" + w[i] + " at index " + i + ") from finite gradients";
                }
            }
        }
        return null;
    }

    /** Deep copies of the model's state (parameters and buffers, the head's included). */
    private Map<String, Tensor> snapshot() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    /** Copies the model's state into {@code copy} (made by {@link #snapshot}), allocating nothing. */
    private void copyInto(Map<String, Tensor> copy) {
        model.stateDict().forEach((k, v) -> System.arraycopy(v.data(), 0, copy.get(k).data(), 0, v.numel()));
    }

    private TrainingResult stopNonFinite(LoopState st, Map<String, Tensor> lastGood, String what,
                                         TrainerCheckpoints checkpoints, long start) {
        model.loadStateDict(lastGood);
        model.eval();
        return new TrainingResult(st.step, st.bestAccuracy, st.bestStep, TrainingResult.StopReason.NON_FINITE,
                what + "; the last good weights were restored" + (checkpoints == null ? ""
                        : " (the checkpoint " + checkpoints.file() + " holds the last good state)"), seconds(start),
                st.skippedSteps);
    }

    /**
     * Ends the run: a last validation if the last step was not validated, then the best weights
     * (or, without validation, the last ones), eval mode.
     */
    private TrainingResult finish(LoopState st, OneShotEpisodes episodes, LabeledImages validation,
                                  TrainingResult.StopReason reason, String detail, long start) {
        if (episodes != null && st.lastValidatedStep != st.step) {
            validate(st, episodes, validation, start);
        }
        if (episodes != null && !st.best.isEmpty()) {
            model.loadStateDict(st.best);
        }
        model.eval();
        return new TrainingResult(st.step, st.bestAccuracy, st.bestStep, reason, detail, seconds(start), st.skippedSteps);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
