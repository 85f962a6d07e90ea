package dev.oneshot.siamese.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    @TempDir
    Path root;

    private Path dir(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    private static void writeRgb(Path file, int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        assertTrue(ImageIO.write(img, "png", file.toFile()));
    }

    /** A grey PNG with the given 8-bit values, row-major. */
    private static void writeGray(Path file, int w, int h, int... values) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setPixels(0, 0, w, h, values);
        assertTrue(ImageIO.write(img, "png", file.toFile()));
    }

    @Test
    void rgbBecomesRec601Luma() throws IOException {
        writeRgb(dir("orange").resolve("a.png"), 3, 2, (200 << 16) | (100 << 8) | 50);
        InMemoryImages d = ImageFolder.load(root, ImageOptions.nativeSize());
        assertArrayEquals(new int[] {1, 2, 3}, d.imageShape());
        float expected = (float) ((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255); // 0.4882…
        for (float v : d.image(0)) {
            assertEquals(expected, v, 1e-6f);
        }
    }

    @Test
    void greyIsReadRawAndClassesFollowFolderNames() throws IOException {
        writeGray(dir("b").resolve("1.png"), 2, 1, 0, 255);
        writeGray(dir("a").resolve("2.png"), 2, 1, 128, 64);
        writeGray(dir("a").resolve("1.png"), 2, 1, 10, 20);
        Files.writeString(dir("a").resolve("notes.txt"), "ignored: not an image extension");
        InMemoryImages d = ImageFolder.load(root, ImageOptions.nativeSize());
        assertEquals(3, d.size());
        assertEquals(2, d.classCount());
        assertEquals("a", d.className(0));
        assertArrayEquals(new int[] {0, 0, 1}, d.labels(0, 1, 2));
        assertEquals("a/1.png", d.metadata(0).get(ImageFolder.FILE).replace('\\', '/'));
        assertArrayEquals(new float[] {128 / 255f, 64 / 255f}, d.image(1), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f}, d.gather(2).data(), 1e-6f);
        ImageOptions inv = ImageOptions.nativeSize().inverted(true);
        assertArrayEquals(new float[] {1f, 0f}, ImageFolder.load(root, inv).image(2), 1e-6f);
    }

    @Test
    void areaResizeAveragesBlocks() throws IOException {
        // 4×4 made of 2×2 blocks 0, 100 / 200, 40 → 2×2 means
        writeGray(dir("c").resolve("p.png"), 4, 4,
                0, 0, 100, 100,
                0, 255, 100, 100,
                200, 200, 40, 40,
                200, 200, 40, 40);
        InMemoryImages d = ImageFolder.load(root, ImageOptions.square(2));
        assertArrayEquals(new float[] {255 / 4f / 255, 100 / 255f, 200 / 255f, 40 / 255f}, d.image(0), 1e-6f);
    }

    @Test
    void bilinearResizeUsesHalfPixelCentres() throws IOException {
        writeGray(dir("c").resolve("p.png"), 2, 1, 0, 255);
        ImageOptions o = new ImageOptions(1, 4, Resize.Method.BILINEAR, false);
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, ImageFolder.load(root, o).image(0), 1e-6f);
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        writeGray(dir("ok").resolve("good.png"), 1, 1, 7);
        Path bad = dir("ok").resolve("broken.png");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(root, ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void emptyFoldersAreErrors() throws IOException {
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(root, ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains("is empty") && e.getMessage().contains(root.toString()), e.getMessage());
        Path cls = dir("nothing");
        e = assertThrows(IOException.class, () -> ImageFolder.load(root, ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains(cls.toString()) && e.getMessage().contains("no images"), e.getMessage());
    }

    @Test
    void mixedSizesNeedAConfiguredSize() throws IOException {
        writeGray(dir("a").resolve("small.png"), 1, 1, 0);
        writeGray(dir("a").resolve("wide.png"), 2, 1, 0, 0);
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(root, ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains("wide.png"), e.getMessage());
        assertEquals(2, ImageFolder.load(root, ImageOptions.square(3)).size());
    }

    /** {@code root}'s files as zip entries under {@code prefix}, in reverse name order (the reader must sort). */
    private Path zipOf(String name, String prefix) throws IOException {
        Path zip = root.resolveSibling(root.getFileName() + "-" + name);
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted(Comparator.reverseOrder()).toList();
        }
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Path f : files) {
                z.putNextEntry(new ZipEntry(prefix + root.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void aZipOfClassFoldersLoadsAsTheFolder() throws IOException {
        writeGray(dir("b").resolve("1.png"), 2, 1, 0, 255);
        writeGray(dir("a").resolve("2.png"), 2, 1, 128, 64);
        writeGray(dir("a").resolve("1.png"), 2, 1, 10, 20);
        Files.writeString(dir("a").resolve("notes.txt"), "ignored: not an image extension");
        writeGray(dir(".trash").resolve("x.png"), 2, 1, 1, 1);
        InMemoryImages folder = ImageFolder.load(root, ImageOptions.nativeSize());
        Path flat = zipOf("flat.zip", "");
        Path nested = zipOf("nested.zip", "data_png/");
        for (Path zip : List.of(flat, nested)) {
            InMemoryImages d = ImageFolder.load(zip, ImageOptions.nativeSize());
            assertEquals(2, d.classCount());
            assertEquals(List.of("a", "b"), List.of(d.className(0), d.className(1)));
            assertArrayEquals(new int[] {0, 0, 1}, d.labels(0, 1, 2));
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(folder.image(i), d.image(i), "image " + i);
            }
            String top = zip.equals(nested) ? "data_png/" : "";
            assertEquals(top + "a/2.png", d.metadata(1).get(ImageFolder.FILE), "relative to the zip, top folder kept");
        }
        Files.write(root.resolve("a/2.png"), new byte[] {1, 2, 3});
        Path broken = zipOf("broken.zip", "data_png/");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(broken, ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains(broken + "!/data_png/a/2.png"), e.getMessage());
    }

    @Test
    void aZipWithoutClassFoldersIsNamed() throws IOException {
        Files.writeString(root.resolve("readme.txt"), "no classes here");
        Path zip = zipOf("loose.zip", "top/");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(zip, ImageOptions.nativeSize()));
        assertEquals("class folder " + zip + "!/top holds no images (png, jpg, jpeg, bmp, gif, pgm, ppm, pnm)",
                e.getMessage());
    }

    @Test
    void fractionalAreaWeights() {
        // 1×3 → 1×2: cells [0, 1.5) and [1.5, 3)
        float[] out = Resize.resize(new float[] {0, 3, 6}, 1, 3, 1, 2, Resize.Method.AREA);
        assertArrayEquals(new float[] {1f, 5f}, out, 1e-6f);
    }
}
