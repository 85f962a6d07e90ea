package dev.oneshot.siamese.export;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protocol-buffer wire format, as much of it as ONNX needs: a message is a sequence of
 * fields, each a key followed by a value,
 * <pre>  key = (field number &lt;&lt; 3) | wire type
 *   wire type 0 (VARINT):  the value as a base-128 varint — 7 bits a byte, least significant
 *                          first, the high bit set on every byte but the last; a negative
 *                          int64 is its two's complement, so always 10 bytes
 *   wire type 2 (LEN):     a varint byte count, then the bytes (strings as UTF-8, sub-messages,
 *                          packed repeated scalars)
 *   wire type 5 (I32):     4 bytes little-endian (a float's IEEE-754 bit pattern)</pre>
 * A repeated field is its field written once per element, in order. Fields are appended in the
 * order they are written; a reader accepts any order.
 *
 * <p>Not thread-safe; one writer builds one message. A sub-message is built in its own writer
 * and appended with {@link #message}.
 */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int LEN = 2;
    static final int I32 = 5;

    private byte[] buf = new byte[64];
    private int size;

    /** Field {@code field} as a varint (int32, int64, enum, bool); negatives take 10 bytes. */
    ProtoWriter varint(int field, long value) {
        key(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** Field {@code field} as a float (4 bytes, little-endian IEEE-754). */
    ProtoWriter float32(int field, float value) {
        key(field, I32);
        int bits = Float.floatToRawIntBits(value);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[size++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    /** Field {@code field} as length-delimited bytes. */
    ProtoWriter bytes(int field, byte[] value) {
        key(field, LEN);
        rawVarint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
        return this;
    }

    /** Field {@code field} as a UTF-8 string. */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Field {@code field} as an embedded message (its bytes, length-delimited), copied once. */
    ProtoWriter message(int field, ProtoWriter message) {
        key(field, LEN);
        rawVarint(message.size);
        ensure(message.size);
        System.arraycopy(message.buf, 0, buf, size, message.size);
        size += message.size;
        return this;
    }

    /** The message so far. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Bytes written so far. */
    int size() {
        return size;
    }

    private void key(int field, int wireType) {
        if (field < 1 || field > (1 << 29) - 1) {
            throw new IllegalArgumentException("ProtoWriter: field number must be in 1..2^29-1, got " + field);
        }
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("ProtoWriter: a message of " + wanted + " bytes does not fit one array"
                        + " (protocol buffers are limited to 2 GiB)");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
