package dev.oneshot.nn.optim.schedule;

/**
 * A learning rate as a function of the epoch (or step) counter and the base learning rate.
 * Schedules are pure functions: the same (t, base) always gives the same rate, so resuming
 * needs only t. Apply one to an optimiser with {@link Schedules#applyLr}.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param t      the epoch or step, counted from 0
     * @param baseLr the learning rate at t = 0 (a group's initial lr)
     */
    double lr(int t, double baseLr);

    /** The base rate at every t. */
    static LearningRateSchedule constant() {
        return (t, baseLr) -> baseLr;
    }
}
