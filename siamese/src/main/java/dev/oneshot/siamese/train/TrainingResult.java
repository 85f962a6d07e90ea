package dev.oneshot.siamese.train;

/**
 * How a run ended. The network holds the best weights seen (by validation accuracy, or the last
 * good ones without validation) when {@link SiameseTrainer#fit} returns.
 *
 * @param steps          optimiser steps taken
 * @param epochs         epochs completed
 * @param bestValidation best validation accuracy (NaN without validation)
 * @param bestEpoch      the epoch it was reached in (−1 if none)
 * @param reason         why training stopped
 * @param detail         a sentence about the stop (for NON_FINITE: the step and the tensor)
 * @param seconds        wall-clock time
 */
public record TrainingResult(long steps, int epochs, double bestValidation, int bestEpoch, StopReason reason,
                             String detail, double seconds) {

    public enum StopReason { EPOCHS_DONE, EARLY_STOPPED, TIME_BUDGET, NON_FINITE }
}
