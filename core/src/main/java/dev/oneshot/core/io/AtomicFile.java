package dev.oneshot.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file atomically: the bytes go to a locked temporary file beside the target
 * ({@link LockedTempFile}), are forced to disk ({@code fsync}), and the temporary file is renamed
 * over the target with {@code ATOMIC_MOVE}; then the directory is forced. A reader sees the old
 * file or the new one, never a half-written one. If anything fails the temporary file is
 * deleted and an existing target is untouched; temporary files of writers that were killed are
 * removed by the next write of the same target. Every writer of the project's files uses this
 * (safetensors models, checkpoints and galleries, ONNX exports).
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** What goes into the temporary file: writes the whole content to {@code channel}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes {@code bytes} to {@code file}, atomically replacing it if it exists. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /**
     * Writes what {@code content} writes to {@code file}, atomically replacing it if it exists.
     *
     * @throws IOException naming the target when the file system cannot rename atomically
     */
    public static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) { // else the error would name the temporary file
            throw new NoSuchFileException(target.toString(), null, "cannot write: the folder " + dir
                    + " does not exist");
        }
        LockedTempFile tmp = LockedTempFile.create(target);
        try {
            try (tmp) {
                content.writeTo(tmp.channel);
                tmp.channel.force(true);
                try { // renamed while still locked, so no sweeper ever sees it unlocked
                    Files.move(tmp.path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException(target + ": cannot replace atomically (the file system does not support an "
                            + "atomic rename within " + dir + ")", e);
                }
            }
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(tmp.path);
            } catch (IOException suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }
        syncDirectory(dir);
    }

    /** Writes all of {@code b} (a channel may write less than asked). */
    public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Windows cannot open a directory as a channel; the file itself is already on disk.
        }
    }
}
