package dev.oneshot.siamese.gallery;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed tiny galleries of 2-d embeddings. */
class GalleryTest {
    private static Gallery l2(double tau) {
        return Gallery.ofEmbeddings(2, false, GalleryOptions.squaredL2(tau));
    }

    private static float[] v(float... x) {
        return x;
    }

    @Test
    void squaredDistancesAndNearestIdentity() {
        Gallery g = l2(Double.POSITIVE_INFINITY);
        g.enrollEmbedding("alice", v(0, 0));
        g.enrollEmbedding("bob", v(3, 4));
        assertEquals(new Match("alice", 1f, true), g.identifyEmbedding(v(1, 0)));
        assertEquals(new Match("bob", 1f, true), g.identifyEmbedding(v(3, 3)));
        assertEquals(new Match("alice", 6.25f, true), g.identifyEmbedding(v(1.5f, 2f))); // 2.25+4 vs 2.25+4: tie → row 0
        assertEquals(List.of("alice", "bob"), g.identities());
        assertEquals(2, g.imageCount());
    }

    /** Distance exactly τ counts as known; just above is unknown but still names the nearest. */
    @Test
    void tauBoundaryIsInclusive() {
        Gallery known = l2(1.0);
        known.enrollEmbedding("alice", v(0, 0));
        Match m = known.identifyEmbedding(v(1, 0));
        assertTrue(m.known());
        assertEquals("alice", m.identity());

        Gallery strict = l2(0.99);
        strict.enrollEmbedding("alice", v(0, 0));
        Match u = strict.identifyEmbedding(v(1, 0));
        assertFalse(u.known());
        assertEquals(Match.UNKNOWN, u.identity());
        assertEquals("alice", u.nearest());
        assertEquals(1f, u.score());
    }

    @Test
    void topKIsOrderedWithTiesByEnrolmentOrderAndDistinctIdentities() {
        Gallery g = l2(2.0);
        g.enrollEmbedding("alice", v(0, 0));
        g.enrollEmbedding("bob", v(2, 0));
        g.enrollEmbedding("carol", v(0, 2));
        g.enrollEmbedding("dave", v(5, 5));
        g.enrollEmbedding("alice", v(1, 0.5f)); // alice's second image: 0.25 from (1, 1)
        List<Match> top = g.identifyEmbedding(v(1, 1), 10);
        assertEquals(List.of(new Match("alice", 0.25f, true), new Match("bob", 2f, true),
                new Match("carol", 2f, true), new Match("dave", 32f, false)), top);
        assertEquals(top.subList(0, 2), g.identifyEmbedding(v(1, 1), 2));
    }

    @Test
    void removeDropsEveryImageAndUnknownIdIsRefused() {
        Gallery g = l2(100);
        g.enrollEmbedding("alice", v(0, 0));
        g.enrollEmbedding("bob", v(3, 4));
        g.enrollEmbedding("alice", v(0, 1));
        assertEquals(2, g.remove("alice"));
        assertEquals(List.of("bob"), g.identities());
        assertEquals(1, g.imageCount());
        assertEquals(new Match("bob", 25f, true), g.identifyEmbedding(v(0, 0)));
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> g.remove("zoe"));
        assertTrue(e.getMessage().contains("'zoe'"), e.getMessage());
        g.enrollEmbedding("carol", v(0, 0)); // labels shifted correctly after removal
        assertEquals(new Match("carol", 0f, true), g.identifyEmbedding(v(0, 0)));
        assertEquals(new Match("bob", 0f, true), g.identifyEmbedding(v(3, 4)));
    }

    @Test
    void nearestImageVersusClassMeanPrototype() {
        GalleryOptions o = GalleryOptions.squaredL2(10);
        Gallery nearest = Gallery.ofEmbeddings(2, false, o);
        Gallery mean = Gallery.ofEmbeddings(2, false, o.withPolicy(Policy.CLASS_MEAN_PROTOTYPE));
        for (Gallery g : List.of(nearest, mean)) {
            g.enrollEmbedding("alice", v(0, 0));
            g.enrollEmbedding("alice", v(2, 0)); // prototype (1, 0)
            g.enrollEmbedding("bob", v(3.5f, 0));
        }
        assertEquals(new Match("alice", 0.25f, true), nearest.identifyEmbedding(v(2.5f, 0))); // image (2,0)
        assertEquals(new Match("bob", 1f, true), mean.identifyEmbedding(v(2.5f, 0)));        // 2.25 vs 1
        mean.remove("bob");
        assertEquals(new Match("alice", 2.25f, true), mean.identifyEmbedding(v(2.5f, 0)));
    }

    @Test
    void prototypeIsRenormalisedWhenTheModelNormalises() {
        Gallery g = Gallery.ofEmbeddings(2, true,
                GalleryOptions.squaredL2(1).withPolicy(Policy.CLASS_MEAN_PROTOTYPE));
        g.enrollEmbedding("alice", v(1, 0));
        g.enrollEmbedding("alice", v(0, 1)); // mean (0.5, 0.5) → (0.7071, 0.7071)
        g.enrollEmbedding("bob", v(-1, 0));
        Match m = g.identifyEmbedding(v((float) Math.sqrt(0.5), (float) Math.sqrt(0.5)));
        assertEquals("alice", m.identity());
        assertEquals(0f, m.score(), 1e-6f);
        assertEquals(2 - Math.sqrt(2), g.identifyEmbedding(v(1, 0)).score(), 1e-6);
    }

    /** p = σ(w·|q − g| + b) with w = (−1, −2), b = 3; τ is a lower bound on p. */
    @Test
    void binaryHeadProbabilityHigherIsCloser() {
        BinaryVerificationHead head = new BinaryVerificationHead(2, new SeededRandom(1));
        System.arraycopy(v(-1, -2), 0, head.stateDict().get("fc.weight").data(), 0, 2);
        head.stateDict().get("fc.bias").data()[0] = 3f;
        Gallery g = Gallery.ofEmbeddings(2, head, GalleryOptions.binaryHead(0.85));
        g.enrollEmbedding("alice", v(0, 0)); // |(1,0)| → logit 2 → 0.8808
        g.enrollEmbedding("bob", v(1, 1));   // |(0,1)| → logit 1 → 0.7311
        List<Match> top = g.identifyEmbedding(v(1, 0), 2);
        assertEquals("alice", top.get(0).identity());
        assertEquals(1 / (1 + Math.exp(-2)), top.get(0).score(), 1e-6);
        assertEquals(1 / (1 + Math.exp(-1)), top.get(1).score(), 1e-6);
        assertFalse(top.get(1).known());
        float headP = head.probability(Tensor.fromArray(v(1, 0), 1, 2), Tensor.fromArray(v(0, 0), 1, 2)).item();
        assertEquals(headP, top.get(0).score(), 1e-6f);
        Gallery strict = Gallery.ofEmbeddings(2, head, GalleryOptions.binaryHead(0.9));
        strict.enrollEmbedding("alice", v(0, 0));
        assertEquals(Match.UNKNOWN, strict.identifyEmbedding(v(1, 0)).identity());
        Gallery exact = Gallery.ofEmbeddings(2, head, GalleryOptions.binaryHead(top.get(0).score()));
        exact.enrollEmbedding("alice", v(0, 0));
        assertTrue(exact.identifyEmbedding(v(1, 0)).known(), "p == τ counts as known");
        assertTrue(g.verifyEmbeddings(v(1, 0), v(0, 0)).same());
        assertFalse(g.verifyEmbeddings(v(1, 0), v(1, 1)).same());
        assertThrows(IllegalArgumentException.class, () -> GalleryOptions.binaryHead(1.5));
        assertThrows(IllegalArgumentException.class, () -> Gallery.ofEmbeddings(2, false, GalleryOptions.binaryHead(0.5)));
    }

    @Test
    void verifyUsesTauInclusively() {
        Gallery g = l2(25);
        assertEquals(new Verification(true, 25f), g.verifyEmbeddings(v(0, 0), v(3, 4)));
        assertEquals(new Verification(false, 26f), g.verifyEmbeddings(v(0, 0), v(1, 5)));
    }

    @Test
    void badInputsGiveClearMessages() {
        Gallery g = l2(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.enrollEmbedding("alice", v(1, 2, 3)));
        assertTrue(e.getMessage().contains("dimension 3") && e.getMessage().contains("dimension is 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.identifyEmbedding(v(1)));
        assertTrue(e.getMessage().contains("dimension 1") && e.getMessage().contains("dimension is 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.enrollEmbedding("alice", v(Float.NaN, 0)));
        assertThrows(IllegalArgumentException.class, () -> g.enrollEmbedding("", v(0, 0)));
        assertThrows(IllegalArgumentException.class, () -> g.enrollEmbedding(Match.UNKNOWN, v(0, 0)));
        assertThrows(IllegalArgumentException.class, () -> g.identifyEmbedding(v(0, 0), 0));
        assertThrows(IllegalStateException.class, () -> g.identify(Tensor.zeros(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> GalleryOptions.squaredL2(-1));
        Match empty = g.identifyEmbedding(v(0, 0));
        assertFalse(empty.known());
        assertNull(empty.nearest());
        assertTrue(g.identifyEmbedding(v(0, 0), 3).isEmpty());
    }
}
