package dev.oneshot.siamese.train;

/**
 * How a run ended. The model holds the best weights seen (by validation accuracy, or the last
 * good ones without validation) when {@link SiameseTrainer#fit} returns.
 *
 * @param steps          optimiser steps taken
 * @param bestValidation best validation accuracy (NaN without validation)
 * @param bestStep       the step it was reached at (−1 if none)
 * @param reason         why training stopped
 * @param detail         a sentence about the stop (for NON_FINITE: the step and the tensor)
 * @param seconds        wall-clock time
 * @param skippedSteps   steps whose batch held no triplet for the miner (every triplet already met
 *                       the margin: loss 0, nothing to learn), so no update was made; they count in
 *                       {@code steps}
 */
public record TrainingResult(long steps, double bestValidation, long bestStep, StopReason reason, String detail,
                             double seconds, long skippedSteps) {

    /** What ended training. */
    public enum StopReason {
        /** The step count (the recipe's or the run's) was reached. */
        STEPS_DONE,
        /** Validation stopped improving for the recipe's patience. */
        EARLY_STOPPED,
        /** The wall-clock budget ran out. */
        TIME_BUDGET,
        /** A loss, gradient or weight went NaN or infinite; the last good weights were restored. */
        NON_FINITE
    }

    /**
     * {@code "steps-done: all 400 steps done"}: the reason in lower case and the detail (and how many
     * steps were skipped, if any), for logs and cards.
     */
    public String stoppedBy() {
        return reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + detail
                + (skippedSteps == 0 ? "" : "; " + skippedSteps + " of the " + steps + " steps were skipped (the "
                + "miner found no triplet in the batch)");
    }
}
