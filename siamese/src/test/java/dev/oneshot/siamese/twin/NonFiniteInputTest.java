package dev.oneshot.siamese.twin;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NaN and ±∞ are refused at the door — the embedder and every gallery method that takes raw
 * images or embeddings — naming the input and the first bad index; a tensor of the wrong
 * shape is refused naming the shape given and what the network takes. Nothing is enrolled
 * when an enrolment is refused.
 */
class NonFiniteInputTest {
    static final SmallCnnConfig CFG = SmallCnnConfig.demo();
    static final int S = CFG.inputSize();

    static Tensor images(int n, int badIndex, float bad) {
        float[] px = new float[n * S * S];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 17) / 17f;
        }
        if (badIndex >= 0) {
            px[badIndex] = bad;
        }
        return Tensor.wrap(px, n, 1, S, S);
    }

    static TwinNetwork net() {
        return new TwinNetwork(EmbeddingNets.smallCnn(CFG), true);
    }

    @Test
    void theEmbedderNamesTheFirstNonFinitePixel() {
        int at = S * S + 2 * S + 5; // image 1, row 2, column 5
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net().embed(images(2, at, Float.NaN)));
        assertEquals("TwinNetwork.embed: input [2, 1, " + S + ", " + S + "] has a non-finite value NaN at index " + at
                + " (image 1, channel 0, row 2, column 5); images must be finite", e.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> net().embed(images(1, 0, Float.NEGATIVE_INFINITY)));
        assertEquals("TwinNetwork.embed: input [1, 1, " + S + ", " + S + "] has a non-finite value -Infinity at index 0"
                + " (image 0, channel 0, row 0, column 0); images must be finite", inf.getMessage());
    }

    @Test
    void galleryEnrollAndIdentifyRefuseNonFiniteImagesNamingTheInput() {
        Gallery g = Gallery.of(SiameseModel.of(net().embeddingNet(), ModelCard.builder(InputSpec.square(S)).build()),
                GalleryOptions.squaredL2(1.0));
        g.enroll("bob", images(1, -1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.enroll("alice", images(3, 2 * S * S + 7, Float.POSITIVE_INFINITY)));
        assertEquals("Gallery.enroll('alice'): images [3, 1, " + S + ", " + S + "] has a non-finite value Infinity at index "
                + (2 * S * S + 7) + " (image 2, channel 0, row 0, column 7); images must be finite", e.getMessage());
        assertEquals(List.of("bob"), g.identities(), "a refused enrolment added nothing");
        assertEquals(1, g.imageCount());

        IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> g.identify(images(1, 9, Float.NaN)));
        assertEquals("Gallery.identify: query image [1, 1, " + S + ", " + S + "] has a non-finite value NaN at index 9"
                + " (image 0, channel 0, row 0, column 9); images must be finite", q.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.identify(images(1, 0, Float.NaN), 2));
        assertThrows(IllegalArgumentException.class, () -> g.identifyAll(images(2, S * S, Float.NaN)));
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> g.verify(images(1, -1, 0), images(1, 3, Float.NaN)));
        assertEquals("Gallery.verify: second image [1, 1, " + S + ", " + S + "] has a non-finite value NaN at index 3"
                + " (image 0, channel 0, row 0, column 3); images must be finite", v.getMessage());
        assertEquals("bob", g.identify(images(1, -1, 0)).nearest(), "the gallery still answers");
    }

    @Test
    void galleryEmbeddingMethodsRefuseNonFiniteVectors() {
        Gallery g = Gallery.ofEmbeddings(3, false, GalleryOptions.squaredL2(1.0));
        g.enrollEmbedding("a", new float[] {0, 0, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.identifyEmbedding(new float[] {0, Float.NaN, 0}));
        assertEquals("Gallery.identifyEmbedding: query (3 values) has a non-finite value NaN at index 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.identifyEmbedding(new float[] {0, 0, Float.NaN}, 1));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> g.identifyEmbeddings(new float[] {0, 0, 0, 1, Float.POSITIVE_INFINITY, 0}, 2));
        assertEquals("Gallery.identifyEmbeddings: queries (6 values) has a non-finite value Infinity at index 4",
                m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.verifyEmbeddings(new float[3], new float[] {Float.NaN, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> g.enrollEmbedding("b", new float[] {Float.NaN, 0, 0}));
        assertEquals(List.of("a"), g.identities());
    }

    @Test
    void aTensorOfTheWrongShapeIsRefusedNamingShapeAndExpectedChannels() {
        TwinNetwork net = net();
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> net.embed(Tensor.zeros(2, 3, S, S)));
        assertTrue(channels.getMessage().startsWith("TwinNetwork.embed: the embedding network cannot take input [2, 3, "
                + S + ", " + S + "] (it takes [n, 1, H, W]: its first convolution has 1 input channel): "),
                channels.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> net.embed(Tensor.zeros(1, 1, S + 4, S + 4)));
        assertTrue(size.getMessage().startsWith("TwinNetwork.embed: the embedding network cannot take input [1, 1, "
                + (S + 4) + ", " + (S + 4) + "] (it takes [n, 1, H, W]"), size.getMessage());
        assertEquals(CFG.embeddingDim(), net.embed(Tensor.zeros(1, 1, S, S)).size(1), "the right shape still works");
    }
}
