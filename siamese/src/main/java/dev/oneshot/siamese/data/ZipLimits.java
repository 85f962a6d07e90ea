package dev.oneshot.siamese.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Checks run on a zip before the JDK's zip file system opens it, refusing what would make it
 * (or a walk of it) cost far more than the file's size:
 * <ul>
 *   <li>the ZIP64 entry count must fit the file: the zip file system sizes a hash table by it
 *       before reading one entry (JDK 17: {@code new LinkedHashMap<>(centot + 1)}), so a
 *       200-byte file claiming 2<sup>26</sup> entries made it allocate 512 MiB, and 2<sup>30</sup>
 *       ran out of memory. Every entry takes at least {@value #CEN_HEADER} bytes of central
 *       directory, so a real zip never claims more than {@code size / 46}. (The 2-byte count of
 *       the plain record costs at most a 1 MiB table and is not checked: some writers put 0xFFFF
 *       there whenever they add ZIP64.)</li>
 *   <li>no entry name may be longer than {@value #MAX_NAME} bytes (Linux's {@code PATH_MAX}: no
 *       file system could unpack it): the zip file system makes a folder of every prefix of a
 *       name, copying it, and a walk holds every level's path, so an entry named
 *       {@code a/a/a/…} cost time and memory quadratic in its length (1 GiB for the longest,
 *       64 KiB name).</li>
 * </ul>
 *
 * <p>The records are found as the zip file system finds them (APPNOTE 4.3.12–16): the last
 * {@code PK\5\6} signature in the final 64 KiB + 22 bytes whose comment length ends the file,
 * then a ZIP64 locator ({@code PK\6\7}) right before it pointing at a ZIP64 record
 * ({@code PK\6\6}), used when its fields agree with the plain record's. Whatever else is wrong
 * (no end record, a central directory outside the file, a bad header signature) is left to the
 * zip file system to refuse.
 */
final class ZipLimits {
    /** Length of a central directory file header without name, extra field and comment. */
    static final int CEN_HEADER = 46;
    /** Longest entry name read, in bytes. */
    static final int MAX_NAME = 4096;

    private static final int END = 22;
    private static final int LOCATOR = 20;
    private static final int ZIP64_END = 56;
    private static final int MAX_COMMENT = 0xFFFF;

    private ZipLimits() {
    }

    /** Throws a {@link ZipException} saying which limit a record or entry of {@code zip} breaks. */
    static void check(Path zip) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(zip)) {
            long size = ch.size();
            int tailLength = (int) Math.min(size, END + MAX_COMMENT);
            ByteBuffer tail = readAt(ch, size - tailLength, tailLength);
            if (tail == null) {
                return;
            }
            for (int i = tailLength - END; i >= 0; i--) {
                if (tail.getInt(i) == 0x06054b50 && i + END + (tail.getShort(i + 20) & 0xFFFF) == tailLength) {
                    long endPos = size - tailLength + i;
                    long cenLength = tail.getInt(i + 12) & 0xFFFFFFFFL;
                    long cenOffset = tail.getInt(i + 16) & 0xFFFFFFFFL;
                    int entries = tail.getShort(i + 10) & 0xFFFF;
                    Zip64 zip64 = zip64Record(ch, endPos, size);
                    if (zip64 != null) {
                        long entries64 = zip64.fields().getLong(32);
                        long cenLength64 = zip64.fields().getLong(40);
                        long cenOffset64 = zip64.fields().getLong(48);
                        checkCount(entries64, size);
                        boolean agrees = (cenLength64 == cenLength || cenLength == 0xFFFFFFFFL)
                                && (cenOffset64 == cenOffset || cenOffset == 0xFFFFFFFFL)
                                && (entries64 == entries || entries == 0xFFFF);
                        if (agrees) { // as the zip file system reads it
                            endPos = zip64.pos();
                            cenLength = cenLength64;
                        }
                    }
                    checkNames(ch, endPos - cenLength, cenLength);
                    return;
                }
            }
        }
    }

    /** A ZIP64 end record: where it starts, and its bytes. */
    private record Zip64(long pos, ByteBuffer fields) {
    }

    /** The ZIP64 end record the locator before {@code endPos} points at, or null. */
    private static Zip64 zip64Record(SeekableByteChannel ch, long endPos, long size) throws IOException {
        if (endPos < LOCATOR) {
            return null;
        }
        ByteBuffer locator = readAt(ch, endPos - LOCATOR, LOCATOR);
        if (locator == null || locator.getInt(0) != 0x07064b50) {
            return null;
        }
        long recordPos = locator.getLong(8);
        if (recordPos < 0 || recordPos > size - ZIP64_END) {
            return null; // the zip file system ignores a locator pointing nowhere
        }
        ByteBuffer record = readAt(ch, recordPos, ZIP64_END);
        return record != null && record.getInt(0) == 0x06064b50 ? new Zip64(recordPos, record) : null;
    }

    private static void checkCount(long entries, long size) throws ZipException {
        long most = size / CEN_HEADER;
        if (entries < 0 || entries > most) {
            throw new ZipException("the ZIP64 end of central directory claims " + Long.toUnsignedString(entries)
                    + " entries, but a " + size + "-byte file holds at most " + most + " (" + CEN_HEADER
                    + " bytes per entry)");
        }
    }

    /** Reads the central directory's headers, skipping names and extras, up to a header that is none. */
    private static void checkNames(SeekableByteChannel ch, long cenPos, long cenLength) throws IOException {
        if (cenPos < 0) {
            return;
        }
        ch.position(cenPos);
        DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
        byte[] header = new byte[CEN_HEADER];
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int index = 0;
        try {
            for (long pos = 0; pos + CEN_HEADER <= cenLength; index++) {
                in.readFully(header);
                if (h.getInt(0) != 0x02014b50) {
                    return;
                }
                int nameLength = h.getShort(28) & 0xFFFF;
                int rest = nameLength + (h.getShort(30) & 0xFFFF) + (h.getShort(32) & 0xFFFF);
                if (nameLength > MAX_NAME) {
                    throw new ZipException("entry " + index + " of the central directory has a " + nameLength
                            + "-byte name; at most " + MAX_NAME + " bytes are read");
                }
                in.skipNBytes(rest);
                pos += CEN_HEADER + rest;
            }
        } catch (EOFException cut) {
            // the central directory runs past the end: the zip file system says so
        }
    }

    /** {@code length} bytes at {@code pos}, little-endian, or null when the file ends before. */
    private static ByteBuffer readAt(SeekableByteChannel ch, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(pos);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return null;
            }
        }
        return b.flip();
    }
}
