package dev.oneshot.nn.data;

import dev.oneshot.core.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed.
 *
 * <p>Layout: a magic number {@code 00 00 TT DD} (TT the {@link IdxType type code}, DD the
 * number of dimensions), then DD big-endian unsigned 32-bit sizes, then the values, big-endian
 * and row-major. A file whose first two bytes are the gzip magic {@code 1f 8b} is decompressed
 * whatever its name; any other file is read as raw IDX.
 *
 * <p>Everything is checked before the data array is allocated: the two zero bytes, the type
 * code, 1 to {@value #MAX_RANK} dimensions, each size at most {@code Integer.MAX_VALUE}, the
 * element count at most {@value #MAX_ELEMENTS} (a Java array's limit), and the length: a raw
 * file must hold exactly that many bytes of data after the header, and a gzip file must be
 * large enough to inflate to them (deflate expands at most {@value #MAX_DEFLATE_RATIO}:1). A
 * gzip stream is then read for exactly those bytes and fails on an early end, on corruption
 * and on any decompressed byte past them. Only the result array and a fixed 64 KiB buffer are
 * allocated. Every failure is an {@link IdxFormatException} naming the file, the field and the
 * expected and actual values.
 */
public final class IdxReader {
    /** Most dimensions accepted in a header. */
    public static final int MAX_RANK = 8;
    /** Most elements accepted: the largest array length a JVM reliably allocates. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Deflate's worst-case expansion; a gzip file cannot inflate to more than this many times its size. */
    static final long MAX_DEFLATE_RATIO = 1032;

    private static final int CHUNK = 1 << 16; // a multiple of every element size

    private IdxReader() {
    }

    /** Reads any IDX file (every type, any rank from 1 to {@value #MAX_RANK}). */
    public static IdxFile read(Path path) throws IOException {
        String name = path.toString();
        long fileLength = Files.size(path);
        try (InputStream file = new BufferedInputStream(Files.newInputStream(path), CHUNK)) {
            file.mark(2);
            int b0 = file.read();
            int b1 = file.read();
            file.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return readGzip(name, fileLength, file);
            }
            return readRaw(name, fileLength, file);
        }
    }

    /**
     * Reads an image file ({@code u8}, three dimensions {@code [n, rows, cols]}) as a float
     * tensor {@code [n, 1, rows, cols]} with every pixel divided by 255, so values lie in [0, 1].
     */
    public static Tensor readImages(Path path) throws IOException {
        IdxFile f = read(path);
        if (f.type() != IdxType.U8) {
            throw new IdxFormatException(f.source() + ": images must be u8 (type code 0x08), file holds "
                    + f.type() + String.format(" (type code 0x%02X)", f.type().code()));
        }
        if (f.rank() != 3) {
            throw new IdxFormatException(f.source() + ": images must have 3 dimensions [n, rows, cols], file has "
                    + f.rank() + " " + dimsString(f.dims()));
        }
        byte[] pixels = f.bytes();
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = (pixels[i] & 0xFF) / 255f;
        }
        return Tensor.wrap(out, f.dim(0), 1, f.dim(1), f.dim(2));
    }

    /** Reads a label file (integer type, one dimension {@code [n]}) as an {@code int[]}. */
    public static int[] readLabels(Path path) throws IOException {
        IdxFile f = read(path);
        if (!f.type().isInteger()) {
            throw new IdxFormatException(f.source() + ": labels must be integers (u8, i8, i16 or i32), file holds "
                    + f.type());
        }
        if (f.rank() != 1) {
            throw new IdxFormatException(f.source() + ": labels must have 1 dimension [n], file has "
                    + f.rank() + " " + dimsString(f.dims()));
        }
        return f.toIntArray();
    }

    // ------------------------------------------------------------------ raw and gzip

    private static IdxFile readRaw(String name, long fileLength, InputStream in) throws IOException {
        if (fileLength < 4) {
            throw new IdxFormatException(name + ": truncated header: the magic number needs 4 bytes, file holds "
                    + fileLength);
        }
        byte[] magic = in.readNBytes(4);
        Header h = parseMagic(name, magic);
        long headerLength = 4L + 4L * h.rank;
        if (fileLength < headerLength) {
            throw new IdxFormatException(name + ": truncated header: magic says " + h.rank + " dimension"
                    + (h.rank == 1 ? "" : "s") + ", so the header needs " + headerLength + " bytes, file holds "
                    + fileLength);
        }
        int[] dims = parseDims(name, h, in.readNBytes(4 * h.rank));
        int n = elementCount(name, h.type, dims);
        long expected = (long) n * h.type.elementSize();
        long actual = fileLength - headerLength;
        if (actual != expected) {
            throw new IdxFormatException(name + ": header says " + dataString(h.type, dims, n) + ", file holds "
                    + actual + (actual > expected ? " (" + (actual - expected) + " trailing bytes)" : ""));
        }
        Object data = readData(name, h.type, dims, n, in, false);
        if (in.read() != -1) { // the file grew while we read it
            throw new IdxFormatException(name + ": header says " + dataString(h.type, dims, n)
                    + ", file holds more (trailing bytes)");
        }
        return new IdxFile(name, h.type, dims, data, n);
    }

    private static IdxFile readGzip(String name, long fileLength, InputStream file) throws IOException {
        CountingInputStream in;
        try {
            in = new CountingInputStream(new GZIPInputStream(file, CHUNK));
        } catch (IOException e) {
            throw new IdxFormatException(name + ": gzip header is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        try {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4) {
                throw new IdxFormatException(name + ": truncated header: the magic number needs 4 bytes,"
                        + " decompressed data holds " + magic.length);
            }
            Header h = parseMagic(name, magic);
            long headerLength = 4L + 4L * h.rank;
            byte[] sizes = in.readNBytes(4 * h.rank);
            if (sizes.length < 4 * h.rank) {
                throw new IdxFormatException(name + ": truncated header: magic says " + h.rank + " dimension"
                        + (h.rank == 1 ? "" : "s") + ", so the header needs " + headerLength
                        + " bytes, decompressed data holds " + (4 + sizes.length));
            }
            int[] dims = parseDims(name, h, sizes);
            int n = elementCount(name, h.type, dims);
            long expected = (long) n * h.type.elementSize();
            long inflateBound = fileLength * MAX_DEFLATE_RATIO;
            if (headerLength + expected > inflateBound) {
                throw new IdxFormatException(name + ": header says " + dataString(h.type, dims, n)
                        + ", but a gzip file of " + fileLength + " bytes inflates to at most " + inflateBound);
            }
            Object data = readData(name, h.type, dims, n, in, true);
            long trailing = 0;
            byte[] skip = new byte[CHUNK];
            for (int r; (r = in.read(skip)) != -1; ) {
                trailing += r;
            }
            if (trailing > 0) {
                throw new IdxFormatException(name + ": header says " + dataString(h.type, dims, n)
                        + ", decompressed data holds " + (expected + trailing) + " (" + trailing + " trailing bytes)");
            }
            return new IdxFile(name, h.type, dims, data, n);
        } catch (IdxFormatException e) {
            throw e;
        } catch (IOException e) { // EOFException, ZipException: the compressed stream itself is bad
            throw new IdxFormatException(name + ": gzip stream is truncated or corrupt after " + in.count
                    + " decompressed bytes (" + e.getMessage() + ")", e);
        }
    }

    // ------------------------------------------------------------------ header

    private record Header(IdxType type, int rank) {
    }

    private static Header parseMagic(String name, byte[] magic) throws IdxFormatException {
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(String.format(
                    "%s: bad magic number: bytes 0-1 must be 00 00, found %02x %02x (not an IDX file?)",
                    name, magic[0] & 0xFF, magic[1] & 0xFF));
        }
        int code = magic[2] & 0xFF;
        IdxType type = IdxType.fromCode(code);
        if (type == null) {
            throw new IdxFormatException(String.format(
                    "%s: unknown type code 0x%02X in magic byte 2; expected one of %s",
                    name, code, IdxType.knownCodes()));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_RANK) {
            throw new IdxFormatException(name + ": number of dimensions (magic byte 3) must be 1 to " + MAX_RANK
                    + ", found " + rank);
        }
        return new Header(type, rank);
    }

    private static int[] parseDims(String name, Header h, byte[] sizes) throws IdxFormatException {
        ByteBuffer bb = ByteBuffer.wrap(sizes).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[h.rank];
        for (int i = 0; i < h.rank; i++) {
            long size = Integer.toUnsignedLong(bb.getInt());
            if (size > Integer.MAX_VALUE) {
                throw new IdxFormatException(name + ": size of dimension " + i + " (of " + h.rank + ") is " + size
                        + ", more than the maximum " + Integer.MAX_VALUE);
            }
            dims[i] = (int) size;
        }
        return dims;
    }

    private static int elementCount(String name, IdxType type, int[] dims) throws IdxFormatException {
        for (int d : dims) {
            if (d == 0) {
                return 0;
            }
        }
        long product = 1;
        for (int d : dims) {
            product = Math.multiplyExact(product, (long) d); // both factors < 2^31: cannot overflow a long
            if (product > MAX_ELEMENTS) {
                throw new IdxFormatException(name + ": header sizes " + dimsString(dims) + " multiply to more than "
                        + MAX_ELEMENTS + " elements of " + type + " (the most one array can hold)");
            }
        }
        return (int) product;
    }

    // ------------------------------------------------------------------ data

    private static Object readData(String name, IdxType type, int[] dims, int n, InputStream in, boolean gzip)
            throws IOException {
        int size = type.elementSize();
        long total = (long) n * size;
        Object out;
        switch (type) {
            case U8: case I8: out = new byte[n]; break;
            case I16: out = new short[n]; break;
            case I32: out = new int[n]; break;
            case F32: out = new float[n]; break;
            case F64: out = new double[n]; break;
            default: throw new AssertionError(type);
        }
        if (n == 0) {
            return out;
        }
        if (size == 1) { // read straight into the result, no staging buffer
            byte[] b = (byte[]) out;
            int got = in.readNBytes(b, 0, n);
            if (got < n) {
                throw earlyEnd(name, type, dims, n, got, gzip);
            }
            return out;
        }
        byte[] buf = new byte[(int) Math.min(CHUNK, total)];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN);
        long done = 0;
        int at = 0; // element index
        while (done < total) {
            int want = (int) Math.min(buf.length, total - done);
            int got = in.readNBytes(buf, 0, want);
            if (got < want) {
                throw earlyEnd(name, type, dims, n, done + got, gzip);
            }
            int count = want / size;
            bb.clear().limit(want);
            switch (type) {
                case I16: bb.asShortBuffer().get((short[]) out, at, count); break;
                case I32: bb.asIntBuffer().get((int[]) out, at, count); break;
                case F32: bb.asFloatBuffer().get((float[]) out, at, count); break;
                case F64: bb.asDoubleBuffer().get((double[]) out, at, count); break;
                default: throw new AssertionError(type);
            }
            at += count;
            done += want;
        }
        return out;
    }

    private static IdxFormatException earlyEnd(String name, IdxType type, int[] dims, int n, long got, boolean gzip) {
        return new IdxFormatException(name + ": header says " + dataString(type, dims, n) + ", "
                + (gzip ? "decompressed data holds " : "file holds ") + got);
    }

    // ------------------------------------------------------------------ messages

    /** {@code 60000 × 28 × 28 = 47040000 bytes of u8 data} or {@code 2 × 3 = 6 i16 values = 12 bytes of data}. */
    static String dataString(IdxType type, int[] dims, int n) {
        String product = dims.length == 1 ? "" : String.join(" × ", dimStrings(dims)) + " = ";
        if (type.elementSize() == 1) {
            return product + n + " bytes of " + type + " data";
        }
        return product + n + " " + type + " values = " + ((long) n * type.elementSize()) + " bytes of data";
    }

    static String dimsString(int[] dims) {
        return "[" + String.join(", ", dimStrings(dims)) + "]";
    }

    private static String[] dimStrings(int[] dims) {
        String[] s = new String[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = Integer.toString(dims[i]);
        }
        return s;
    }

    /** Counts the bytes read, so a corrupt gzip stream can say how far it got. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = in.read(b, off, len);
            if (r > 0) {
                count += r;
            }
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
