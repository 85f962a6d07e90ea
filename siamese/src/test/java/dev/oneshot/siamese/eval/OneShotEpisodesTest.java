package dev.oneshot.siamese.eval;

import dev.oneshot.siamese.data.InMemoryImages;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneShotEpisodesTest {
    /** 5 classes × 6 examples; pixel value = class index / 10 (perfectly separable). */
    private static InMemoryImages separable() {
        int n = 30;
        float[] pixels = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / 6;
            java.util.Arrays.fill(pixels, i * 4, i * 4 + 4, labels[i] / 10f);
        }
        return new InMemoryImages(pixels, new int[] {1, 2, 2}, labels, List.of("a", "b", "c", "d", "e"), null);
    }

    @Test
    void separableFeaturesScorePerfectly() {
        InMemoryImages data = separable();
        OneShotEpisodes eps = OneShotEpisodes.draw(data, 5, 1, 2, 50, 1);
        OneShotEpisodes.Score s = eps.score(Embedder.pixels(data));
        assertEquals(1.0, s.accuracy());
        assertEquals(500, s.queries());
    }

    /** A collapsed network (every feature equal) must score chance, 1/N — ties are broken at random. */
    @Test
    void constantFeaturesScoreChance() {
        InMemoryImages data = separable();
        OneShotEpisodes eps = OneShotEpisodes.draw(data, 5, 1, 5, 400, 2);
        Embedder.Features constant = new Embedder.Features(new float[data.size() * 3], data.size(), 3);
        OneShotEpisodes.Score s = eps.score(constant);
        assertEquals(0.2, s.accuracy(), 3 * s.ci95(), "accuracy " + s.accuracy());
        assertTrue(s.ci95() > 0 && s.ci95() < 0.02);
    }

    @Test
    void tooFewClassesIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OneShotEpisodes.draw(separable(), 6, 1, 1, 10, 1));
        assertTrue(e.getMessage().contains("the data set has 5"), e.getMessage());
    }
}
