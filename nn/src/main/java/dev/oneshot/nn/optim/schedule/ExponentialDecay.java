package dev.oneshot.nn.optim.schedule;

/**
 * η(t) = η₀ · γᵗ (PyTorch's ExponentialLR). Koch et al. decay each layer's rate by 1% per
 * epoch: {@code new ExponentialDecay(0.99)}.
 */
public record ExponentialDecay(double gamma) implements LearningRateSchedule {
    public ExponentialDecay {
        Schedules.requireGamma("ExponentialDecay", gamma);
    }

    @Override
    public double lr(int t, double baseLr) {
        return baseLr * Math.pow(gamma, Schedules.requireT(t));
    }
}
