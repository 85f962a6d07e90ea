package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.nn.persist.Checkpoint;
import dev.oneshot.nn.persist.TrainingProgress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training loop's own state — where it is and what it has kept — saved into and restored
 * from a {@link Checkpoint} by {@link SiameseTrainer} (see {@link TrainerCheckpoints}).
 */
final class LoopState {
    private static final String PREFIX = "trainer.";
    private static final String BEST = "best.";

    long step;
    /** Epochs of batches the sampler has started. */
    int epochs;
    SeededRandom rng;
    /** The sampler's generator just before it made the batches being consumed (null: none made yet). */
    SeededRandom.State samplerBeforeEpoch;
    int batchesTaken;
    Map<String, Tensor> best;
    double bestAccuracy = Double.NaN;
    long bestStep = -1;
    int validationsWithoutGain;
    long lastValidatedStep = -1;
    double lossSum;
    int lossCount;
    /** Steps whose batch gave the miner no triplet: counted, no update made. */
    long skippedSteps;

    LoopState(SeededRandom rng, Map<String, Tensor> best) {
        this.rng = rng;
        this.best = best;
    }

    /**
     * Writes the checkpoint: weights, optimiser and the loss's own parameters (normalised softmax's
     * proxies; empty for other losses) from the arguments, the rest from this state.
     */
    void save(Path file, Module weights, Optimizer optimizer, String config, Map<String, Tensor> lossParameters)
            throws IOException {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(PREFIX + "config", config);
        if (samplerBeforeEpoch != null) {
            extra.put(PREFIX + "sampler_rng", samplerBeforeEpoch.encode());
        }
        extra.put(PREFIX + "batches_taken", Integer.toString(batchesTaken));
        extra.put(PREFIX + "best_accuracy", Double.toString(bestAccuracy));
        extra.put(PREFIX + "best_step", Long.toString(bestStep));
        extra.put(PREFIX + "validations_without_gain", Integer.toString(validationsWithoutGain));
        extra.put(PREFIX + "last_validated_step", Long.toString(lastValidatedStep));
        extra.put(PREFIX + "loss_sum", Double.toString(lossSum));
        extra.put(PREFIX + "loss_count", Integer.toString(lossCount));
        extra.put(PREFIX + "skipped_steps", Long.toString(skippedSteps));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        best.forEach((k, v) -> tensors.put(BEST + k, v));
        tensors.putAll(lossParameters);
        Checkpoint.save(file, weights, optimizer, new TrainingProgress(step, epochs), rng, extra, tensors);
    }

    /**
     * Restores {@code weights}, {@code optimizer} and {@code lossParameters} (by name, in place)
     * from {@code file} and returns the loop state in it; refuses a checkpoint made with another
     * recipe or run, naming both.
     */
    static LoopState load(Path file, Module weights, Optimizer optimizer, String config,
                          Map<String, Tensor> lossParameters) throws IOException {
        Checkpoint.Resumed r = Checkpoint.load(file, weights, optimizer);
        Map<String, String> x = r.extra();
        String made = x.get(PREFIX + "config");
        if (!config.equals(made)) {
            throw new IllegalArgumentException(file + ": checkpoint made with another recipe or run: " + made
                    + ", this run has " + config);
        }
        if (r.rng() == null) {
            throw new IllegalArgumentException(file + ": checkpoint has no trainer generator state (rng.state)");
        }
        Map<String, Tensor> best = new LinkedHashMap<>();
        r.extraTensors().forEach((k, v) -> {
            if (k.startsWith(BEST)) {
                best.put(k.substring(BEST.length()), v);
            }
        });
        for (Map.Entry<String, Tensor> p : lossParameters.entrySet()) {
            Tensor saved = r.extraTensors().get(p.getKey());
            if (saved == null || !java.util.Arrays.equals(saved.shape(), p.getValue().shape())) {
                throw new IllegalArgumentException(file + ": checkpoint tensor '" + p.getKey() + "' expected "
                        + dev.oneshot.core.tensor.Shape.toString(p.getValue().shape()) + ", found "
                        + (saved == null ? "none" : dev.oneshot.core.tensor.Shape.toString(saved.shape())));
            }
            System.arraycopy(saved.data(), 0, p.getValue().data(), 0, saved.numel());
        }
        LoopState s = new LoopState(r.rng(), best);
        try {
            s.step = r.progress().step();
            s.epochs = r.progress().epoch();
            String sampler = x.get(PREFIX + "sampler_rng");
            s.samplerBeforeEpoch = sampler == null ? null : SeededRandom.State.decode(sampler);
            s.batchesTaken = Integer.parseInt(x.get(PREFIX + "batches_taken"));
            s.bestAccuracy = Double.parseDouble(x.get(PREFIX + "best_accuracy"));
            s.bestStep = Long.parseLong(x.get(PREFIX + "best_step"));
            s.validationsWithoutGain = Integer.parseInt(x.get(PREFIX + "validations_without_gain"));
            s.lastValidatedStep = Long.parseLong(x.get(PREFIX + "last_validated_step"));
            s.lossSum = Double.parseDouble(x.get(PREFIX + "loss_sum"));
            s.lossCount = Integer.parseInt(x.get(PREFIX + "loss_count"));
            String skipped = x.get(PREFIX + "skipped_steps"); // absent in checkpoints written before it was counted
            s.skippedSteps = skipped == null ? 0 : Long.parseLong(skipped);
        } catch (RuntimeException e) { // a missing key (NullPointerException) or a malformed number
            throw new IllegalArgumentException(file + ": bad trainer state in the checkpoint metadata: " + e, e);
        }
        return s;
    }
}
