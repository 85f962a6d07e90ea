package dev.oneshot.nn.persist;

/**
 * Where training stands when a {@link Checkpoint} is taken.
 *
 * @param step  optimiser steps taken so far (0 before the first)
 * @param epoch completed epochs. Resuming exactly needs the batch order to come from the saved
 *              {@code SeededRandom}: checkpoint at an epoch boundary when each epoch draws a
 *              permutation, or draw each step's batch from the generator.
 */
public record TrainingProgress(long step, int epoch) {
    public TrainingProgress {
        if (step < 0 || epoch < 0) {
            throw new IllegalArgumentException("TrainingProgress: step and epoch must be ≥ 0, got " + step + ", "
                    + epoch);
        }
    }
}
