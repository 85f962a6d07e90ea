package dev.oneshot.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oneshot.core.json.Json;
import dev.oneshot.core.testing.FuzzContract;
import dev.oneshot.core.testing.FuzzFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz targets for the safetensors reader and its JSON header parser. Regression mode (every
 * {@code ./mvnw verify}) replays the seed and crash inputs under
 * {@code src/test/resources/dev/oneshot/core/io/SafetensorsFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} Jazzer mutates them (see docs/reliability.md, "Fuzzing").
 */
class SafetensorsFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir("safetensors-fuzz");

    /**
     * Any file: a {@link SafetensorsFile}, or a {@link SafetensorsFormatException} (or, for a
     * file truncated while read, an {@link IOException}) naming the file. The reader allocates
     * the header (UTF-8 bytes, chars, parsed values) and the tensors, which must tile the file,
     * so at most a constant times the file's size.
     */
    @FuzzTest(maxDuration = "5m")
    void readFile(byte[] bytes) throws IOException {
        Path file = DIR.resolve("input.safetensors");
        Files.write(file, bytes);
        FuzzContract.check(file.toString(), bytes.length, 64, () -> {
            SafetensorsFile f = SafetensorsReader.read(file);
            for (StoredTensor t : f.tensors().values()) {
                if (t.byteLength() != (long) t.numel() * t.dtype().byteSize()) {
                    throw new AssertionError("tensor " + t.name() + " has " + t.byteLength() + " bytes for "
                            + t.numel() + " elements");
                }
            }
        }, IOException.class);
    }

    /**
     * Any text, parsed as a header is ({@link Json#parse(String, int)} with depth
     * {@value SafetensorsReader#MAX_HEADER_DEPTH}): a parsed value, or an
     * {@link IllegalArgumentException} naming the character offset of the problem ("at character N"). Parsing allocates at most a constant times the
     * text's length (the depth limit keeps recursion and containers small).
     */
    @FuzzTest(maxDuration = "5m")
    void parseHeaderJson(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        FuzzContract.check("at character", bytes.length, 64, () -> Json.parse(text, SafetensorsReader.MAX_HEADER_DEPTH),
                IllegalArgumentException.class);
    }
}
