package dev.oneshot.siamese.gallery;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.model.SiameseModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Enrolling and searching images through a real (tiny) twin network. */
class GalleryModelTest {
    @Test
    void enrollIdentifyAndVerifyImages() {
        SiameseModel net = GalleryFileTest.twin(3, true);
        net.train();
        Gallery g = Gallery.of(net, GalleryOptions.squaredL2(1e-6));
        Tensor alice = Tensor.randn(1, 2, 6);
        Tensor bob = Tensor.randn(2, 1, 6);
        assertEquals(2, g.enroll("alice", alice));
        assertEquals(1, g.enroll("bob", bob));
        assertFalse(net.isTraining(), "the network is put in eval mode");
        assertEquals(3, g.imageCount());
        Match m = g.identify(bob);
        assertEquals("bob", m.identity());
        assertEquals(0f, m.score());
        assertEquals(List.of("alice", "bob"), g.identify(alice.sliceRows(1, 2), 5).stream().map(Match::nearest).toList());
        List<Match> all = g.identifyAll(Tensor.concat(0, alice, bob));
        assertEquals(List.of("alice", "alice", "bob"), all.stream().map(Match::identity).toList());
        assertTrue(g.verify(bob, bob).same());
        Verification v = g.verify(alice.sliceRows(0, 1), bob);
        assertFalse(v.same());
        float[] e;
        try (Grad.Scope off = Grad.off()) {
            e = net.twin().embed(Tensor.concat(0, alice.sliceRows(0, 1), bob)).data();
        }
        float d = 0;
        for (int t = 0; t < 4; t++) {
            d += (e[t] - e[4 + t]) * (e[t] - e[4 + t]);
        }
        assertEquals(d, v.score(), 1e-6f);
    }

    @Test
    void aGalleryTakesItsDimensionFromTheModel() {
        Gallery g = Gallery.of(GalleryFileTest.twin(3, false));
        assertEquals(4, g.dim());
        assertEquals(Double.POSITIVE_INFINITY, g.options().tau(), "an uncalibrated unnormalised model: no threshold");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.enrollEmbedding("alice", new float[5]));
        assertTrue(e.getMessage().contains("dimension 5") && e.getMessage().contains("dimension is 4"), e.getMessage());
        assertEquals(1.0, Gallery.of(GalleryFileTest.twin(3, true)).options().tau(), "unit embeddings: τ 1 by default");
    }

    @Test
    void theBinaryMetricNeedsAModelWithAHead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gallery.of(GalleryFileTest.twin(3, false), GalleryOptions.binaryHead(0.5)));
        assertTrue(e.getMessage().contains("needs a model with a BinaryVerificationHead"), e.getMessage());
    }

    /** Koch mode: the gallery's probability is the head's σ(w·|a − b| + b) for the same pair. */
    @Test
    void binaryHeadOverImages() {
        BinaryVerificationHead head = new BinaryVerificationHead(4, new SeededRandom(9));
        SiameseModel model = GalleryFileTest.withHead(4, head);
        Gallery g = Gallery.of(model, GalleryOptions.binaryHead(0.5));
        Tensor imgs = Tensor.randn(6, 3, 6);
        g.enroll("a", imgs.sliceRows(0, 1));
        g.enroll("b", imgs.sliceRows(1, 2));
        g.enroll("c", imgs.sliceRows(2, 3));
        Tensor query = Tensor.randn(7, 1, 6);
        List<Match> top = g.identify(query, 3);
        Tensor eq;
        Tensor eg;
        Tensor p;
        try (Grad.Scope off = Grad.off()) {
            eq = model.twin().embed(Tensor.concat(0, query, query, query));
            eg = model.twin().embed(imgs);
            p = head.probability(eq, eg);
        }
        for (Match m : top) {
            int i = m.nearest().charAt(0) - 'a';
            assertEquals(p.data()[i], m.score(), 1e-5f, m.toString());
            assertEquals(m.score() >= 0.5f, m.known());
        }
        assertTrue(top.get(0).score() >= top.get(1).score() && top.get(1).score() >= top.get(2).score());
        assertEquals(p.data()[0], g.verify(query, imgs.sliceRows(0, 1)).score(), 1e-5f);
    }
}
