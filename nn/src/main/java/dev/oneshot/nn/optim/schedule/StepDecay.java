package dev.oneshot.nn.optim.schedule;

/**
 * Multiplies the rate by γ every {@code stepSize} epochs: η(t) = η₀ · γ^⌊t / stepSize⌋
 * (PyTorch's StepLR).
 */
public record StepDecay(int stepSize, double gamma) implements LearningRateSchedule {
    public StepDecay {
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepDecay: stepSize must be >= 1, got " + stepSize);
        }
        Schedules.requireGamma("StepDecay", gamma);
    }

    @Override
    public double lr(int t, double baseLr) {
        return baseLr * Math.pow(gamma, Math.floorDiv(Schedules.requireT(t), stepSize));
    }
}
