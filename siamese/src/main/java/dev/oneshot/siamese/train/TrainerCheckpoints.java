package dev.oneshot.siamese.train;

import java.nio.file.Path;

/**
 * Where {@link SiameseTrainer} keeps its checkpoint, how often it writes it, and whether a run
 * starts from it.
 *
 * <p>The checkpoint ({@link dev.oneshot.nn.persist.Checkpoint}, one safetensors file written
 * atomically) holds everything the rest of the run depends on: the weights (network and head),
 * the optimiser's state, the trainer's generator (mining, pairs, augmentation), the batch
 * sampler's generator and its place in the current pass over the data, the best weights so far
 * with their accuracy and step, the validations without gain, the running loss, and the recipe
 * and run it was made with. It is written every {@code everySteps} steps — never after a step
 * whose loss, gradient or updated weights are non-finite, so the file always holds the last
 * good state.
 *
 * <p>A run with {@code resume} set and an existing file continues from it and ends with
 * bitwise the weights of an uninterrupted run (same seed, same thread count, a step count rather
 * than a time budget); its recipe and run must equal those in the file. Not restored: the
 * collapse detector's window (it only warns) and the wall clock of a time budget.
 *
 * @param file       the checkpoint file
 * @param everySteps write it after every this many steps (≥ 1)
 * @param resume     start from {@code file} if it exists
 */
public record TrainerCheckpoints(Path file, int everySteps, boolean resume) {
    public TrainerCheckpoints {
        if (file == null) {
            throw new IllegalArgumentException("TrainerCheckpoints: file must not be null");
        }
        if (everySteps < 1) {
            throw new IllegalArgumentException("TrainerCheckpoints: everySteps must be >= 1, got " + everySteps);
        }
    }

    /** Checkpoints to {@code file} every {@code steps} steps, starting afresh. */
    public static TrainerCheckpoints every(Path file, int steps) {
        return new TrainerCheckpoints(file, steps, false);
    }

    /** The same, resuming from the file when it exists. */
    public TrainerCheckpoints resuming() {
        return new TrainerCheckpoints(file, everySteps, true);
    }
}
