package dev.oneshot.nn.optim.schedule;

/**
 * Ramps the rate up linearly, then hands over to another schedule:
 * <pre>
 *   η(t) = η₀ · (t + 1) / warmupSteps        for t &lt; warmupSteps
 *   η(t) = then.lr(t − warmupSteps, η₀)      afterwards
 * </pre>
 * so the first step already moves (η₀/warmupSteps) and the full base rate is reached at
 * t = warmupSteps − 1. Compose: {@code new LinearWarmup(5, new CosineAnnealing(95, 0))}.
 */
public record LinearWarmup(int warmupSteps, LearningRateSchedule then) implements LearningRateSchedule {
    public LinearWarmup {
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("LinearWarmup: warmupSteps must be >= 1, got " + warmupSteps);
        }
        if (then == null) {
            throw new IllegalArgumentException("LinearWarmup: the schedule after warm-up is null "
                    + "(use LearningRateSchedule.constant())");
        }
    }

    @Override
    public double lr(int t, double baseLr) {
        if (Schedules.requireT(t) < warmupSteps) {
            return baseLr * (t + 1) / warmupSteps;
        }
        return then.lr(t - warmupSteps, baseLr);
    }
}
