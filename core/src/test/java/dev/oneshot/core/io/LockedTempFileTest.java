package dev.oneshot.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Temporary files of killed writers are swept by the next save; live writers' files are not. */
class LockedTempFileTest {
    @TempDir
    Path dir;

    private static final List<StoredTensor> TENSORS = List.of(StoredTensor.ofFloat32("w", new float[] {1, 2}, 2));

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theNextSaveRemovesAbandonedTemporariesOfThatTargetOnly() throws IOException {
        Path target = dir.resolve("g.safetensors");
        Files.write(dir.resolve(".g.safetensors.0123456789abcdef.tmp"), new byte[] {1, 2, 3}); // a killed writer's
        Files.write(dir.resolve(".g.safetensors.fedcba9876543210.tmp"), new byte[0]);
        Files.write(dir.resolve(".other.safetensors.0123456789abcdef.tmp"), new byte[0]); // another target's
        Files.write(dir.resolve(".g.safetensors.notes.tmp"), new byte[0]); // not our naming
        Safetensors.write(target, TENSORS, Map.of());
        assertEquals(List.of(".g.safetensors.notes.tmp", ".other.safetensors.0123456789abcdef.tmp", "g.safetensors"),
                names());
        assertEquals(2, Safetensors.read(target).get("w").numel());
    }

    @Test
    void aTemporaryLockedByAnotherProcessIsLeftAlone() throws Exception {
        Path target = dir.resolve("m.safetensors");
        Path live = dir.resolve(".m.safetensors.00000000000000aa.tmp");
        Files.write(live, new byte[0]);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), live.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            assertEquals(0, LockedTempFile.sweep(target));
            Safetensors.write(target, TENSORS, Map.of());
            assertTrue(Files.exists(live), "a live writer's temporary file was deleted");
        } finally {
            holder.destroyForcibly().waitFor(); // SIGKILL: the OS releases its lock
        }
        assertEquals(1, LockedTempFile.sweep(target));
        assertEquals(List.of("m.safetensors"), names());
    }

    @Test
    void aSaveInFlightInThisProcessIsNotSweptByAnother() throws IOException {
        Path target = dir.resolve("x.safetensors");
        AtomicInteger sweptMeanwhile = new AtomicInteger(-1);
        SafetensorsWriter.write(target, TENSORS, Map.of(), name -> {
            sweptMeanwhile.set(LockedTempFile.sweep(target)); // as a concurrent save of the same target would
            assertEquals(1, names().stream().filter(n -> n.endsWith(".tmp")).count(), "the temporary is gone");
        });
        assertEquals(0, sweptMeanwhile.get());
        assertEquals(List.of("x.safetensors"), names());
    }

    /** A child process that locks a file as a live writer would and holds it until killed. */
    static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                ch.lock();
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(60_000);
            }
        }
    }
}
