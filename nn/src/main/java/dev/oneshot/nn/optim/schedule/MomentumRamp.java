package dev.oneshot.nn.optim.schedule;

/**
 * Momentum rising linearly from {@code start} to {@code end} over {@code steps} epochs, then
 * held (Koch et al.: from 0.5 to a per-layer final value):
 * <pre>
 *   μ(t) = start + (end − start) · min(t, steps) / steps
 * </pre>
 * For per-group final values use {@link Schedules#rampMomentum}, which ramps each group from
 * {@code start} to its own initial momentum.
 */
public record MomentumRamp(double start, double end, int steps) {
    public MomentumRamp {
        if (!(start >= 0 && start < 1) || !(end >= 0 && end < 1)) {
            throw new IllegalArgumentException("MomentumRamp: start and end must be in [0, 1), got start="
                    + start + " end=" + end);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("MomentumRamp: steps must be >= 1, got " + steps);
        }
    }

    /** μ at epoch t (t ≥ 0). */
    public double momentum(int t) {
        return start + (end - start) * Math.min(Schedules.requireT(t), steps) / steps;
    }
}
