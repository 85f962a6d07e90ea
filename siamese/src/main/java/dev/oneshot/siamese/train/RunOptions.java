package dev.oneshot.siamese.train;

import java.time.Duration;

/**
 * What a run adds to its {@link dev.oneshot.siamese.recipe.Recipe}: the seed, how long it trains
 * and where it keeps checkpoints.
 *
 * <ul>
 *   <li>neither steps nor a budget: the recipe's {@code steps};</li>
 *   <li>{@code steps} &gt; 0: that many steps (the schedule is laid over them), stopping early if a budget runs out;</li>
 *   <li>a budget and no steps: training runs for the budget, the schedule laid over the time
 *       (progress = elapsed / budget). The budget includes the validations, the last one too.</li>
 * </ul>
 *
 * @param seed        every random choice of the run (initialisation is the caller's; batches,
 *                    mining, pairs, augmentation and validation episodes are the trainer's)
 * @param steps       optimiser steps, or 0 for the recipe's (or the budget's)
 * @param budget      wall-clock limit of {@code fit}, {@link Duration#ZERO} for none
 * @param checkpoints where and how often checkpoints are written, and whether to resume; null for none
 */
public record RunOptions(long seed, int steps, Duration budget, TrainerCheckpoints checkpoints) {
    public RunOptions {
        if (steps < 0) {
            throw new IllegalArgumentException("RunOptions: steps must be ≥ 0, got " + steps);
        }
        if (budget == null || budget.isNegative()) {
            throw new IllegalArgumentException("RunOptions: budget must be a non-negative duration, got " + budget);
        }
    }

    /** A run with {@code seed}, the recipe's step count, no budget, no checkpoints. */
    public static RunOptions seed(long seed) {
        return new RunOptions(seed, 0, Duration.ZERO, null);
    }

    /** Exactly {@code n} steps. */
    public RunOptions withSteps(int n) {
        return new RunOptions(seed, n, budget, checkpoints);
    }

    /** A wall-clock budget. */
    public RunOptions withBudget(Duration d) {
        return new RunOptions(seed, steps, d, checkpoints);
    }

    /** Checkpoints (and resuming, if they say so). */
    public RunOptions withCheckpoints(TrainerCheckpoints c) {
        return new RunOptions(seed, steps, budget, c);
    }

    /** Whether training runs for the budget rather than a step count. */
    public boolean timed() {
        return steps == 0 && !budget.isZero();
    }

    /** Whether a wall-clock limit applies. */
    public boolean hasBudget() {
        return !budget.isZero();
    }
}
