package dev.oneshot.nn.optim.schedule;

import dev.oneshot.nn.optim.Optimizer;

/** Applies schedules to an optimiser's groups; call once per epoch (or step) before training it. */
public final class Schedules {
    private Schedules() {
    }

    /** Sets every group's lr to {@code schedule.lr(t, group's initial lr)}. */
    public static void applyLr(Optimizer opt, LearningRateSchedule schedule, int t) {
        for (int g = 0; g < opt.groupCount(); g++) {
            opt.setLr(g, schedule.lr(t, opt.initialLr(g)));
        }
    }

    /**
     * Ramps every group's momentum linearly from {@code start} to that group's initial momentum
     * (its per-layer final value) over {@code steps}: μ_g(t) = {@link MomentumRamp}(start, μ_g, steps)(t).
     */
    public static void rampMomentum(Optimizer opt, double start, int steps, int t) {
        for (int g = 0; g < opt.groupCount(); g++) {
            opt.setMomentum(g, new MomentumRamp(start, opt.initialMomentum(g), steps).momentum(t));
        }
    }

    static int requireT(int t) {
        if (t < 0) {
            throw new IllegalArgumentException("schedule: t must be >= 0, got " + t);
        }
        return t;
    }

    static void requireGamma(String who, double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException(who + ": gamma must be in (0, 1], got " + gamma);
        }
    }
}
