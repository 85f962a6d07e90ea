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

    /** After every validation. */
    default void onValidation(ValidationPass validation) {
    }

    /** A warning the run produced (collapse detector, skipped batches, ...). */
    default void onWarning(String message) {
    }

    /**
     * One step: its number (from 1), the run's total (0 when it trains for a time budget), the
     * progress p ∈ [0, 1] the schedule saw, the learning rate, the loss, the fraction of mined
     * triplets that were active (pair losses: 1), the number of triplets or pairs, and the batch
     * telemetry.
     */
    record Step(long step, long totalSteps, double progress, double lr, double loss, double activeFraction,
                int examples, TripletStats stats, double elapsedSeconds) {
    }

    /**
     * One validation: after {@code step}, the mean training loss since the previous one, the
     * N-way one-shot accuracy on the validation classes, and whether it is the best so far.
     */
    record ValidationPass(long step, double meanLoss, double accuracy, boolean improved, double elapsedSeconds) {
    }

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };
}
