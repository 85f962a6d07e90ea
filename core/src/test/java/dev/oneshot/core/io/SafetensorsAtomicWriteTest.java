package dev.oneshot.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A write that fails half way leaves the old file exactly as it was and no temporary file. */
class SafetensorsAtomicWriteTest {
    @TempDir
    Path dir;

    private static final List<StoredTensor> NEW = List.of(
            StoredTensor.ofFloat64("big", new double[] {1, 2, 3}, 3),
            StoredTensor.ofFloat32("small", new float[] {4, 5}, 2));

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private Path existingFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, List.of(StoredTensor.ofFloat32("old", new float[] {9, 8, 7}, 3)), Map.of("v", "1"));
        return file;
    }

    @Test
    void anIOExceptionMidWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
        Path file = existingFile();
        byte[] before = Files.readAllBytes(file);
        IOException boom = new IOException("disk full (simulated)");
        IOException thrown = assertThrows(IOException.class, () -> SafetensorsWriter.write(file, NEW, Map.of(),
                name -> {
                    if (name.equals("big")) { // after the first tensor's bytes, before the second
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listing());
        assertEquals(Map.of("v", "1"), Safetensors.read(file).metadata());
    }

    @Test
    void aMissingFolderIsNamedWithTheTargetAndNothingIsWritten() throws IOException {
        Path file = dir.resolve("not-there").resolve("model.safetensors");
        IOException e = assertThrows(IOException.class, () -> Safetensors.write(file, NEW, Map.of()));
        assertEquals(file.toAbsolutePath() + ": cannot write: the folder " + file.toAbsolutePath().getParent()
                + " does not exist", e.getMessage());
        assertEquals(List.of(), listing());
    }

    @Test
    void anUncheckedFailureAlsoCleansUp() throws IOException {
        Path file = existingFile();
        byte[] before = Files.readAllBytes(file);
        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(file, NEW, Map.of(),
                name -> {
                    throw new IllegalStateException("crash in " + name);
                }));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void aFailureWithNoPreviousFileLeavesNothing() throws IOException {
        Path file = dir.resolve("fresh.safetensors");
        assertThrows(IOException.class, () -> SafetensorsWriter.write(file, NEW, Map.of(),
                name -> {
                    throw new IOException("simulated");
                }));
        assertFalse(Files.exists(file));
        assertEquals(List.of(), listing());
    }

    @Test
    void aSuccessfulWriteReplacesTheFileAndLeavesNoTemporary() throws IOException {
        Path file = existingFile();
        Safetensors.write(file, NEW, Map.of());
        assertArrayEquals(SafetensorsWriter.toBytes(NEW, Map.of()), Files.readAllBytes(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void theTemporaryFileGoesNextToTheTarget() throws IOException {
        Path file = dir.resolve("sub").resolve("a.safetensors");
        Files.createDirectories(file.getParent());
        Safetensors.write(file, NEW, Map.of());
        assertEquals(NEW.size(), Safetensors.read(file).tensors().size());
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList());
        }
    }

    @Test
    void theFileGetsDefaultPermissionsNotOwnerOnlyTemporaryOnes() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("perm.safetensors");
        Safetensors.write(file, NEW, Map.of());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }
}
