package dev.oneshot.siamese.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * A check run on a zip before the JDK's zip file system opens it: the entry count in the
 * end-of-central-directory records must fit the file. The zip file system sizes a hash table by
 * that count before reading one entry (JDK 17: {@code new LinkedHashMap<>(centot + 1)}), and the
 * ZIP64 record holds it in 8 bytes, so a 200-byte file claiming 2<sup>26</sup> entries made it
 * allocate 512 MiB, and 2<sup>30</sup> ran out of memory. Every entry takes at least
 * {@value #CEN_HEADER} bytes of central directory, so a real zip never claims more than
 * {@code size / 46}; anything else is refused. (The 2-byte count of the plain record costs at
 * most a 1 MiB table and is not checked: some writers put 0xFFFF there whenever they add ZIP64.)
 *
 * <p>The records are found as the zip file system finds them (APPNOTE 4.3.16, 4.3.14–15): the
 * last {@code PK\5\6} signature in the final 64 KiB + 22 bytes whose comment length ends the file,
 * then a ZIP64 locator ({@code PK\6\7}) right before it pointing at a ZIP64 record ({@code PK\6\6}).
 * A file without any END record is left to the zip file system to refuse.
 */
final class ZipEnd {
    /** Length of a central directory file header without name, extra field and comment. */
    static final int CEN_HEADER = 46;

    private static final int END = 22;
    private static final int LOCATOR = 20;
    private static final int ZIP64_END = 56;
    private static final int MAX_COMMENT = 0xFFFF;

    private ZipEnd() {
    }

    /** Throws a {@link ZipException} when a record of {@code zip} claims more entries than fit. */
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
                    checkZip64(ch, endPos, size);
                    return;
                }
            }
        }
    }

    private static void checkZip64(SeekableByteChannel ch, long endPos, long size) throws IOException {
        if (endPos < LOCATOR) {
            return;
        }
        ByteBuffer locator = readAt(ch, endPos - LOCATOR, LOCATOR);
        if (locator == null || locator.getInt(0) != 0x07064b50) {
            return;
        }
        long recordPos = locator.getLong(8);
        if (recordPos < 0 || recordPos > size - ZIP64_END) {
            return; // the zip file system ignores a locator pointing nowhere
        }
        ByteBuffer record = readAt(ch, recordPos, ZIP64_END);
        if (record != null && record.getInt(0) == 0x06064b50) {
            checkCount(record.getLong(32), size);
        }
    }

    private static void checkCount(long entries, long size) throws ZipException {
        long most = size / CEN_HEADER;
        if (entries < 0 || entries > most) {
            throw new ZipException("the ZIP64 end of central directory claims "
                    + Long.toUnsignedString(entries) + " entries, but a " + size + "-byte file holds at most " + most
                    + " (" + CEN_HEADER + " bytes per entry)");
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
