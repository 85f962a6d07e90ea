package dev.oneshot.siamese.eval;

import dev.oneshot.siamese.data.InMemoryImages;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenSetEvaluationTest {
    private static final double EXACT = 1e-12;

    private static OpenSetEvaluation.Probe p(double score, double credit) {
        return new OpenSetEvaluation.Probe(score, credit);
    }

    /**
     * Genuine d* 0.1, 0.2 (identified), 0.3 (wrong person), 0.5 (tied between two: credit ½);
     * strangers 0.25, 0.4, 0.6, 0.7. By hand: rank-1 = 2.5/4; FAR ≤ 0 → τ = 0.2 (0.25 would accept
     * a stranger), DIR = 2/4; FAR ≤ ¼ → τ = 0.3, DIR = 2/4; FAR ≤ ½ → τ = 0.5, DIR = 2.5/4; FAR ≤ 1 → τ = 0.7.
     */
    @Test
    void handComputedOperatingPoints() {
        List<OpenSetEvaluation.Probe> genuine = List.of(p(0.1, 1), p(0.2, 1), p(0.3, 0), p(0.5, 0.5));
        OpenSetEvaluation.Report r = OpenSetEvaluation.report(genuine, new double[] {0.7, 0.25, 0.6, 0.4},
                new double[] {0, 0.25, 0.5, 1});
        assertEquals(0.625, r.rank1(), EXACT);
        assertEquals(4, r.genuineProbes());
        assertEquals(4, r.strangerProbes());
        double[][] expected = {{0, 0.2, 0, 0.5}, {0.25, 0.3, 0.25, 0.5}, {0.5, 0.5, 0.5, 0.625}, {1, 0.7, 1, 0.625}};
        for (int i = 0; i < expected.length; i++) {
            OpenSetEvaluation.OperatingPoint op = r.points().get(i);
            assertEquals(expected[i][0], op.targetFar(), EXACT);
            assertEquals(expected[i][1], op.tau(), EXACT, "τ at FAR " + expected[i][0]);
            assertEquals(expected[i][2], op.far(), EXACT, "FAR at FAR " + expected[i][0]);
            assertEquals(expected[i][3], op.dir(), EXACT, "DIR at FAR " + expected[i][0]);
        }
    }

    /** A stranger tied with a genuine probe at 0.2: d ≤ τ accepts both or neither, so FAR 0 allows no τ ≥ 0.2. */
    @Test
    void tiedScoresAreAcceptedTogether() {
        List<OpenSetEvaluation.Probe> genuine = List.of(p(0.2, 1), p(0.3, 1));
        OpenSetEvaluation.Report r = OpenSetEvaluation.report(genuine, new double[] {0.2, 0.9}, new double[] {0, 0.5});
        OpenSetEvaluation.OperatingPoint zero = r.points().get(0);
        assertEquals(Double.NEGATIVE_INFINITY, zero.tau());
        assertEquals(0.0, zero.far());
        assertEquals(0.0, zero.dir());
        OpenSetEvaluation.OperatingPoint half = r.points().get(1);
        assertEquals(0.3, half.tau(), EXACT);
        assertEquals(0.5, half.far(), EXACT);
        assertEquals(1.0, half.dir(), EXACT);
        assertTrue(r.toJson().toString().contains("\"tau\":null"), r.toJson().toString());
    }

    /** One-dimensional features: gallery slot 0 at 0, slot 1 at 2; probes at 1 (tie), 0.5, 1.8. */
    @Test
    void nearestIdentityWithTies() {
        Embedder.Features f = new Embedder.Features(new float[] {0f, 2f, 1f, 0.5f, 1.8f}, 5, 1);
        int[][] gallery = {{0}, {1}};
        assertEquals(p(1.0, 0.5), OpenSetEvaluation.answer(f, gallery, 2, 0));
        assertEquals(p(1.0, 0.5), OpenSetEvaluation.answer(f, gallery, 2, 1));
        assertEquals(p(0.25, 0.0), OpenSetEvaluation.answer(f, gallery, 3, 1));
        OpenSetEvaluation.Probe near1 = OpenSetEvaluation.answer(f, gallery, 4, 1);
        assertEquals(1.0, near1.credit());
        assertEquals(0.04, near1.score(), 1e-6);
        assertEquals(0.0, OpenSetEvaluation.answer(f, gallery, 2, -1).credit(), "a stranger is never identified");
        // two gallery photos per identity: the nearer one counts
        assertEquals(p(0.0, 1.0), OpenSetEvaluation.answer(f, new int[][] {{0, 2}, {1}}, 2, 0));
    }

    /** 6 classes × 4 examples, pixel = class index (perfectly separable at distance ≥ 4). */
    private static InMemoryImages separable() {
        int n = 24;
        float[] px = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / 4;
            Arrays.fill(px, i * 4, i * 4 + 4, labels[i]);
        }
        return new InMemoryImages(px, new int[] {1, 2, 2}, labels, List.of("a", "b", "c", "d", "e", "f"), null);
    }

    @Test
    void trialsPartitionEveryExample() {
        InMemoryImages data = separable();
        OpenSetEvaluation ev = OpenSetEvaluation.draw(data, 3, 1, 20, 7);
        assertEquals(20, ev.trials().size());
        Set<String> galleries = new HashSet<>();
        for (OpenSetEvaluation.Trial t : ev.trials()) {
            assertEquals(3, t.gallery().length);
            assertEquals(3 * 3, t.genuine().length);
            assertEquals(3 * 4, t.strangers().length);
            Set<Integer> seen = new HashSet<>();
            for (int e = 0; e < 3; e++) {
                int cls = data.label(t.gallery()[e][0]);
                seen.add(t.gallery()[e][0]);
                for (int i = 0; i < t.genuine().length; i++) {
                    if (t.genuineSlot()[i] == e) {
                        assertEquals(cls, data.label(t.genuine()[i]), "a genuine probe belongs to its slot's class");
                    }
                }
            }
            Arrays.stream(t.genuine()).forEach(seen::add);
            Arrays.stream(t.strangers()).forEach(seen::add);
            assertEquals(24, seen.size(), "every example is gallery, genuine or stranger exactly once");
            galleries.add(Arrays.deepToString(t.gallery()));
        }
        assertTrue(galleries.size() > 10, "trials draw different galleries");
        assertEquals(Arrays.deepToString(ev.trials().get(5).gallery()),
                Arrays.deepToString(OpenSetEvaluation.draw(data, 3, 1, 20, 7).trials().get(5).gallery()), "same seed");
    }

    @Test
    void separableFeaturesAreDetectedAndIdentifiedAtZeroFar() {
        InMemoryImages data = separable();
        OpenSetEvaluation.Report r = OpenSetEvaluation.draw(data, 3, 1, 30, 3).evaluate(Embedder.pixels(data));
        assertEquals(1.0, r.rank1());
        OpenSetEvaluation.Report z = OpenSetEvaluation.draw(data, 3, 1, 30, 3).evaluate(Embedder.pixels(data),
                new double[] {0});
        assertEquals(1.0, z.points().get(0).dir());
        assertEquals(0.0, z.points().get(0).tau(), "same-class photos are identical: d* = 0, strangers ≥ 4");
    }

    /** A collapsed network: every distance 0 — rank-1 is chance (1/enrolled) and no τ keeps FAR at 10 %. */
    @Test
    void collapsedFeaturesScoreChance() {
        InMemoryImages data = separable();
        Embedder.Features constant = new Embedder.Features(new float[data.size() * 2], data.size(), 2);
        OpenSetEvaluation.Report r = OpenSetEvaluation.draw(data, 4, 1, 10, 5).evaluate(constant);
        assertEquals(0.25, r.rank1(), EXACT);
        assertEquals(Double.NEGATIVE_INFINITY, r.points().get(1).tau());
        assertEquals(0.0, r.points().get(1).dir());
    }

    @Test
    void badInputIsNamed() {
        InMemoryImages data = separable();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenSetEvaluation.draw(data, 6, 1, 1, 1));
        assertTrue(e.getMessage().contains("enrolled < classes (6)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpenSetEvaluation.draw(data, 2, 4, 1, 1));
        assertTrue(e.getMessage().contains("class a has 4 example(s)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpenSetEvaluation.report(List.of(p(0, 1)), new double[] {1}, new double[] {1.5}));
        assertTrue(e.getMessage().contains("target FAR must be in [0, 1], got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpenSetEvaluation.report(List.of(), new double[] {1}, new double[] {0.1}));
        assertTrue(e.getMessage().contains("got 0 and 1"), e.getMessage());
    }
}
