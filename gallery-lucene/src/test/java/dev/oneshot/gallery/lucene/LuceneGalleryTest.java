package dev.oneshot.gallery.lucene;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.gallery.ExactGallery;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.gallery.Policy;
import dev.oneshot.siamese.model.ModelFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the Lucene gallery has: τ on Lucene's scale, metadata checked on open, filters, reopening with prototypes. */
class LuceneGalleryTest {

    @Test
    void tauMapsToLucenesScaleAndBack() {
        assertEquals(1f, LuceneScale.score(0), "d = 0 scores 1");
        assertEquals(1f / 3f, LuceneScale.score(2.0));
        assertEquals(2.0, LuceneScale.squaredDistance(LuceneScale.score(2.0)), 1e-6);
        assertEquals(0f, LuceneScale.scoreBound(Double.POSITIVE_INFINITY));
        float bound = LuceneScale.scoreBound(2.0);
        assertTrue(bound < LuceneScale.score(2.0), "the bound lets a row at exactly τ through");
        assertTrue(bound > LuceneScale.score(2.0 * 1.001), "but not one 0.1 % beyond: " + bound);
        assertThrows(IllegalArgumentException.class, () -> LuceneScale.squaredDistance(0f));
        assertThrows(IllegalArgumentException.class, () -> LuceneScale.score(-1));
    }

    @Test
    void automaticCandidatesGrowWithTheSquareRootOfTheRows() {
        HnswSettings auto = HnswSettings.defaults();
        assertEquals(HnswSettings.AUTO, auto.candidates());
        assertEquals(32, auto.candidatesFor(1_000));
        assertEquals(32, auto.candidatesFor(100_000));
        assertEquals(102, auto.candidatesFor(1_000_000));
        assertEquals(320, auto.candidatesFor(10_000_000));
        assertEquals(7, auto.withCandidates(7).candidatesFor(1_000_000));
        assertThrows(IllegalArgumentException.class, () -> auto.withCandidates(-1));
    }

    /** τ = 2: a row at d² = 2 exactly is known and found within τ; one at d² = 2.0001 is neither. */
    @Test
    void aRowAtExactlyTauIsKnownAndOneJustBeyondIsNot(@TempDir Path tmp) throws IOException {
        try (LuceneGallery g = LuceneGallery.createForEmbeddings(tmp.resolve("g"), 4, false, GalleryOptions.squaredL2(2.0))) {
            g.enrollEmbedding("at", new float[] {1, 1, 0, 0});            // d² = 2
            g.enrollEmbedding("beyond", new float[] {0, 0, 1, 1.00005f});  // d² = 2.0001
            g.enrollEmbedding("far", new float[] {0, 0, 0, 9});
            float[] q = {0, 0, 0, 0};
            assertEquals(List.of(new Match("at", 2f, true)), g.identifyWithinTau(q));
            List<Match> top = g.identifyEmbedding(q, 3);
            assertEquals(new Match("at", 2f, true), top.get(0));
            assertEquals("beyond", top.get(1).nearest());
            assertTrue(!top.get(1).known() && top.get(1).score() > 2f, top.get(1).toString());
            assertEquals(new Match("far", 81f, false), top.get(2));
        }
    }

    @Test
    void metadataIsCheckedOnOpen(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("g");
        try (LuceneGallery g = LuceneGallery.createForEmbeddings(dir, 3, true,
                GalleryOptions.squaredL2(0.5).withPolicy(Policy.CLASS_MEAN_PROTOTYPE))) {
            g.enrollEmbedding("a", new float[] {1, 0, 0});
            assertEquals(ModelFingerprint.of(Map.of()), g.fingerprint());
        }
        try (LuceneGallery back = LuceneGallery.openEmbeddings(dir)) {
            assertEquals(GalleryOptions.squaredL2(0.5).withPolicy(Policy.CLASS_MEAN_PROTOTYPE), back.options());
            assertTrue(back.normalized());
            assertEquals(3, back.dim());
            assertEquals(List.of("a"), back.identities());
        }
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> LuceneGallery.createForEmbeddings(dir, 3, true, GalleryOptions.squaredL2(1)));
        assertEquals(dir + ": already holds an index; open it instead", again.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LuceneGallery.createForEmbeddings(tmp.resolve("h"), 3, false,
                GalleryOptions.binaryHead(0.5)));
        assertThrows(java.io.FileNotFoundException.class, () -> LuceneGallery.openEmbeddings(tmp.resolve("none")));
        java.nio.file.Files.createDirectories(tmp.resolve("busy"));
        java.nio.file.Files.writeString(tmp.resolve("busy/notes.txt"), "mine");
        IllegalArgumentException busy = assertThrows(IllegalArgumentException.class,
                () -> LuceneGallery.createForEmbeddings(tmp.resolve("busy"), 3, false, GalleryOptions.squaredL2(1)));
        assertTrue(busy.getMessage().startsWith(tmp.resolve("busy") + ": is a folder with other files"), busy.getMessage());
        try (LuceneGallery g = LuceneGallery.openEmbeddings(dir)) {
            IllegalArgumentException save = assertThrows(IllegalArgumentException.class,
                    () -> dev.oneshot.siamese.gallery.GalleryFile.save(tmp.resolve("g.safetensors"), g));
            assertTrue(save.getMessage().contains("LuceneGallery keeps its own storage"), save.getMessage());
        }
    }

    /** The prototypes survive a reopen bitwise: the answers after reopening are the in-memory gallery's. */
    @Test
    void prototypesAfterReopenMatchTheInMemoryGallery(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("g");
        GalleryOptions o = GalleryOptions.squaredL2(1.0).withPolicy(Policy.CLASS_MEAN_PROTOTYPE);
        ExactGallery exact = Gallery.ofEmbeddings(8, true, o);
        SeededRandom r = new SeededRandom(3);
        try (LuceneGallery g = LuceneGallery.createForEmbeddings(dir, 8, true, o)) {
            for (int i = 0; i < 30; i++) {
                float[] v = unit(r, 8);
                exact.enrollEmbedding("id" + (i % 7), v);
                g.enrollEmbedding("id" + (i % 7), v);
            }
        }
        try (LuceneGallery g = LuceneGallery.openEmbeddings(dir)) {
            for (int q = 0; q < 20; q++) {
                float[] v = unit(r, 8);
                assertEquals(exact.identifyEmbedding(v, 7), g.identifyEmbedding(v, 7), "query " + q);
            }
            float[] v = unit(r, 8);
            g.enrollEmbedding("id2", v);
            exact.enrollEmbedding("id2", v);
            assertEquals(exact.identifyEmbedding(v, 7), g.identifyEmbedding(v, 7), "after enrolling into a reopened gallery");
        }
    }

    @Test
    void aFilterRestrictsTheSearchToTheNamedIdentities(@TempDir Path tmp) throws IOException {
        try (LuceneGallery g = LuceneGallery.createForEmbeddings(tmp.resolve("g"), 2, false, GalleryOptions.squaredL2(1.0))) {
            g.enrollEmbedding("a", new float[] {0, 0});
            g.enrollEmbedding("b", new float[] {1, 0});
            g.enrollEmbedding("c", new float[] {5, 0});
            assertEquals("a", g.identifyEmbedding(new float[] {0, 0}, 1).get(0).nearest());
            List<Match> among = g.identifyEmbedding(new float[] {0, 0}, 3, List.of("b", "c"));
            assertEquals(List.of(new Match("b", 1f, true), new Match("c", 25f, false)), among);
        }
    }

    static float[] unit(SeededRandom r, int d) {
        float[] v = new float[d];
        float n = 0;
        for (int t = 0; t < d; t++) {
            v[t] = (float) r.nextGaussian();
            n += v[t] * v[t];
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int t = 0; t < d; t++) {
            v[t] *= inv;
        }
        return v;
    }
}
