package dev.oneshot.nn.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds IDX bytes by hand, independently of the reader, for the tests. */
final class IdxBytes {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes); // big-endian

    /** Magic {@code 00 00 code rank} followed by the sizes (as unsigned 32-bit). */
    static IdxBytes header(int code, long... sizes) {
        IdxBytes b = new IdxBytes();
        b.raw(0, 0, code, sizes.length);
        for (long s : sizes) {
            b.u32(s);
        }
        return b;
    }

    IdxBytes raw(int... values) {
        for (int v : values) {
            bytes.write(v);
        }
        return this;
    }

    IdxBytes u32(long v) {
        return io(() -> out.writeInt((int) v));
    }

    IdxBytes i16(int v) {
        return io(() -> out.writeShort(v));
    }

    IdxBytes i32(int v) {
        return io(() -> out.writeInt(v));
    }

    IdxBytes f32(float v) {
        return io(() -> out.writeFloat(v));
    }

    IdxBytes f64(double v) {
        return io(() -> out.writeDouble(v));
    }

    byte[] toBytes() {
        return bytes.toByteArray();
    }

    Path writeRaw(Path file) throws IOException {
        return Files.write(file, toBytes());
    }

    Path writeGzip(Path file) throws IOException {
        return Files.write(file, gzip(toBytes()));
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(data);
        }
        return z.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private IdxBytes io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
