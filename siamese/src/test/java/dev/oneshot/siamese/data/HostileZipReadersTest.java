package dev.oneshot.siamese.data;

import dev.oneshot.core.testing.FuzzContract;
import dev.oneshot.siamese.eval.OmniglotRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reader that goes through {@link FileTree}, given each damaged zip of {@link HostileZips}
 * laid out as it expects: an {@link IOException} naming the zip, allocation bounded as in the fuzz
 * targets, no hang ({@link FuzzContract}). The zips are well-formed before the damage: each reader
 * loads them (checked first), so the damage is what each case tests.
 */
class HostileZipReadersTest {
    @TempDir
    static Path dir;

    /** As {@code OmniglotRunsFuzzTest.runsZip}: decoding may allocate 128 bytes per pixel an entry can hold. */
    private static final long BYTES_PER_INPUT_BYTE = 128 * GrayImages.MAX_PIXELS_PER_BYTE;

    private static final byte[] PNG = png();

    /** A reader, given the zip: loads, or throws. */
    private interface Reader {
        void read(Path zip) throws Exception;
    }

    private record Layout(List<String> entries, Reader reader) {
    }

    private static final Map<String, Layout> READERS = new LinkedHashMap<>();

    static {
        READERS.put("Omniglot.load", new Layout(List.of("images/Alpha/character01/0001_01.png",
                "images/Alpha/character02/0002_01.png"), z -> Omniglot.load(List.of(z), ImageOptions.square(4))));
        READERS.put("OrlFaces.load", new Layout(List.of("faces/s1/1.png", "faces/s1/2.png"),
                z -> OrlFaces.load(z, new OrlFaces.People(1, 1), ImageOptions.square(4))));
        READERS.put("ImageFolder.load", new Layout(List.of("top/a/1.png", "top/b/1.png"),
                z -> ImageFolder.load(z, ImageOptions.square(4))));
        READERS.put("OmniglotRuns.read", new Layout(List.of("all_runs/run01/training/class01.png",
                "all_runs/run01/training/class02.png", "all_runs/run01/test/item01.png", "all_runs/run01/class_labels.txt"),
                z -> OmniglotRuns.read(z, ImageOptions.square(4))));
        READERS.put("FileTree.readBytes", new Layout(List.of("top/a/1.png"),
                z -> GrayImages.decode(FileTree.readBytes(z + "/top/a/1.png"), "1.png", ImageOptions.square(4))));
    }

    private static byte[] png() {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(1, 2, 0, 200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Stream<Arguments> cases() {
        return HostileZips.damages().keySet().stream()
                .flatMap(d -> READERS.keySet().stream().map(r -> Arguments.of(d, r)));
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name.replaceAll("[^A-Za-z0-9.]+", "_") + ".zip"), bytes);
    }

    @Test
    void theUndamagedZipsLoad() throws Exception {
        for (var r : READERS.entrySet()) {
            Path zip = write("intact " + r.getKey(), HostileZips.zip(r.getValue().entries(), PNG));
            if (r.getKey().startsWith("OmniglotRuns")) {
                IOException e = assertThrows(IOException.class, () -> r.getValue().reader().read(zip));
                // every entry holds the PNG, class_labels.txt too: the runs were found and their labels read
                assertTrue(e.getMessage().startsWith("OmniglotRuns: " + zip + "!/all_runs/run01/class_labels.txt:1: "),
                        e.getMessage());
            } else {
                r.getValue().reader().read(zip);
            }
        }
    }

    @ParameterizedTest(name = "{0}, read by {1}")
    @MethodSource("cases")
    void aDamagedZipIsAnIOExceptionNamingIt(String damage, String reader) throws IOException {
        Layout layout = READERS.get(reader);
        byte[] bytes = HostileZips.damages().get(damage).apply(HostileZips.zip(layout.entries(), PNG));
        Path zip = write(damage + " " + reader, bytes);
        FuzzContract.check(zip.toString(), bytes.length, BYTES_PER_INPUT_BYTE, () -> layout.reader().read(zip),
                IOException.class);
        if (!damage.startsWith("uncompressed size")) { // that claim is ignored: the entries read as they are
            assertThrows(IOException.class, () -> layout.reader().read(zip));
        }
    }

    /**
     * Entry names as deep as the limit allows (2,000 levels, 4,005 bytes) under 8 top folders: the
     * zip file system makes a folder of every prefix, so this is the costliest tree a name may
     * build; every reader still answers within the contract's time and allocation.
     */
    @Test
    void theDeepestNamesAllowedStayWithinTheContract() throws IOException {
        List<String> names = new java.util.ArrayList<>();
        for (char top = 'a'; top < 'i'; top++) {
            names.add(top + "/" + "d/".repeat(1999) + "1.png");
        }
        byte[] bytes = HostileZips.zip(names, PNG);
        Path zip = write("deep names", bytes);
        for (var r : READERS.entrySet()) {
            FuzzContract.check(zip.toString(), bytes.length, BYTES_PER_INPUT_BYTE, () -> r.getValue().reader().read(zip),
                    IOException.class);
        }
    }

    @Test
    void anEntryNameLongerThanAnyFileSystemTakesIsRefused() throws IOException {
        String name = "a/".repeat(2046) + "1.png"; // 4,097 bytes
        Path zip = write("long name", HostileZips.zip(List.of("ok.png", name), PNG));
        IOException e = assertThrows(IOException.class, () -> FileTree.open(zip));
        assertEquals(zip + " is neither a folder nor a readable zip: ZipException: entry 1 of the central directory has "
                + "a 4097-byte name; at most 4096 bytes are read", e.getMessage());
        Path fine = write("long name fine", HostileZips.zip(List.of("ok.png", name.substring(2)), PNG));
        try (FileTree t = FileTree.open(fine)) {
            assertEquals(List.of(name.substring(2), "ok.png"), t.files());
        }
    }

    @Test
    void aZip64CountIsRefusedBeforeTheZipFileSystemSizesATableByIt() throws IOException {
        byte[] bytes = HostileZips.damages().get("ZIP64 entry count of 2^26").apply(HostileZips.zip(List.of("a.png"), PNG));
        Path zip = write("zip64 count", bytes);
        IOException e = assertThrows(IOException.class, () -> FileTree.open(zip));
        assertEquals(zip + " is neither a folder nor a readable zip: ZipException: the ZIP64 end of central "
                + "directory claims 67108864 entries, but a " + bytes.length + "-byte file holds at most "
                + bytes.length / 46 + " (46 bytes per entry)", e.getMessage());
    }
}
