package dev.oneshot.siamese.train;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
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
import dev.oneshot.siamese.loss.TripletLoss;
import dev.oneshot.siamese.mining.CollapseDetector;
import dev.oneshot.siamese.mining.Miners;
import dev.oneshot.siamese.mining.TripletMiner;
import dev.oneshot.siamese.mining.TripletStats;
import dev.oneshot.siamese.mining.Triplets;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.util.ArrayList;
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
 * (Koch et al. stop after 20). A non-finite loss or gradient stops the run, names the step and
 * the first offending tensor, and restores the last good weights.
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
        if (cfg.loss() == LossKind.BINARY && head == null) {
            throw new IllegalArgumentException("fit: the BINARY loss needs a BinaryVerificationHead");
        }
        long start = System.nanoTime();
        SeededRandom rng = new SeededRandom(cfg.seed());
        PkBatchSampler sampler = new PkBatchSampler(train, cfg.classesPerBatch(), cfg.perClass(), rng.nextLong());
        TripletMiner miner = cfg.loss() == LossKind.TRIPLET ? Miners.byName(cfg.miner()) : null;
        Augmentation augment = cfg.augment();
        OneShotEpisodes episodes = validation == null || cfg.valEpisodes() == 0 ? null
                : OneShotEpisodes.draw(validation, cfg.valWay(), 1, 1, cfg.valEpisodes(), rng.nextLong());
        CollapseDetector collapse = new CollapseDetector();
        int batch = cfg.classesPerBatch() * cfg.perClass();
        int stepsPerEpoch = cfg.stepsPerEpoch() > 0 ? cfg.stepsPerEpoch() : Math.max(1, train.size() / batch);

        Map<String, Tensor> best = snapshot();
        double bestAccuracy = Double.NaN;
        int bestEpoch = -1;
        int epochsWithoutGain = 0;
        long step = 0;
        List<PkBatchSampler.Batch> queue = new ArrayList<>();
        net.train();
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            if (schedule != null) {
                Schedules.applyLr(optimizer, schedule, epoch);
            }
            double lossSum = 0;
            int lossCount = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                if (outOfTime(cfg, start)) {
                    // The weights trained since the last epoch end count too: keep them unless the
                    // best validated ones score higher.
                    double now = episodes == null ? Double.NaN
                            : episodes.score(Embedder.embed(net, validation)).accuracy();
                    if (s > 0 && (episodes == null || Double.isNaN(bestAccuracy) || now > bestAccuracy)) {
                        best = snapshot();
                        bestAccuracy = now;
                        bestEpoch = epoch;
                    }
                    return finish(best, step, epoch, bestAccuracy, bestEpoch, TrainingResult.StopReason.TIME_BUDGET,
                            "the " + cfg.maxMinutes() + "-minute budget ran out in epoch " + epoch, start);
                }
                if (queue.isEmpty()) {
                    queue.addAll(sampler.nextEpoch());
                }
                PkBatchSampler.Batch b = queue.remove(0);
                Tensor images = train.gather(b.indices());
                if (augment != null) {
                    images = augment.augment(images, rng);
                }
                StepOutcome out = step(images, b.labels(), cfg, miner, rng);
                step++;
                if (out == null) {
                    listener.onWarning("step " + step + ": the miner found no triplet in the batch; step skipped");
                    continue;
                }
                String bad = firstNonFinite(out.loss);
                if (bad != null) {
                    optimizer.zeroGrad();
                    return finish(best, step, epoch, bestAccuracy, bestEpoch, TrainingResult.StopReason.NON_FINITE,
                            "step " + step + ": " + bad + "; the last good weights were restored", start);
                }
                optimizer.step();
                optimizer.zeroGrad();
                lossSum += out.loss;
                lossCount++;
                if (out.stats != null) {
                    for (CollapseDetector.Warning w : collapse.observe(
                            CollapseDetector.Step.of(out.loss, cfg.triplet().margin(), out.stats))) {
                        listener.onWarning(w.toString());
                    }
                }
                listener.onStep(new TrainingListener.Step(step, epoch, s, stepsPerEpoch, out.loss, out.activeFraction,
                        out.examples, out.stats, seconds(start)));
            }
            double accuracy = Double.NaN;
            boolean improved;
            if (episodes != null) {
                accuracy = episodes.score(Embedder.embed(net, validation)).accuracy();
                improved = Double.isNaN(bestAccuracy) || accuracy > bestAccuracy;
            } else {
                improved = true;
            }
            if (improved) {
                best = snapshot();
                bestAccuracy = accuracy;
                bestEpoch = epoch;
                epochsWithoutGain = 0;
            } else {
                epochsWithoutGain++;
            }
            listener.onEpoch(new TrainingListener.Epoch(epoch, lossCount == 0 ? Double.NaN : lossSum / lossCount,
                    accuracy, improved, seconds(start)));
            if (epochsWithoutGain >= cfg.patience()) {
                return finish(best, step, epoch + 1, bestAccuracy, bestEpoch, TrainingResult.StopReason.EARLY_STOPPED,
                        "no validation gain for " + cfg.patience() + " epochs", start);
            }
        }
        return finish(best, step, cfg.epochs(), bestAccuracy, bestEpoch, TrainingResult.StopReason.EPOCHS_DONE,
                "all " + cfg.epochs() + " epochs done", start);
    }

    /** What one step produced; null from {@link #step} means the batch gave no triplet. */
    private record StepOutcome(double loss, double activeFraction, int examples, TripletStats stats) {
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
                r.loss().backward();
                return new StepOutcome(r.loss().item(), r.activeFraction(), t.size(), stats);
            }
            case CONTRASTIVE -> {
                BatchPairs p = BatchPairs.draw(labels, rng);
                Tensor loss = ContrastiveLoss.apply(e.indexSelect(p.first()), e.indexSelect(p.second()), p.same(),
                        cfg.contrastive());
                loss.backward();
                return new StepOutcome(loss.item(), 1.0, p.same().length, null);
            }
            case BINARY -> {
                BatchPairs p = BatchPairs.draw(labels, rng);
                Tensor loss = head.loss(e.indexSelect(p.first()), e.indexSelect(p.second()), p.same(),
                        dev.oneshot.siamese.loss.Reduction.MEAN);
                loss.backward();
                return new StepOutcome(loss.item(), 1.0, p.same().length, null);
            }
            default -> throw new IllegalStateException("unknown loss " + cfg.loss());
        }
    }

    /** Null when the loss and every gradient are finite; otherwise what went non-finite first. */
    private String firstNonFinite(double loss) {
        if (!Double.isFinite(loss)) {
            return "the loss is " + loss;
        }
        for (Map.Entry<String, Tensor> p : trainedParameters().entrySet()) {
            if (!p.getValue().hasGrad()) {
                continue;
            }
            for (float g : p.getValue().gradData()) {
                if (!Float.isFinite(g)) {
                    return "the gradient of '" + p.getKey() + "' holds " + g;
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

    private TrainingResult finish(Map<String, Tensor> best, long steps, int epochs, double bestAccuracy, int bestEpoch,
                                  TrainingResult.StopReason reason, String detail, long start) {
        restore(best);
        net.eval();
        return new TrainingResult(steps, epochs, bestAccuracy, bestEpoch, reason, detail, seconds(start));
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
