package dev.oneshot.siamese.data;

import dev.oneshot.core.testing.RequiredData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the shared Omniglot background "small" zips; skipped when they are absent. */
class OmniglotTest {
    private static Path small1;
    private static Path small2;

    @BeforeAll
    static void locate() {
        Path dir = TestData.omniglotDir();
        small1 = dir.resolve("images_background_small1.zip");
        small2 = dir.resolve("images_background_small2.zip");
        RequiredData.require(Files.isRegularFile(small1) && Files.isRegularFile(small2), "Omniglot zips not in " + dir);
    }

    private static Set<String> values(LabeledImages d, String key) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            s.add(d.metadata(i).get(key));
        }
        return s;
    }

    @Test
    void small1AtNativeSize() throws IOException {
        long t0 = System.nanoTime();
        InMemoryImages d = Omniglot.fromZip(small1);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("Omniglot small1 (2,720 images, 105×105) loaded from the zip in " + ms + " ms");
        assertEquals(2720, d.size());
        assertEquals(136, d.classCount());
        assertEquals(Set.of("Balinese", "Early_Aramaic", "Greek", "Korean", "Latin"), values(d, Omniglot.ALPHABET));
        assertArrayEquals(new int[] {1, 105, 105}, d.imageShape());
        for (int[] members : d.indicesByClass()) {
            assertEquals(20, members.length);
        }
        // Metadata: the first example is Balinese/character01/0108_01.png.
        assertEquals("Balinese/character01", d.className(0));
        assertEquals("Balinese", d.metadata(0).get(Omniglot.ALPHABET));
        assertEquals("character01", d.metadata(0).get(Omniglot.CHARACTER));
        assertEquals("01", d.metadata(0).get(Omniglot.DRAWER));
        assertEquals("Balinese/character01/0108_01.png", d.metadata(0).get(Omniglot.FILE));
        Set<String> drawers = new HashSet<>();
        for (int i : d.indicesByClass()[0]) {
            drawers.add(d.metadata(i).get(Omniglot.DRAWER));
        }
        assertEquals(20, drawers.size());
        // Inverted 1-bit: only 0 and 1, mostly background 0 with some strokes 1.
        float[] img = d.image(0);
        int ones = 0;
        for (float v : img) {
            assertTrue(v == 0f || v == 1f, "value " + v);
            ones += (int) v;
        }
        assertTrue(ones > 50 && ones < img.length / 2, ones + " stroke pixels");
    }

    @Test
    void small2AndTheUnion() throws IOException {
        ImageOptions small = ImageOptions.square(35).inverted(true);
        long t0 = System.nanoTime();
        InMemoryImages d2 = Omniglot.fromZip(small2, small);
        System.out.println("Omniglot small2 (3,120 images, 105→35) loaded from the zip in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(3120, d2.size());
        assertEquals(156, d2.classCount());
        assertArrayEquals(new int[] {1, 35, 35}, d2.imageShape());

        InMemoryImages all = Omniglot.fromZips(List.of(small1, small2), small);
        assertEquals(242, all.classCount());
        assertEquals(8, values(all, Omniglot.ALPHABET).size());
        assertEquals(242 * 20, all.size()); // Greek and Latin files are the same in both zips: kept once
        Set<String> names = new HashSet<>();
        for (int c = 0; c < all.classCount(); c++) {
            names.add(all.className(c));
        }
        assertEquals(242, names.size());
    }

    @Test
    void alphabetDisjointSplit() throws IOException {
        InMemoryImages d = Omniglot.fromZip(small1, ImageOptions.square(28).inverted(true));
        Splits.Split s = Splits.byGroup(d, Omniglot.ALPHABET, List.of("Balinese", "Korean", "Latin"),
                List.of("Greek"), List.of("Early_Aramaic"));
        assertEquals(Set.of("Balinese", "Korean", "Latin"), values(s.train(), Omniglot.ALPHABET));
        assertEquals(Set.of("Greek"), values(s.val(), Omniglot.ALPHABET));
        assertEquals(d.size(), s.train().size() + s.val().size() + s.test().size());
        assertEquals(136, s.train().classCount() + s.val().classCount() + s.test().classCount());
        Splits.Split r = Splits.byGroup(d, Omniglot.ALPHABET, 0.6, 0.2, 7);
        assertEquals(3, values(r.train(), Omniglot.ALPHABET).size());
        assertEquals(1, values(r.val(), Omniglot.ALPHABET).size());
        assertEquals(1, values(r.test(), Omniglot.ALPHABET).size());
    }
}
