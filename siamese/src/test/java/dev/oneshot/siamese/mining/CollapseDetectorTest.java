package dev.oneshot.siamese.mining;

import dev.oneshot.siamese.mining.CollapseDetector.Condition;
import dev.oneshot.siamese.mining.CollapseDetector.Step;
import dev.oneshot.siamese.mining.CollapseDetector.Thresholds;
import dev.oneshot.siamese.mining.CollapseDetector.Warning;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollapseDetectorTest {
    private static final double MARGIN = 0.2;

    private static List<Warning> feed(CollapseDetector detector, List<Step> steps) {
        List<Warning> all = new ArrayList<>();
        for (Step s : steps) {
            all.addAll(detector.observe(s));
        }
        return all;
    }

    /** Distances shrink geometrically to 0; the loss climbs to the margin and stays there. */
    private static List<Step> collapsing(int steps) {
        List<Step> out = new ArrayList<>();
        double scale = 1.0;
        for (int i = 0; i < steps; i++) {
            scale *= 0.7;
            out.add(new Step(MARGIN * (1 - scale * 0.5), MARGIN, 0.5 * scale, 0.6 * scale, 100));
        }
        return out;
    }

    /** The loss falls, negatives move away, a shrinking but non-zero share of triplets stays active. */
    private static List<Step> healthy(int steps) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double progress = i / (double) steps;
            out.add(new Step(0.15 * (1 - 0.8 * progress), MARGIN, 0.5 - 0.3 * progress, 0.6 + 0.8 * progress,
                    Math.max(5, 100 - i)));
        }
        return out;
    }

    @Test
    void collapsingRunWarnsOnceForLossAtMarginAndVanishingDistancesNamingTheRemedies() {
        CollapseDetector detector = new CollapseDetector(new Thresholds(10, 0.01, 0.01));
        List<Warning> warnings = feed(detector, collapsing(60));
        assertEquals(List.of(Condition.LOSS_AT_MARGIN, Condition.DISTANCES_VANISH),
                warnings.stream().map(Warning::condition).sorted().toList());
        for (Warning w : warnings) {
            assertTrue(w.message().contains("lower the learning rate"), w.message());
            assertTrue(w.message().contains("larger K in P×K batches"), w.message());
            assertTrue(w.message().contains("L2-normalise the embeddings"), w.message());
            assertTrue(w.message().contains("semi-hard negatives before hard ones"), w.message());
        }
        assertTrue(detector.active().contains(Condition.LOSS_AT_MARGIN));
    }

    @Test
    void lossAtMarginWarnsExactlyWhenTheStreakReachesThePatience() {
        CollapseDetector detector = new CollapseDetector(new Thresholds(3, 0.01, 0.01));
        Step flat = new Step(MARGIN, MARGIN, 0.5, 0.5, 10); // loss = α but distances fine
        assertTrue(detector.observe(flat).isEmpty());
        assertTrue(detector.observe(flat).isEmpty());
        List<Warning> third = detector.observe(flat);
        assertEquals(1, third.size());
        assertEquals(Condition.LOSS_AT_MARGIN, third.get(0).condition());
        assertEquals(2, third.get(0).step());
        assertTrue(third.get(0).message().startsWith("step 2: loss 0.2000 ≈ margin 0.2000 for 3 steps"),
                third.get(0).message());
        assertTrue(detector.observe(flat).isEmpty()); // once per streak
        detector.observe(new Step(0.1, MARGIN, 0.5, 0.5, 10)); // streak broken
        assertTrue(detector.observe(flat).isEmpty());
        assertTrue(detector.observe(flat).isEmpty());
        assertEquals(1, detector.observe(flat).size()); // a new streak warns again
    }

    @Test
    void healthyRunDoesNotWarn() {
        CollapseDetector detector = new CollapseDetector();
        assertEquals(List.of(), feed(detector, healthy(200)));
        assertEquals(List.of(), detector.active());
    }

    @Test
    void noActiveTripletsForPatienceStepsWarns() {
        CollapseDetector detector = new CollapseDetector(new Thresholds(5, 0.01, 0.01));
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            steps.add(new Step(0.0, MARGIN, 0.1, 2.0, 0));
        }
        List<Warning> warnings = feed(detector, steps);
        assertEquals(1, warnings.size());
        assertEquals(Condition.NO_ACTIVE_TRIPLETS, warnings.get(0).condition());
        assertEquals(4, warnings.get(0).step());
        assertTrue(warnings.get(0).message().contains("semi-hard"), warnings.get(0).message());
    }

    @Test
    void nonFiniteLossWarnsAtOnce() {
        List<Warning> w = new CollapseDetector().observe(new Step(Double.NaN, MARGIN, 1, 1, 3));
        assertEquals(Condition.NOT_FINITE, w.get(0).condition());
        assertTrue(w.get(0).message().contains("lower the learning rate"));
    }

    @Test
    void stepFromStatsAndArgumentChecks() {
        TripletStats stats = TripletStats.compute(HandBatch.DIST, HandBatch.N, HandBatch.LABELS, HandBatch.MARGIN,
                HandBatch.X, 1);
        Step s = Step.of(1.5, HandBatch.MARGIN, stats);
        assertEquals(new Step(1.5, 4.0, 8.75, 15.0, 15), s);
        assertThrows(IllegalArgumentException.class, () -> new Step(0.1, 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(0, 0.01, 0.01));
        assertEquals(new Thresholds(20, 0.01, 0.01), CollapseDetector.Thresholds.DEFAULTS);
    }
}
