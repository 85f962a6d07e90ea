package dev.oneshot.nn.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.ParamGroup;
import dev.oneshot.nn.optim.Sgd;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final double TOL = 1e-12;

    @Test
    void stepDecay() {
        var s = new StepDecay(3, 0.5);
        assertEquals(0.1, s.lr(0, 0.1), TOL);
        assertEquals(0.1, s.lr(2, 0.1), TOL);
        assertEquals(0.05, s.lr(3, 0.1), TOL);
        assertEquals(0.025, s.lr(7, 0.1), TOL);
    }

    @Test
    void exponentialDecayKoch() {
        var s = new ExponentialDecay(0.99);
        assertEquals(0.1, s.lr(0, 0.1), TOL);
        assertEquals(0.1 * 0.99, s.lr(1, 0.1), TOL);
        assertEquals(0.1 * 0.99 * 0.99 * 0.99, s.lr(3, 0.1), TOL);
        assertEquals(0.1 * Math.pow(0.99, 200), s.lr(200, 0.1), TOL);
    }

    @Test
    void cosineAnnealing() {
        var s = new CosineAnnealing(10, 0.001);
        assertEquals(0.1, s.lr(0, 0.1), TOL);
        assertEquals(0.001 + 0.099 * 0.5, s.lr(5, 0.1), TOL);                       // cos(π/2) = 0
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 0.3)) / 2, s.lr(3, 0.1), TOL);
        assertEquals(0.001, s.lr(10, 0.1), TOL);
        assertEquals(0.001, s.lr(25, 0.1), TOL);                                     // flat after tMax
    }

    @Test
    void linearWarmupThenAnotherSchedule() {
        var s = new LinearWarmup(4, new ExponentialDecay(0.5));
        assertEquals(0.025, s.lr(0, 0.1), TOL);
        assertEquals(0.05, s.lr(1, 0.1), TOL);
        assertEquals(0.1, s.lr(3, 0.1), TOL);
        assertEquals(0.1, s.lr(4, 0.1), TOL);   // then.lr(0)
        assertEquals(0.025, s.lr(6, 0.1), TOL); // then.lr(2) = 0.1·0.5²
        var plain = new LinearWarmup(2, LearningRateSchedule.constant());
        assertEquals(0.1, plain.lr(100, 0.1), TOL);
    }

    @Test
    void momentumRamp() {
        var r = new MomentumRamp(0.5, 0.9, 4);
        assertEquals(0.5, r.momentum(0), TOL);
        assertEquals(0.6, r.momentum(1), TOL);
        assertEquals(0.8, r.momentum(3), TOL);
        assertEquals(0.9, r.momentum(4), TOL);
        assertEquals(0.9, r.momentum(50), TOL);
    }

    private static Sgd twoLayerSgd() {
        var g0 = ParamGroup.of(Map.of("l1", Tensor.zeros(2).requiresGrad(true))).lr(0.1).momentum(0.9);
        var g1 = ParamGroup.of(Map.of("l2", Tensor.zeros(2).requiresGrad(true))).lr(0.01).momentum(0.7);
        return new Sgd(List.of(g0, g1), Hyper.sgd());
    }

    @Test
    void applyLrScalesEachGroupsOwnBase() {
        Sgd sgd = twoLayerSgd();
        Schedules.applyLr(sgd, new ExponentialDecay(0.99), 2);
        assertEquals(0.1 * 0.99 * 0.99, sgd.lr(0), TOL);
        assertEquals(0.01 * 0.99 * 0.99, sgd.lr(1), TOL);
        Schedules.applyLr(sgd, new ExponentialDecay(0.99), 3); // from the initial lr, not compounded
        assertEquals(0.1 * Math.pow(0.99, 3), sgd.lr(0), TOL);
    }

    @Test
    void rampMomentumToEachGroupsFinalValue() {
        Sgd sgd = twoLayerSgd();
        Schedules.rampMomentum(sgd, 0.5, 4, 0);
        assertEquals(0.5, sgd.momentum(0), TOL);
        assertEquals(0.5, sgd.momentum(1), TOL);
        Schedules.rampMomentum(sgd, 0.5, 4, 2);
        assertEquals(0.7, sgd.momentum(0), TOL);
        assertEquals(0.6, sgd.momentum(1), TOL);
        Schedules.rampMomentum(sgd, 0.5, 4, 9);
        assertEquals(0.9, sgd.momentum(0), TOL);
        assertEquals(0.7, sgd.momentum(1), TOL);
    }

    @Test
    void badArgumentsAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StepDecay(0, 0.5))
                .getMessage().contains("stepSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(1.5))
                .getMessage().contains("gamma"));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealing(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(3, null));
        assertThrows(IllegalArgumentException.class, () -> new MomentumRamp(0.5, 1.0, 3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.9).lr(-1, 0.1))
                .getMessage().contains("t must be >= 0"));
    }
}
