package dev.oneshot.siamese.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The published layout on a tiny hand-made copy: the folder and the zip reader agree. */
class OmniglotLayoutTest {
    @TempDir
    Path tmp;

    private static final String[] FILES = {
        "Alpha/character01/0001_01.png", "Alpha/character01/0002_02.png",
        "Alpha/character02/0003_01.png", "Beta/character01/0004_07.png",
    };

    private static void writeBinary(Path f, int seed) throws IOException {
        BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                img.setRGB(x, y, (x + y + seed) % 3 == 0 ? 0x000000 : 0xffffff); // black strokes on white
            }
        }
        ImageIO.write(img, "png", f.toFile());
    }

    @Test
    void folderAndZipGiveTheSameData() throws IOException {
        Path root = tmp.resolve("images_background_tiny");
        Path zip = tmp.resolve("tiny.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < FILES.length; i++) {
                Path f = root.resolve(FILES[i]);
                Files.createDirectories(f.getParent());
                writeBinary(f, i);
                z.putNextEntry(new ZipEntry("images_background_tiny/" + FILES[i]));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        ImageOptions o = ImageOptions.nativeSize().inverted(true);
        InMemoryImages fromZip = Omniglot.fromZip(zip, o);
        InMemoryImages fromDir = Omniglot.fromFolder(List.of(root), o);
        for (InMemoryImages d : List.of(fromZip, fromDir)) {
            assertEquals(4, d.size());
            assertEquals(3, d.classCount());
            assertEquals(List.of("Alpha/character01", "Alpha/character02", "Beta/character01"),
                    List.of(d.className(0), d.className(1), d.className(2)));
            assertArrayEquals(new int[] {0, 0, 1, 2}, d.labels(0, 1, 2, 3));
            assertEquals("Beta", d.metadata(3).get(Omniglot.ALPHABET));
            assertEquals("07", d.metadata(3).get(Omniglot.DRAWER));
            assertEquals("02", d.metadata(1).get(Omniglot.DRAWER));
            float[] img = d.image(0); // file 0: stroke where (x + y) % 3 == 0, inverted to 1
            assertEquals(1f, img[0]);
            assertEquals(0f, img[1]);
            assertEquals(1f, img[2 * 6 + 1]);
        }
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(fromZip.image(i), fromDir.image(i));
            assertEquals(fromZip.metadata(i), fromDir.metadata(i));
        }
    }
}
