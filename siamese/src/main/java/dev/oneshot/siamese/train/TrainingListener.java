package dev.oneshot.siamese.train;

import dev.oneshot.siamese.mining.TripletStats;

/**
 * Progress and telemetry of a run, for a progress bar, a log or plots. Every method has an
 * empty default: implement the ones you need. Called on the training thread.
 */
public interface TrainingListener {

    /** After every optimiser step. {@code stats} is null for pair losses. */
    default void onStep(Step step) {
    }

    /** After every epoch (and its validation, if any). */
    default void onEpoch(Epoch epoch) {
    }

    /** A warning the run produced (collapse detector, skipped batches, ...). */
    default void onWarning(String message) {
    }

    /**
     * One step: the loss, the fraction of mined triplets that were active (or of pairs for pair
     * losses, 1), the number of triplets or pairs, and the batch telemetry.
     */
    record Step(long step, int epoch, int stepInEpoch, int stepsPerEpoch, double loss, double activeFraction,
                int examples, TripletStats stats, double elapsedSeconds) {
    }

    /** One epoch: mean loss, validation accuracy (NaN without validation), whether it was the best so far. */
    record Epoch(int epoch, double meanLoss, double validationAccuracy, boolean improved, double elapsedSeconds) {
    }

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };
}
