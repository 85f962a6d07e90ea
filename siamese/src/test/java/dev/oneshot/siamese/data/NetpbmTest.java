package dev.oneshot.siamese.data;

import dev.oneshot.core.testing.RequiredData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetpbmTest {
    @TempDir
    Path dir;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A binary PGM (P5) or PPM (P6) with the given samples (1 or 2 bytes each per maxval). */
    static byte[] binary(char kind, int w, int h, int maxval, int... samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("P" + kind + "\n" + w + " " + h + "\n" + maxval + "\n"));
        for (int s : samples) {
            if (maxval > 255) {
                out.write(s >> 8);
            }
            out.write(s & 0xff);
        }
        return out.toByteArray();
    }

    private static float[] floats(int maxval, int... samples) {
        float[] f = new float[samples.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (samples[i] / (double) maxval);
        }
        return f;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static GrayImages.Plane read(Path p) throws IOException {
        return GrayImages.read(p, ImageOptions.nativeSize());
    }

    /** Decodes and expects failure; returns the message after checking it names the file. */
    private static String failure(String text) {
        return failure(ascii(text));
    }

    private static String failure(byte[] bytes) {
        NetpbmFormatException e = assertThrows(NetpbmFormatException.class,
                () -> GrayImages.decode(bytes, "bad.pgm", ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains("bad.pgm"), e.getMessage());
        return e.getMessage();
    }

    // ---- round trips ----

    @Test
    void p5EightBitRoundTripsExactly() throws IOException {
        int[] s = {0, 1, 127, 128, 254, 255};
        GrayImages.Plane p = read(write("a.pgm", binary('5', 3, 2, 255, s)));
        assertEquals(2, p.height());
        assertEquals(3, p.width());
        assertArrayEquals(floats(255, s), p.pixels());
        assertEquals(1f, p.pixels()[5]);
        assertEquals(0f, p.pixels()[0]);
    }

    @Test
    void p5SixteenBitBigEndianRoundTripsExactly() throws IOException {
        int[] s = {0, 1, 256, 0x1234, 65534, 65535};
        GrayImages.Plane p = read(write("a.pgm", binary('5', 2, 3, 65535, s)));
        assertEquals(3, p.height());
        assertEquals(2, p.width());
        assertArrayEquals(floats(65535, s), p.pixels());
        // maxval 1000 (two bytes per sample, scaled by 1/1000)
        GrayImages.Plane q = read(write("b.pgm", binary('5', 2, 1, 1000, 500, 1000)));
        assertArrayEquals(new float[] {0.5f, 1f}, q.pixels());
    }

    @Test
    void smallMaxvalScalesByMaxval() throws IOException {
        GrayImages.Plane p = read(write("a.pgm", binary('5', 3, 1, 2, 0, 1, 2)));
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, p.pixels());
    }

    @Test
    void p2WithCommentsEverywhereInTheHeader() throws IOException {
        String text = "P2 # plain grey\n# a whole comment line\n3#width\n  2 # height\n#before maxval\n15\n"
                + "0 1 2\n 3\t4\r\n15\n\n";
        GrayImages.Plane p = read(write("plain.pgm", ascii(text)));
        assertEquals(2, p.height());
        assertEquals(3, p.width());
        assertArrayEquals(floats(15, 0, 1, 2, 3, 4, 15), p.pixels());
    }

    @Test
    void p2SixteenBit() throws IOException {
        GrayImages.Plane p = read(write("a.pgm", ascii("P2\n2 1\n65535\n65535 32768")));
        assertArrayEquals(floats(65535, 65535, 32768), p.pixels());
    }

    @Test
    void p6ColourBecomesTheSameLumaAsGrayImages() throws IOException {
        int[] rgb = {200, 100, 50, 0, 0, 0, 255, 255, 255, 10, 20, 30};
        GrayImages.Plane p = read(write("c.ppm", binary('6', 2, 2, 255, rgb)));
        float[] expected = new float[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = GrayImages.luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
        }
        assertArrayEquals(expected, p.pixels());
        assertEquals((float) ((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255), p.pixels()[0]);
        // and the same as a PNG of those colours read through ImageIO
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 4; i++) {
            img.setRGB(i % 2, i / 2, (rgb[3 * i] << 16) | (rgb[3 * i + 1] << 8) | rgb[3 * i + 2]);
        }
        assertTrue(ImageIO.write(img, "png", dir.resolve("c.png").toFile()));
        assertArrayEquals(read(dir.resolve("c.png")).pixels(), p.pixels());
    }

    @Test
    void p6SixteenBitLuma() throws IOException {
        GrayImages.Plane p = read(write("c.ppm", binary('6', 1, 1, 65535, 65535, 0, 32768)));
        assertArrayEquals(new float[] {(float) ((0.299 * 65535 + 0.114 * 32768) / 65535)}, p.pixels());
    }

    @Test
    void detectedByMagicWhateverTheNameAndOptionsApply() throws IOException {
        byte[] pgm = binary('5', 2, 2, 255, 0, 255, 255, 0);
        GrayImages.Plane p = GrayImages.decode(pgm, "misnamed.png", new ImageOptions(1, 1, Resize.Method.AREA, true));
        assertArrayEquals(new float[] {0.5f}, p.pixels());
        GrayImages.Plane q = GrayImages.decode(pgm, "noext", ImageOptions.nativeSize().inverted(true));
        assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, q.pixels());
    }

    // ---- malformed ----

    @Test
    void badMagic() {
        String m = failure("P7\n2 2\n255\nabcd");
        assertTrue(m.contains("magic") && m.contains("P2, P5 or P6") && m.contains("'P' '7'"), m);
        // by extension only: a .pgm that is something else entirely
        m = failure(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertTrue(m.contains("magic") && m.contains("byte 0x89 'P'"), m);
        assertTrue(failure("").contains("an empty file"));
    }

    @Test
    void missingMaxval() {
        String m = failure("P5\n2 2\n");
        assertTrue(m.contains("maxval: expected a positive decimal integer, got end of data"), m);
    }

    @Test
    void maxvalZero() {
        String m = failure("P5 1 1 0\n\0");
        assertTrue(m.contains("maxval: expected a positive decimal integer, got 0"), m);
    }

    @Test
    void maxvalTooLarge() {
        String m = failure("P5 1 1 70000\n\0\0");
        assertTrue(m.contains("maxval: expected 1 to 65535, got 70000"), m);
    }

    @Test
    void negativeWidth() {
        String m = failure("P5 -3 1 255\n\0\0\0");
        assertTrue(m.contains("width: expected a positive decimal integer, got '-'"), m);
    }

    @Test
    void overflowingWidth() {
        String m = failure("P5 99999999999999999999 1 255\n\0");
        assertTrue(m.contains("width: expected a positive decimal integer at most 2147483647, got "
                + "99999999999999999999 (overflow)"), m);
    }

    @Test
    void overflowingHeight() {
        String m = failure("P5 1 2147483648 255\n\0");
        assertTrue(m.contains("height:") && m.contains("2147483648 (overflow)"), m);
    }

    @Test
    void absurdSizeIsRefusedBeforeAllocating() {
        String m = failure("P6 2147483647 2147483647 65535\n\0\0\0\0\0\0");
        assertTrue(m.contains("data: expected 27670116084794523654 bytes for 2147483647×2147483647×3×2-byte samples, "
                + "got 6 bytes (truncated)"), m);
        m = failure("P2 100000 100000 255\n1 2 3");
        assertTrue(m.contains("data: expected at least 10000000000 bytes"), m);
    }

    @Test
    void truncatedData() {
        String m = failure(binary('5', 2, 2, 255, 1, 2, 3));
        assertTrue(m.contains("data: expected 4 bytes for 2×2×1×1-byte samples, got 3 bytes (truncated)"), m);
        m = failure(binary('5', 2, 1, 65535, 1));
        assertTrue(m.contains("data: expected 4 bytes for 2×1×1×2-byte samples, got 2 bytes (truncated)"), m);
        m = failure(concat(binary('5', 2, 1, 300, 1), new byte[] {0}));
        assertTrue(m.contains("data: expected 4 bytes for 2×1×1×2-byte samples, got 3 bytes (truncated)"), m);
        m = failure("P2 2 2 255\n1 2 3\n");
        assertTrue(m.contains("data: expected 4 samples, got 3 samples (truncated)"), m);
    }

    @Test
    void trailingBytes() {
        String m = failure(concat(binary('5', 2, 1, 255, 1, 2), ascii("\n")));
        assertTrue(m.contains("data: expected 2 bytes for 2×1×1×1-byte samples, got 3 bytes (1 trailing)"), m);
        m = failure("P2 2 1 255\n1 2 3\n");
        assertTrue(m.contains("data: expected 2 samples then only whitespace, got 2 trailing bytes starting with '3'"),
                m);
    }

    @Test
    void sampleAboveMaxvalInP2() {
        String m = failure("P2 2 2 100\n1 2\n3 101\n");
        assertTrue(m.contains("sample at row 1, column 1: expected at most maxval 100, got 101"), m);
        m = failure("P2 1 1 255\n123456789012345678901234567890\n");
        assertTrue(m.contains("got 123456789012345678901234567890"), m);
    }

    @Test
    void sampleAboveMaxvalInBinary() {
        String m = failure(binary('5', 2, 1, 100, 100, 200));
        assertTrue(m.contains("sample at row 0, column 1: expected at most maxval 100, got 200"), m);
    }

    @Test
    void exactlyOneWhitespaceAfterMaxvalInBinary() throws IOException {
        // the byte after the single separator is data, even if it is whitespace
        GrayImages.Plane p = GrayImages.decode(ascii("P5 2 1 255\n\n "), "ws.pgm", ImageOptions.nativeSize());
        assertArrayEquals(floats(255, '\n', ' '), p.pixels());
        String m = failure("P5 1 1 255#c\n\0");
        assertTrue(m.contains("maxval: expected a single whitespace byte after maxval, got '#'"), m);
    }

    @Test
    void garbageInsideHeaderNumbers() {
        String m = failure("P5 2x 1 255\n\0\0");
        assertTrue(m.contains("width: expected a positive decimal integer followed by whitespace, got 2 followed by 'x'"),
                m);
        m = failure("P5\n2 1\n+255\n\0\0");
        assertTrue(m.contains("maxval: expected a positive decimal integer, got '+'"), m);
        m = failure("P2 1 1 255\n-1\n");
        assertTrue(m.contains("sample at row 0, column 0: expected a decimal integer, got '-'"), m);
        m = failure("P2 1 1 255\n# a comment in the raster\n1\n");
        assertTrue(m.contains("maxval: expected whitespace after maxval, got '#'")
                || m.contains("expected a decimal integer, got '#'"), m);
    }

    @Test
    void unreadableNonNetpbmStillFailsAsBefore() {
        IOException e = assertThrows(IOException.class,
                () -> GrayImages.decode(ascii("hello"), "x.png", ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains("x.png") && e.getMessage().contains("Netpbm"), e.getMessage());
    }

    // ---- wiring ----

    @Test
    void imageFolderOfPgmFiles() throws IOException {
        Path a = Files.createDirectories(dir.resolve("root/alice"));
        Path b = Files.createDirectories(dir.resolve("root/bob"));
        Files.write(a.resolve("1.pgm"), binary('5', 2, 1, 255, 0, 255));
        Files.write(a.resolve("2.PNM"), ascii("P2 2 1 4\n1 2\n"));
        Files.write(b.resolve("1.ppm"), binary('6', 2, 1, 255, 255, 255, 255, 0, 0, 0));
        Files.write(b.resolve("notes.txt"), ascii("P5 not an image: ignored by extension"));
        InMemoryImages d = ImageFolder.load(dir.resolve("root"), ImageOptions.nativeSize());
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {1, 1, 2}, d.imageShape());
        assertArrayEquals(new float[] {0f, 1f}, d.image(0));
        assertArrayEquals(new float[] {0.25f, 0.5f}, d.image(1));
        assertArrayEquals(new float[] {GrayImages.luma(255, 255, 255), 0f}, d.image(2));
        assertEquals(1, d.label(2));
        Files.write(b.resolve("2.pgm"), ascii("P5 2 1 255\n\1"));
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(dir.resolve("root"),
                ImageOptions.nativeSize()));
        assertTrue(e.getMessage().contains("2.pgm") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void orlFaceWrittenAsPgmRoundTripsExactly() throws IOException {
        Path zip = TestData.omniglotDir().resolveSibling("orl-faces").resolve("orl_faces_png.zip");
        if (!Files.exists(zip)) {
            zip = Path.of("/work/shared/data/orl-faces/orl_faces_png.zip");
        }
        RequiredData.require(Files.exists(zip), "ORL zip absent: " + zip);
        byte[] png;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry e = z.getEntry("orl_faces_png/s1/1.png");
            RequiredData.require(e != null, "no orl_faces_png/s1/1.png in " + zip);
            try (InputStream in = z.getInputStream(e)) {
                png = in.readAllBytes();
            }
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        int w = img.getWidth(), h = img.getHeight();
        assertEquals(92, w);
        assertEquals(112, h);
        int[] samples = img.getRaster().getPixels(0, 0, w, h, (int[]) null);
        assertEquals(w * h, samples.length);
        Path pgm = write("s1_1.pgm", binary('5', w, h, 255, samples));
        GrayImages.Plane fromPng = GrayImages.decode(png, "s1/1.png", ImageOptions.nativeSize());
        GrayImages.Plane fromPgm = read(pgm);
        assertEquals(h, fromPgm.height());
        assertEquals(w, fromPgm.width());
        assertArrayEquals(fromPng.pixels(), fromPgm.pixels());
        assertArrayEquals(floats(255, samples), fromPgm.pixels());
        // and resized the same way
        assertArrayEquals(GrayImages.decode(png, "p", ImageOptions.square(28)).pixels(),
                GrayImages.read(pgm, ImageOptions.square(28)).pixels());
    }
}
