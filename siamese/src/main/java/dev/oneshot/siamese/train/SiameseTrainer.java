package dev.oneshot.siamese.train;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.autograd.NonFiniteOrigin;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.nn.optim.schedule.LearningRateSchedule;
import dev.oneshot.nn.optim.schedule.Schedules;
import dev.oneshot.siamese.data.Augmentation;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.PkBatchSampler;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.loss.ContrastiveLoss;
import dev.oneshot.siamese.loss.Reduction;
import dev.oneshot.siamese.loss.TripletLoss;
import dev.oneshot.siamese.mining.CollapseDetector;
import dev.oneshot.siamese.mining.Miners;
import dev.oneshot.siamese.mining.TripletMiner;
import dev.oneshot.siamese.mining.TripletStats;
import dev.oneshot.siamese.mining.Triplets;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link TwinNetwork}. One step:
 * <ol>
 *   <li>draw a P×K batch (P classes, K examples each) and, optionally, augment it;</li>
 *   <li>embed it once: E = f(x) [P·K, d];</li>
 *   <li>triplet loss: from the pairwise distances of E (read without a graph) the miner picks
 *       (anchor, positive, negative) index triples, and the indexed triplet loss scatters its
 *       gradient back into E; pair losses: balanced pairs of the batch;</li>
 *   <li>backward, a finiteness guard, one optimiser step.</li>
 * </ol>
 * Each epoch ends with N-way one-shot validation on held-out classes; the best weights are kept
 * and restored at the end, and training stops early after {@code patience} epochs without gain
 * (Koch et al. stop after 20). A non-finite loss, gradient or updated weight stops the run and
 * restores the last good weights, naming the step and what went wrong first: for a loss, the
 * first op of the recorded graph whose output is non-finite (or the parameter it read), found
 * by walking the graph only on failure; with {@link TrainerCheckpoints} the checkpoint on disk
 * is the last good state (it is never written after a bad step), and a run can resume from it.
 *
 * <p>Reproducible: every random choice flows from the config's seed, so the same seed (and
 * thread count) gives bit-identical weights.
 */
public final class SiameseTrainer {
    private final TwinNetwork net;
    private final Optimizer optimizer;
    private final BinaryVerificationHead head;
    private final LearningRateSchedule schedule;
    private final TrainingListener listener;

    /**
     * @param net       the twin network to train
     * @param optimizer an optimiser over the network's parameters (and the head's, for BINARY)
     * @param head      the Koch verification head for {@link LossKind#BINARY}; null otherwise
     * @param schedule  learning-rate schedule applied per epoch; null for a constant rate
     * @param listener  progress receiver; {@link TrainingListener#NONE} for none
     */
    public SiameseTrainer(TwinNetwork net, Optimizer optimizer, BinaryVerificationHead head,
                          LearningRateSchedule schedule, TrainingListener listener) {
        this.net = net;
        this.optimizer = optimizer;
        this.head = head;
        this.schedule = schedule;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /** Trains on {@code train}; validates on {@code validation} (classes disjoint from train), may be null. */
    public TrainingResult fit(LabeledImages train, LabeledImages validation, TrainerConfig cfg) {
        try {
            return fit(train, validation, cfg, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: no checkpoint file is touched
        }
    }

    /**
     * As {@link #fit(LabeledImages, LabeledImages, TrainerConfig)}, writing checkpoints per
     * {@code checkpoints} (null: none) and, if asked and the file exists, resuming from one.
     *
     * @throws IOException if a checkpoint cannot be written or read
     */
    public TrainingResult fit(LabeledImages train, LabeledImages validation, TrainerConfig cfg,
                              TrainerCheckpoints checkpoints) throws IOException {
        if (cfg.loss() == LossKind.BINARY && head == null) {
            throw new IllegalArgumentException("fit: the BINARY loss needs a BinaryVerificationHead");
        }
        long start = System.nanoTime();
        SeededRandom seeded = new SeededRandom(cfg.seed());
        PkBatchSampler sampler = new PkBatchSampler(train, cfg.classesPerBatch(), cfg.perClass(), seeded.nextLong());
        TripletMiner miner = cfg.loss() == LossKind.TRIPLET ? Miners.byName(cfg.miner()) : null;
        Augmentation augment = cfg.augment();
        OneShotEpisodes episodes = validation == null || cfg.valEpisodes() == 0 ? null
                : OneShotEpisodes.draw(validation, cfg.valWay(), 1, 1, cfg.valEpisodes(), seeded.nextLong());
        CollapseDetector collapse = new CollapseDetector();
        int batch = cfg.classesPerBatch() * cfg.perClass();
        int stepsPerEpoch = cfg.stepsPerEpoch() > 0 ? cfg.stepsPerEpoch() : Math.max(1, train.size() / batch);

        Module weights = checkpointedModule();
        LoopState st;
        List<PkBatchSampler.Batch> queue = new ArrayList<>();
        if (checkpoints != null && checkpoints.resume() && Files.exists(checkpoints.file())) {
            st = LoopState.load(checkpoints.file(), weights, optimizer, cfg);
            if (st.samplerBeforeEpoch != null) { // remake the batches being consumed, drop those done
                sampler.restoreGeneratorState(st.samplerBeforeEpoch);
                queue.addAll(sampler.nextEpoch());
                queue.subList(0, st.batchesTaken).clear();
            }
        } else {
            st = new LoopState(seeded, snapshot());
        }
        net.train();
        for (; st.epoch < cfg.epochs(); st.epoch++) {
            int epoch = st.epoch;
            if (schedule != null) {
                Schedules.applyLr(optimizer, schedule, epoch);
            }
            for (; st.stepInEpoch < stepsPerEpoch; st.stepInEpoch++) {
                int s = st.stepInEpoch;
                if (outOfTime(cfg, start)) {
                    // The weights trained since the last epoch end count too: keep them unless the
                    // best validated ones score higher.
                    double now = episodes == null ? Double.NaN
                            : episodes.score(Embedder.embed(net, validation)).accuracy();
                    if (s > 0 && (episodes == null || Double.isNaN(st.bestAccuracy) || now > st.bestAccuracy)) {
                        st.best = snapshot();
                        st.bestAccuracy = now;
                        st.bestEpoch = epoch;
                    }
                    return finish(st, epoch, TrainingResult.StopReason.TIME_BUDGET,
                            "the " + cfg.maxMinutes() + "-minute budget ran out in epoch " + epoch, start);
                }
                if (queue.isEmpty()) {
                    st.samplerBeforeEpoch = sampler.generatorState();
                    st.batchesTaken = 0;
                    queue.addAll(sampler.nextEpoch());
                }
                PkBatchSampler.Batch b = queue.remove(0);
                st.batchesTaken++;
                Tensor images = train.gather(b.indices());
                String badInput = firstNonFiniteImage(images, b.indices());
                if (badInput != null) {
                    return finish(st, epoch, TrainingResult.StopReason.NON_FINITE, "step " + (st.step + 1) + ": "
                            + badInput + "; the last good weights were restored", start);
                }
                if (augment != null) {
                    images = augment.augment(images, st.rng);
                }
                StepOutcome out = step(images, b.labels(), cfg, miner, st.rng);
                st.step++;
                if (out == null) {
                    listener.onWarning("step " + st.step + ": the miner found no triplet in the batch; step skipped");
                } else {
                    String bad = out.nonFinite != null ? out.nonFinite : firstNonFiniteGradient();
                    if (bad == null) {
                        optimizer.step();
                        bad = firstNonFiniteParameter();
                    }
                    if (bad != null) {
                        optimizer.zeroGrad();
                        return finish(st, epoch, TrainingResult.StopReason.NON_FINITE, "step " + st.step + ": " + bad
                                + "; the last good weights were restored"
                                + (checkpoints == null ? "" : " (the checkpoint " + checkpoints.file()
                                + " holds the last good state)"), start);
                    }
                    optimizer.zeroGrad();
                    st.lossSum += out.loss;
                    st.lossCount++;
                    if (out.stats != null) {
                        for (CollapseDetector.Warning w : collapse.observe(
                                CollapseDetector.Step.of(out.loss, cfg.triplet().margin(), out.stats))) {
                            listener.onWarning(w.toString());
                        }
                    }
                    listener.onStep(new TrainingListener.Step(st.step, epoch, s, stepsPerEpoch, out.loss,
                            out.activeFraction, out.examples, out.stats, seconds(start)));
                }
                if (checkpoints != null && st.step % checkpoints.everySteps() == 0) {
                    st.stepInEpoch = s + 1; // the state after this step
                    st.save(checkpoints.file(), weights, optimizer, cfg);
                    st.stepInEpoch = s;
                }
            }
            double accuracy = Double.NaN;
            boolean improved;
            if (episodes != null) {
                accuracy = episodes.score(Embedder.embed(net, validation)).accuracy();
                improved = Double.isNaN(st.bestAccuracy) || accuracy > st.bestAccuracy;
            } else {
                improved = true;
            }
            if (improved) {
                st.best = snapshot();
                st.bestAccuracy = accuracy;
                st.bestEpoch = epoch;
                st.epochsWithoutGain = 0;
            } else {
                st.epochsWithoutGain++;
            }
            listener.onEpoch(new TrainingListener.Epoch(epoch, st.lossCount == 0 ? Double.NaN : st.lossSum / st.lossCount,
                    accuracy, improved, seconds(start)));
            if (st.epochsWithoutGain >= cfg.patience()) {
                return finish(st, epoch + 1, TrainingResult.StopReason.EARLY_STOPPED,
                        "no validation gain for " + cfg.patience() + " epochs", start);
            }
            st.stepInEpoch = 0;
            st.lossSum = 0;
            st.lossCount = 0;
            if (checkpoints != null && epoch + 1 < cfg.epochs()) {
                st.epoch = epoch + 1; // the state at the start of the next epoch
                st.save(checkpoints.file(), weights, optimizer, cfg);
                st.epoch = epoch;
            }
        }
        return finish(st, cfg.epochs(), TrainingResult.StopReason.EPOCHS_DONE,
                "all " + cfg.epochs() + " epochs done", start);
    }

    /** What a checkpoint holds the weights of: the embedding network, and the head after it for BINARY. */
    private Module checkpointedModule() {
        return head == null ? net.embeddingNet() : new Sequential(net.embeddingNet(), head);
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
            loss.backward();
            return null;
        }
        NonFiniteOrigin origin = NonFiniteOrigin.find(loss);
        Map<Tensor, String> names = new IdentityHashMap<>();
        trainedParameters().forEach((name, t) -> names.put(t, name));
        return "the loss is " + value + (origin == null ? "" : "; the first non-finite value: "
                + origin.describe(names.get(origin.tensor())));
    }

    private StepOutcome step(Tensor images, int[] labels, TrainerConfig cfg, TripletMiner miner, SeededRandom rng) {
        Tensor e = net.embed(images);
        switch (cfg.loss()) {
            case TRIPLET -> {
                Tensor dist;
                try (Grad.Scope off = Grad.off()) {
                    Tensor values = e.detach();
                    dist = values.pairwiseSquaredDistance(values);
                }
                float margin = cfg.triplet().margin();
                TripletStats stats = TripletStats.compute(dist, labels, margin, e.detach());
                Triplets t = miner.mine(dist, labels, margin, rng);
                if (t.isEmpty()) {
                    return null;
                }
                TripletLoss.Result r = TripletLoss.apply(e, t.anchors(), t.positives(), t.negatives(), cfg.triplet());
                String bad = backwardOrOrigin(r.loss());
                return new StepOutcome(r.loss().item(), r.activeFraction(), t.size(), stats, bad);
            }
            case CONTRASTIVE -> {
                BatchPairs p = BatchPairs.draw(labels, rng);
                Tensor loss = ContrastiveLoss.apply(e.indexSelect(p.first()), e.indexSelect(p.second()), p.same(),
                        cfg.contrastive());
                String bad = backwardOrOrigin(loss);
                return new StepOutcome(loss.item(), 1.0, p.same().length, null, bad);
            }
            case BINARY -> {
                BatchPairs p = BatchPairs.draw(labels, rng);
                Tensor loss = head.loss(e.indexSelect(p.first()), e.indexSelect(p.second()), p.same(),
                        Reduction.MEAN);
                String bad = backwardOrOrigin(loss);
                return new StepOutcome(loss.item(), 1.0, p.same().length, null, bad);
            }
            default -> throw new IllegalStateException("unknown loss " + cfg.loss());
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
        for (Map.Entry<String, Tensor> p : trainedParameters().entrySet()) {
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
        for (Map.Entry<String, Tensor> p : trainedParameters().entrySet()) {
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

    private Map<String, Tensor> trainedParameters() {
        Map<String, Tensor> all = new LinkedHashMap<>(net.namedParameters());
        if (head != null) {
            head.namedParameters().forEach((k, v) -> all.put("head." + k, v));
        }
        return all;
    }

    /** Deep copies of the network's (and head's) state. */
    private Map<String, Tensor> snapshot() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        net.embeddingNet().stateDict().forEach((k, v) -> copy.put(k, v.copy()));
        if (head != null) {
            head.stateDict().forEach((k, v) -> copy.put("head." + k, v.copy()));
        }
        return copy;
    }

    private void restore(Map<String, Tensor> state) {
        Map<String, Tensor> netState = new LinkedHashMap<>();
        Map<String, Tensor> headState = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("head.")) {
                headState.put(k.substring(5), v);
            } else {
                netState.put(k, v);
            }
        });
        net.embeddingNet().loadStateDict(netState);
        if (head != null) {
            head.loadStateDict(headState);
        }
    }

    private TrainingResult finish(LoopState st, int epochs, TrainingResult.StopReason reason, String detail,
                                  long start) {
        restore(st.best);
        net.eval();
        return new TrainingResult(st.step, epochs, st.bestAccuracy, st.bestEpoch, reason, detail, seconds(start));
    }

    private static boolean outOfTime(TrainerConfig cfg, long start) {
        return cfg.maxMinutes() > 0 && seconds(start) > cfg.maxMinutes() * 60;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** The embedding network being trained (convenience for callers that save it). */
    public Module embeddingNet() {
        return net.embeddingNet();
    }
}
