package dev.oneshot.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The temporary file of one atomic save, {@code .NAME.<16 hex digits>.tmp} beside the target
 * {@code NAME}, held under an exclusive {@link FileLock} from creation until after the rename.
 *
 * <p><b>Why the lock.</b> A writer killed mid-save (SIGKILL, power loss) leaves its temporary
 * file behind. The next save of the same target {@link #sweep sweeps} them: a temporary file
 * of that target is deleted only if this process is not writing it and its lock can be taken —
 * the operating system releases a dead process's locks, so a locked file belongs to a live
 * writer (another process saving the same target) and is left alone. The sweeper deletes
 * while holding the lock; a writer that created its file and then locks it checks the file
 * is still there, and starts over under a new name if a sweeper removed it in between.
 * Locks are advisory: only writers that follow this protocol are protected.
 */
final class LockedTempFile implements Closeable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ATTEMPTS = 8;
    /** Temporary files this process is writing (absolute paths): never swept, never locked twice. */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    final Path path;
    final FileChannel channel;
    private final FileLock lock;

    private LockedTempFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** Sweeps {@code target}'s stale temporary files, then creates and locks a new one beside it. */
    static LockedTempFile create(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        sweep(abs);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + String.format("%016x", RANDOM.nextLong())
                    + ".tmp");
            if (!IN_FLIGHT.add(tmp)) {
                continue;
            }
            FileChannel ch = null;
            try {
                // CREATE_NEW (not Files.createTempFile, which makes the file owner-only) so the result gets
                // the same default permissions as any new file; CREATE_NEW also refuses to follow a planted link.
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileLock lock = ch.lock();
                if (Files.exists(tmp)) {
                    return new LockedTempFile(tmp, ch, lock);
                }
                ch.close(); // another process's sweep removed it before we locked it: take a new name
            } catch (IOException | RuntimeException e) {
                IN_FLIGHT.remove(tmp);
                if (ch != null) {
                    ch.close();
                    Files.deleteIfExists(tmp);
                }
                throw e;
            }
            IN_FLIGHT.remove(tmp);
        }
        throw new IOException(abs + ": could not create a temporary file beside it in " + ATTEMPTS + " attempts");
    }

    /**
     * Deletes the temporary files of {@code target} left by writers that died; returns how many.
     * Best effort: a file that cannot be opened, locked or deleted is left for a later save.
     */
    static int sweep(Path target) {
        Path abs = target.toAbsolutePath();
        Pattern mine = Pattern.compile(Pattern.quote("." + abs.getFileName() + ".") + "[0-9a-f]{16}\\.tmp");
        int removed = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(abs.getParent(),
                p -> mine.matcher(p.getFileName().toString()).matches())) {
            for (Path p : dir) {
                if (!IN_FLIGHT.contains(p) && removeIfAbandoned(p)) {
                    removed++;
                }
            }
        } catch (IOException | SecurityException e) {
            // an unreadable directory: the save itself will report what is wrong
        }
        return removed;
    }

    private static boolean removeIfAbandoned(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return false; // a live writer in another process
            }
            try {
                return Files.deleteIfExists(p);
            } finally {
                lock.release();
            }
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /** Releases the lock and closes the file (after the rename, or before deleting it on failure). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } finally {
            IN_FLIGHT.remove(path);
        }
    }
}
