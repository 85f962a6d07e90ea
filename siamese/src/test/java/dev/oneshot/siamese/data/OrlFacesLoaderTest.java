package dev.oneshot.siamese.data;

import dev.oneshot.core.testing.RequiredData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrlFacesLoaderTest {
    /** 56×46: exact 2×2 block averages of the 112×92 photos. */
    private static final ImageOptions HALF = new ImageOptions(56, 46, Resize.Method.AREA, false);

    static Path orlZip() {
        return TestData.omniglotDir().resolveSibling("orl-faces").resolve("orl_faces_png.zip");
    }

    /** A 2×2 P2 image whose pixels are all {@code v}/255. */
    private static void pgm(Path file, int v) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "P2\n2 2\n255\n" + v + " " + v + "\n" + v + " " + v + "\n", StandardCharsets.US_ASCII);
    }

    @Test
    void folderOfPgmsOrderedByPersonNumber(@TempDir Path dir) throws IOException {
        for (int s = 1; s <= 10; s++) {
            if (s == 3) {
                continue;
            }
            for (int y = 1; y <= 3; y++) {
                pgm(dir.resolve("att_faces/s" + s + "/" + y + ".pgm"), s * 10 + y);
            }
        }
        Files.writeString(dir.resolve("att_faces/README"), "not a photo");
        InMemoryImages all = OrlFaces.load(dir, new OrlFaces.People(1, 2), ImageOptions.nativeSize());
        assertEquals(2, all.classCount());
        assertEquals("s1", all.className(0));
        assertEquals(6, all.size());
        assertEquals("2", all.metadata(4).get(OrlFaces.PHOTO));
        assertEquals("att_faces/s2/2.pgm", all.metadata(4).get(OrlFaces.FILE));
        assertEquals(22 / 255f, all.image(4)[0], 1e-6f);
        IOException e = assertThrows(IOException.class,
                () -> OrlFaces.load(dir, new OrlFaces.People(1, 3), ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains("holds no photo of person 3"), e.getMessage());
        InMemoryImages some = OrlFaces.load(dir, new OrlFaces.People(4, 10), ImageOptions.nativeSize());
        assertEquals(7, some.classCount());
        assertEquals("s4", some.className(0));
        assertEquals("s9", some.className(5));
        assertEquals("s10", some.className(6), "numeric order: s9 before s10");
    }

    @Test
    void peopleRanges() {
        assertEquals(new OrlFaces.People(1, 30), OrlFaces.People.parse("1-30"));
        assertEquals(new OrlFaces.People(7, 7), OrlFaces.People.parse("7"));
        assertEquals(10, OrlFaces.People.parse("31-40").count());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrlFaces.People.parse("30-1"));
        assertTrue(e.getMessage().contains("30-1 is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OrlFaces.People.parse("a-b"));
        assertTrue(e.getMessage().contains("'a-b' is not FIRST-LAST"), e.getMessage());
    }

    @Test
    void missingPathIsNamed(@TempDir Path dir) {
        Path nowhere = dir.resolve("nope.zip");
        IOException e = assertThrows(IOException.class,
                () -> OrlFaces.load(nowhere, OrlFaces.People.ALL, HALF));
        assertTrue(e.getMessage().contains("nope.zip"), e.getMessage());
    }

    @Test
    void theSharedZipHoldsFortyPeopleOfTenPhotos() throws IOException {
        Path zip = orlZip();
        RequiredData.require(Files.isRegularFile(zip), "ORL faces not found at " + zip);
        InMemoryImages all = OrlFaces.load(zip, OrlFaces.People.ALL, HALF);
        assertEquals(40, all.classCount());
        assertEquals(400, all.size());
        assertEquals("s40", all.className(39));
        assertEquals(1, all.imageShape()[0]);
        assertEquals(56, all.imageShape()[1]);
        assertEquals(46, all.imageShape()[2]);
        InMemoryImages some = OrlFaces.load(zip, new OrlFaces.People(31, 35), HALF);
        assertEquals(50, some.size());
        assertEquals("s31", some.className(0));
        assertEquals("31", some.metadata(0).get(OrlFaces.PERSON));
        assertEquals("1", some.metadata(0).get(OrlFaces.PHOTO));
        assertEquals("orl_faces_png/s31/1.png", some.metadata(0).get(OrlFaces.FILE));
    }
}
