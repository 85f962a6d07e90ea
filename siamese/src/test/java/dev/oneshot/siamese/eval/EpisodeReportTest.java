package dev.oneshot.siamese.eval;

import dev.oneshot.siamese.data.InMemoryImages;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EpisodeReportTest {
    @Test
    void scoreJson() {
        assertEquals("{\"accuracy\":0.75,\"ci95\":0.0625,\"queries\":500}",
                new OneShotEpisodes.Score(0.75, 0.0625, 500).toJson());
    }

    @Test
    void reportJson() {
        EpisodeReport r = new EpisodeReport(5, 1, 100, new OneShotEpisodes.Score(0.75, 0.0625, 500),
                new OneShotEpisodes.Score(0.5, 0.125, 500));
        assertEquals("{\"accuracy\":0.75,\"ci95\":0.0625,\"baseline_accuracy\":0.5,\"baseline_ci95\":0.125,"
                + "\"episodes\":100,\"way\":5,\"shot\":1}", r.toJson());
        assertEquals("{\"accuracy\":0.75,\"ci95\":0.0625,\"baseline_accuracy\":null,\"baseline_ci95\":null,"
                + "\"episodes\":100,\"way\":5,\"shot\":1}",
                new EpisodeReport(5, 1, 100, r.model(), null).toJson());
    }

    /** Separable pixels as the "model", constant features as the "baseline", on the same episodes. */
    @Test
    void reportFromEpisodes() {
        int n = 30;
        float[] pixels = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / 6;
            java.util.Arrays.fill(pixels, i * 4, i * 4 + 4, labels[i] / 10f);
        }
        InMemoryImages data = new InMemoryImages(pixels, new int[] {1, 2, 2}, labels, List.of("a", "b", "c", "d", "e"), null);
        OneShotEpisodes eps = OneShotEpisodes.draw(data, 3, 2, 1, 40, 5);
        EpisodeReport r = eps.report(Embedder.pixels(data), new Embedder.Features(new float[n], n, 1));
        assertEquals(3, r.way());
        assertEquals(2, r.shot());
        assertEquals(40, r.episodes());
        assertEquals(1.0, r.model().accuracy());
        assertEquals(120, r.baseline().queries());
        assertEquals(eps.score(Embedder.pixels(data)), r.model());
    }
}
