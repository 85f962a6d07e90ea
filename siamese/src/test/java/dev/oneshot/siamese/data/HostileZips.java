package dev.oneshot.siamese.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Damaged zips for the readers' tests: a well-formed zip of the given entries (deflated), then one
 * kind of damage applied to its bytes. Offsets follow APPNOTE 4.3.12 (central directory header)
 * and 4.3.16 (end record); the zips are written without comment, so the end record is the last
 * 22 bytes.
 */
public final class HostileZips {
    private HostileZips() {
    }

    /** A well-formed zip holding {@code content} under each name. */
    public static byte[] zip(List<String> names, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (String n : names) {
                z.putNextEntry(new ZipEntry(n));
                z.write(content);
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Each kind of damage, by name, applied to a copy of a well-formed zip. */
    public static Map<String, UnaryOperator<byte[]>> damages() {
        Map<String, UnaryOperator<byte[]>> m = new LinkedHashMap<>();
        // the file ends inside the central directory: no end record
        m.put("cut central directory", z -> Arrays.copyOf(z, cenOffset(z) + (z.length - 22 - cenOffset(z)) / 2));
        // the end record claims a central directory longer than what precedes it
        m.put("central directory size beyond the file", z -> le(z).putInt(z.length - 22 + 12, z.length).array());
        // the first header's signature is overwritten
        m.put("bad central directory signature", z -> le(z).putInt(cenOffset(z), 0x01020304).array());
        // every entry's deflate stream replaced by bytes that are no deflate block (type 3 is reserved)
        m.put("bad deflate stream", z -> eachEntry(z, (b, cen) -> Arrays.fill(b.array(), dataStart(b, cen),
                dataStart(b, cen) + b.getInt(cen + 20), (byte) 0xFF)));
        // every entry's deflate stream cut to its first byte
        m.put("truncated deflate stream", z -> eachEntry(z, (b, cen) -> b.putInt(cen + 20, 1)));
        // every entry's local header offset points past the end of the file
        m.put("local header beyond the file", z -> eachEntry(z, (b, cen) -> b.putInt(cen + 42, 0x7FFFFFF0)));
        // every entry claims 4 GiB uncompressed (a reader that trusts the header allocates that)
        m.put("uncompressed size claim of 4 GiB", z -> eachEntry(z, (b, cen) -> b.putInt(cen + 24, -2)));
        // a NUL in every entry name, before its 4-character extension (".png" stays)
        m.put("NUL in entry names", z -> eachEntry(z, (b, cen) -> b.put(cen + 46 + (b.getShort(cen + 28) & 0xFFFF) - 5,
                (byte) 0)));
        // a ".." element in the first entry's name, as in a zip-slip archive
        m.put("dot-dot entry name", z -> {
            ByteBuffer b = le(z);
            b.put(cenOffset(z) + 46, (byte) '.').put(cenOffset(z) + 47, (byte) '.').put(cenOffset(z) + 48, (byte) '/');
            return b.array();
        });
        // a ZIP64 end record claiming 2^26 entries (the zip file system sized a table by it: 512 MiB)
        m.put("ZIP64 entry count of 2^26", z -> zip64(z, 1L << 26));
        m.put("ZIP64 entry count of -1", z -> zip64(z, -1));
        return m;
    }

    private interface EntryEdit {
        void apply(ByteBuffer zip, int cenHeader);
    }

    /** Applies {@code edit} to every central directory header of a copy of {@code z}. */
    private static byte[] eachEntry(byte[] z, EntryEdit edit) {
        ByteBuffer b = le(z);
        int end = z.length - 22;
        for (int pos = cenOffset(z); pos < end; ) {
            int next = pos + 46 + (b.getShort(pos + 28) & 0xFFFF) + (b.getShort(pos + 30) & 0xFFFF)
                    + (b.getShort(pos + 32) & 0xFFFF);
            edit.apply(b, pos);
            pos = next;
        }
        return b.array();
    }

    /** Where the entry of central directory header {@code cen} starts its data (after its local header). */
    private static int dataStart(ByteBuffer b, int cen) {
        int loc = b.getInt(cen + 42);
        return loc + 30 + (b.getShort(loc + 26) & 0xFFFF) + (b.getShort(loc + 28) & 0xFFFF);
    }

    private static int cenOffset(byte[] z) {
        return ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).getInt(z.length - 22 + 16);
    }

    private static ByteBuffer le(byte[] z) {
        return ByteBuffer.wrap(z.clone()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code z} with a ZIP64 end record and locator before its end record, claiming {@code entries}. */
    private static byte[] zip64(byte[] z, long entries) {
        int endPos = z.length - 22;
        ByteBuffer end = le(z);
        long cenLength = end.getInt(endPos + 12) & 0xFFFFFFFFL;
        long cenOffset = end.getInt(endPos + 16) & 0xFFFFFFFFL;
        ByteBuffer out = ByteBuffer.allocate(z.length + 56 + 20).order(ByteOrder.LITTLE_ENDIAN);
        out.put(z, 0, endPos);
        out.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(entries).putLong(entries).putLong(cenLength).putLong(cenOffset);
        out.putInt(0x07064b50).putInt(0).putLong(endPos).putInt(1);
        out.put(z, endPos, 22);
        out.putShort(out.capacity() - 22 + 8, (short) 0xFFFF).putShort(out.capacity() - 22 + 10, (short) 0xFFFF);
        return out.array();
    }
}
