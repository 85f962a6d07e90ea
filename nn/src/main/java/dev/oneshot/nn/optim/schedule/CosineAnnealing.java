package dev.oneshot.nn.optim.schedule;

/**
 * Half a cosine from the base rate down to {@code minLr} over {@code tMax} epochs, then flat:
 * <pre>
 *   η(t) = minLr + (η₀ − minLr) · (1 + cos(π · min(t, tMax) / tMax)) / 2
 * </pre>
 * (PyTorch's CosineAnnealingLR closed form, except that it stays at minLr after tMax instead
 * of rising again.)
 */
public record CosineAnnealing(int tMax, double minLr) implements LearningRateSchedule {
    public CosineAnnealing {
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealing: tMax must be >= 1, got " + tMax);
        }
        if (!(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new IllegalArgumentException("CosineAnnealing: minLr must be a finite number >= 0, got " + minLr);
        }
    }

    @Override
    public double lr(int t, double baseLr) {
        int tc = Math.min(Schedules.requireT(t), tMax);
        return minLr + (baseLr - minLr) * (1 + Math.cos(Math.PI * tc / tMax)) / 2;
    }
}
