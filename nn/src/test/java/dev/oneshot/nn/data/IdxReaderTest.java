package dev.oneshot.nn.data;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ round trips

    /** Values per type that probe sign, range ends and bit patterns; 6 of each for a [2, 3] file. */
    private static final double[][] VALUES = {
        {0, 1, 127, 128, 254, 255},                                   // u8
        {-128, -1, 0, 1, 64, 127},                                    // i8
        {-32768, -1, 0, 1, 258, 32767},                               // i16
        {Integer.MIN_VALUE, -1, 0, 1, 16909060, Integer.MAX_VALUE},   // i32
        {-0.0f, 1.5f, -3.25f, Float.MIN_VALUE, Float.MAX_VALUE, 0.1f}, // f32
        {-0.0, Math.PI, -1e300, Double.MIN_VALUE, Double.MAX_VALUE, 0.1}, // f64
    };

    static Stream<Arguments> everyTypeRawAndGzip() {
        return Stream.of(IdxType.values()).flatMap(t -> Stream.of(Arguments.of(t, false), Arguments.of(t, true)));
    }

    private static IdxBytes encode(IdxType type, double[] values, long... dims) {
        IdxBytes b = IdxBytes.header(type.code(), dims);
        for (double v : values) {
            switch (type) {
                case U8: case I8: b.raw((int) v & 0xFF); break;
                case I16: b.i16((int) v); break;
                case I32: b.i32((int) v); break;
                case F32: b.f32((float) v); break;
                case F64: b.f64(v); break;
                default: throw new AssertionError(type);
            }
        }
        return b;
    }

    private Path write(IdxBytes b, String name, boolean gzip) throws IOException {
        return gzip ? b.writeGzip(dir.resolve(name)) : b.writeRaw(dir.resolve(name));
    }

    @ParameterizedTest(name = "{0} gzip={1}")
    @MethodSource("everyTypeRawAndGzip")
    void roundTripsEveryType(IdxType type, boolean gzip) throws IOException {
        double[] values = VALUES[type.ordinal()];
        Path p = write(encode(type, values, 2, 3), "t.idx" + (gzip ? ".gz" : ""), gzip);
        IdxFile f = IdxReader.read(p);
        assertEquals(type, f.type());
        assertArrayEquals(new int[] {2, 3}, f.dims());
        assertEquals(6, f.size());
        for (int i = 0; i < values.length; i++) {
            double expected = type == IdxType.F32 ? (double) (float) values[i] : values[i];
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(f.getDouble(i)),
                    type + " element " + i + ": " + expected + " vs " + f.getDouble(i));
        }
        switch (type) {
            case U8: assertEquals((byte) 255, f.bytes()[5]); assertEquals(255, f.toIntArray()[5]); break;
            case I8: assertEquals((byte) -128, f.bytes()[0]); assertEquals(-128, f.toIntArray()[0]); break;
            case I16: assertEquals((short) 258, f.shorts()[4]); break;
            case I32: assertEquals(16909060, f.ints()[4]); break;
            case F32: assertEquals(Float.MAX_VALUE, f.floats()[4]); break;
            case F64: assertEquals(Math.PI, f.doubles()[1]); break;
            default: throw new AssertionError(type);
        }
        assertEquals((float) f.getDouble(2), f.toFloatArray()[2]);
    }

    @ParameterizedTest(name = "{0} gzip={1}")
    @MethodSource("everyTypeRawAndGzip")
    void roundTripsDataLongerThanOneReadChunk(IdxType type, boolean gzip) throws IOException {
        int n = 3 * 65536 / type.elementSize() + 7; // several 64 KiB chunks and a ragged tail
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = type == IdxType.U8 ? i % 256 : type == IdxType.I8 ? (i % 256) - 128 : i * (i % 2 == 0 ? 1 : -1);
            if (type == IdxType.I16) {
                values[i] = (short) values[i];
            }
        }
        Path p = write(encode(type, values, n), "long", gzip);
        IdxFile f = IdxReader.read(p);
        assertEquals(n, f.size());
        for (int i = 0; i < n; i += 997) {
            assertEquals(type == IdxType.F32 ? (float) values[i] : values[i], f.getDouble(i), "element " + i);
        }
        assertEquals(type == IdxType.F32 ? (float) values[n - 1] : values[n - 1], f.getDouble(n - 1));
    }

    @Test
    void detectsGzipByMagicNotByName() throws IOException {
        IdxBytes b = IdxBytes.header(0x08, 3).raw(7, 8, 9);
        Path gzipWithoutSuffix = b.writeGzip(dir.resolve("labels.idx"));
        Path rawWithGzSuffix = b.writeRaw(dir.resolve("labels.idx.gz"));
        assertArrayEquals(new int[] {7, 8, 9}, IdxReader.readLabels(gzipWithoutSuffix));
        assertArrayEquals(new int[] {7, 8, 9}, IdxReader.readLabels(rawWithGzSuffix));
    }

    @Test
    void readsAnEmptyDimension() throws IOException {
        IdxFile f = IdxReader.read(IdxBytes.header(0x0D, 0, 5).writeRaw(dir.resolve("empty")));
        assertArrayEquals(new int[] {0, 5}, f.dims());
        assertEquals(0, f.floats().length);
    }

    @Test
    void readImagesScalesToUnitRangeAsNx1xRxC() throws IOException {
        Path p = IdxBytes.header(0x08, 2, 2, 3).raw(0, 51, 255, 1, 2, 3, 255, 254, 0, 10, 20, 30)
                .writeGzip(dir.resolve("img.gz"));
        Tensor x = IdxReader.readImages(p);
        assertArrayEquals(new int[] {2, 1, 2, 3}, x.shape());
        float[] d = x.data();
        assertEquals(0f, d[0]);
        assertEquals(0.2f, d[1], 1e-7f);
        assertEquals(1f, d[2]);
        assertEquals(254 / 255f, d[7]);
        assertEquals(30 / 255f, d[11]);
    }

    @Test
    void readLabelsReadsU8Unsigned() throws IOException {
        Path p = IdxBytes.header(0x08, 4).raw(0, 9, 200, 255).writeRaw(dir.resolve("lab"));
        assertArrayEquals(new int[] {0, 9, 200, 255}, IdxReader.readLabels(p));
    }

    @Test
    void readLabelsAcceptsI32() throws IOException {
        Path p = IdxBytes.header(0x0C, 2).i32(-5).i32(70000).writeRaw(dir.resolve("lab32"));
        assertArrayEquals(new int[] {-5, 70000}, IdxReader.readLabels(p));
    }

    @Test
    void typedAccessorOfTheWrongTypeFails() throws IOException {
        IdxFile f = IdxReader.read(IdxBytes.header(0x08, 1).raw(1).writeRaw(dir.resolve("u8")));
        IllegalStateException e = assertThrows(IllegalStateException.class, f::floats);
        assertContains(e, "asked for f32", "file holds u8");
    }

    // ------------------------------------------------------------------ malformed files

    private IdxFormatException fails(Path p) {
        return assertThrows(IdxFormatException.class, () -> IdxReader.read(p));
    }

    private static void assertContains(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks \"" + part + "\": " + e.getMessage());
        }
    }

    @Test
    void badMagic() throws IOException {
        Path p = new IdxBytes().raw(0x00, 0x01, 0x08, 0x01).u32(1).raw(5).writeRaw(dir.resolve("bad-magic"));
        assertContains(fails(p), p.toString(), "bad magic number", "bytes 0-1 must be 00 00", "found 00 01");
    }

    @Test
    void unknownTypeCode() throws IOException {
        Path p = IdxBytes.header(0x0A, 1).raw(5).writeRaw(dir.resolve("type-0a"));
        assertContains(fails(p), p.toString(), "unknown type code 0x0A", "magic byte 2",
                "0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64");
    }

    @Test
    void zeroDimensions() throws IOException {
        Path p = IdxBytes.header(0x08).raw(5).writeRaw(dir.resolve("rank0"));
        assertContains(fails(p), p.toString(), "number of dimensions (magic byte 3) must be 1 to 8, found 0");
    }

    @Test
    void tooManyDimensions() throws IOException {
        Path p = IdxBytes.header(0x08, 1, 1, 1, 1, 1, 1, 1, 1, 1).raw(5).writeRaw(dir.resolve("rank9"));
        assertContains(fails(p), "must be 1 to 8, found 9");
    }

    @Test
    void truncatedData() throws IOException {
        Path p = IdxBytes.header(0x08, 10, 28, 28).raw(new int[1000]).writeRaw(dir.resolve("images-idx3-ubyte"));
        assertContains(fails(p), p.toString() + ": header says 10 × 28 × 28 = 7840 bytes of u8 data, file holds 1000");
    }

    @Test
    void truncatedMultiByteData() throws IOException {
        Path p = IdxBytes.header(0x0B, 2, 3).i16(1).i16(2).i16(3).i16(4).i16(5).raw(0).writeRaw(dir.resolve("i16"));
        assertContains(fails(p), "header says 2 × 3 = 6 i16 values = 12 bytes of data, file holds 11");
    }

    @Test
    void trailingBytes() throws IOException {
        Path p = IdxBytes.header(0x08, 3).raw(1, 2, 3, 4, 5).writeRaw(dir.resolve("trailing"));
        assertContains(fails(p), "header says 3 bytes of u8 data, file holds 5 (2 trailing bytes)");
    }

    @Test
    void sizeAboveIntMax() throws IOException {
        Path p = IdxBytes.header(0x08, 0xFFFFFFFFL).writeRaw(dir.resolve("huge-dim"));
        assertContains(fails(p), "size of dimension 0 (of 1) is 4294967295, more than the maximum 2147483647");
    }

    @Test
    void overflowingSizeProduct() throws IOException {
        // 65536 × 65536 = 2^32 overflows an int; the reader must fail before allocating anything.
        Path p = IdxBytes.header(0x0E, 65536, 65536, 3).raw(1, 2, 3).writeRaw(dir.resolve("overflow"));
        assertContains(fails(p), "header sizes [65536, 65536, 3] multiply to more than 2147483639 elements of f64");
    }

    @Test
    void sizeProductTooBigForTheFileFailsBeforeAllocating() throws IOException {
        // 2^30 doubles = 8 GiB: within the element limit, so only the length check stops the allocation.
        Path p = IdxBytes.header(0x0E, 1 << 15, 1 << 15).f64(1).writeRaw(dir.resolve("big"));
        assertContains(fails(p), "header says 32768 × 32768 = 1073741824 f64 values = 8589934592 bytes of data, file holds 8");
    }

    @Test
    void truncatedHeaderInTheMagicNumber() throws IOException {
        Path p = new IdxBytes().raw(0, 0, 8).writeRaw(dir.resolve("three-bytes"));
        assertContains(fails(p), p.toString(), "truncated header: the magic number needs 4 bytes, file holds 3");
    }

    @Test
    void truncatedHeaderInTheSizes() throws IOException {
        Path p = new IdxBytes().raw(0, 0, 8, 3).u32(10).u32(28).raw(0, 0).writeRaw(dir.resolve("short-sizes"));
        assertContains(fails(p), "truncated header: magic says 3 dimensions, so the header needs 16 bytes, file holds 14");
    }

    @Test
    void truncatedHeaderInsideGzip() throws IOException {
        Path p = new IdxBytes().raw(0, 0, 8, 3).u32(10).writeGzip(dir.resolve("short-sizes.gz"));
        assertContains(fails(p), "truncated header: magic says 3 dimensions, so the header needs 16 bytes,"
                + " decompressed data holds 8");
    }

    @Test
    void gzipWithTooLittleData() throws IOException {
        Path p = IdxBytes.header(0x0C, 2, 2).i32(1).i32(2).i32(3).writeGzip(dir.resolve("short.gz"));
        assertContains(fails(p), "header says 2 × 2 = 4 i32 values = 16 bytes of data, decompressed data holds 12");
    }

    @Test
    void gzipWithTrailingData() throws IOException {
        Path p = IdxBytes.header(0x08, 2).raw(1, 2, 3).writeGzip(dir.resolve("long.gz"));
        assertContains(fails(p), "header says 2 bytes of u8 data, decompressed data holds 3 (1 trailing bytes)");
    }

    @Test
    void gzipTruncated() throws IOException {
        byte[] z = IdxBytes.gzip(encode(IdxType.U8, new double[4000], 4000).toBytes());
        Path p = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(z, z.length / 2));
        assertContains(fails(p), p.toString(), "gzip stream is truncated or corrupt after", "decompressed bytes");
    }

    @Test
    void gzipMissingItsTrailer() throws IOException {
        byte[] z = IdxBytes.gzip(IdxBytes.header(0x08, 3).raw(1, 2, 3).toBytes());
        Path p = Files.write(dir.resolve("no-crc.gz"), Arrays.copyOf(z, z.length - 8));
        assertContains(fails(p), "gzip stream is truncated or corrupt after 11 decompressed bytes");
    }

    @Test
    void gzipHeaderOnly() throws IOException {
        Path p = Files.write(dir.resolve("magic-only.gz"), new byte[] {0x1f, (byte) 0x8b});
        assertContains(fails(p), p.toString(), "gzip header is truncated or corrupt");
    }

    @Test
    void gzipClaimingMoreThanItCanInflateToFailsBeforeAllocating() throws IOException {
        Path p = IdxBytes.header(0x08, 60000, 28, 28).raw(0).writeGzip(dir.resolve("claims.gz"));
        long size = Files.size(p);
        assertContains(fails(p), "header says 60000 × 28 × 28 = 47040000 bytes of u8 data, but a gzip file of "
                + size + " bytes inflates to at most " + size * 1032);
    }

    @Test
    void readImagesRejectsWrongRank() throws IOException {
        Path p = IdxBytes.header(0x08, 2, 2).raw(1, 2, 3, 4).writeRaw(dir.resolve("rank2"));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertContains(e, "images must have 3 dimensions [n, rows, cols], file has 2 [2, 2]");
    }

    @Test
    void readImagesRejectsNonU8() throws IOException {
        Path p = IdxBytes.header(0x0D, 1, 1, 1).f32(0.5f).writeRaw(dir.resolve("f32img"));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertContains(e, "images must be u8 (type code 0x08), file holds f32 (type code 0x0D)");
    }

    @Test
    void readLabelsRejectsWrongRankAndFloat() throws IOException {
        Path two = IdxBytes.header(0x08, 1, 2).raw(1, 2).writeRaw(dir.resolve("lab2"));
        assertContains(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(two)),
                "labels must have 1 dimension [n], file has 2 [1, 2]");
        Path flt = IdxBytes.header(0x0E, 1).f64(1).writeRaw(dir.resolve("labf"));
        assertContains(assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(flt)),
                "labels must be integers", "file holds f64");
    }

    // ------------------------------------------------------------------ pairs

    @Test
    void datasetLoadsAMatchingPair() throws IOException {
        Path x = IdxBytes.header(0x08, 2, 1, 2).raw(0, 255, 255, 0).writeGzip(dir.resolve("x.gz"));
        Path y = IdxBytes.header(0x08, 2).raw(3, 7).writeRaw(dir.resolve("y"));
        IdxDataset d = IdxDataset.load(x, y);
        assertEquals(2, d.size());
        assertEquals(1, d.rows());
        assertEquals(2, d.cols());
        assertArrayEquals(new int[] {3, 7}, d.labels());
        assertArrayEquals(new float[] {0, 1, 1, 0}, d.images().data());
    }

    @Test
    void datasetRejectsCountMismatch() throws IOException {
        Path x = IdxBytes.header(0x08, 2, 1, 1).raw(0, 255).writeRaw(dir.resolve("x"));
        Path y = IdxBytes.header(0x08, 3).raw(3, 7, 1).writeRaw(dir.resolve("y"));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxDataset.load(x, y));
        assertContains(e, x + " holds 2 images but " + y + " holds 3 labels");
    }

    @Test
    void fashionMnistNamesTheMissingFiles() throws IOException {
        IdxBytes.header(0x08, 1).raw(0).writeRaw(dir.resolve("t10k-labels-idx1-ubyte")); // unpacked copy is found
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FashionMnist.test(dir));
        assertContains(e, "Fashion-MNIST test set not found in " + dir,
                "expected t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz",
                "missing t10k-images-idx3-ubyte.gz.", "apt-get install dataset-fashion-mnist");
    }

    @Test
    void fashionMnistClassNames() {
        assertEquals(10, FashionMnist.NUM_CLASSES);
        assertEquals("T-shirt/top", FashionMnist.className(0));
        assertEquals("Ankle boot", FashionMnist.className(9));
        assertEquals("Sneaker", FashionMnist.classNames()[7]);
        assertEquals("Bag", FashionMnist.classNames()[8]);
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.className(10));
    }
}
