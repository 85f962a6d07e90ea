package dev.oneshot.nn.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oneshot.core.testing.FuzzContract;
import dev.oneshot.core.testing.FuzzFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for the IDX reader (raw and gzip). Regression mode replays
 * {@code src/test/resources/dev/oneshot/nn/data/IdxFuzzTestInputs/readIdx/} on every build.
 */
class IdxFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir("idx-fuzz");

    /**
     * Any file: an {@link IdxFile} whose element count matches its dimensions, or an
     * {@link IdxFormatException} naming the file. Allocation is bounded by the data the file
     * can hold: its size for a raw file, at most {@value IdxReader#MAX_DEFLATE_RATIO} times its
     * size for a gzip file (checked before the array is allocated), plus fixed buffers.
     */
    @FuzzTest(maxDuration = "5m")
    void readIdx(byte[] bytes) throws IOException {
        Path file = DIR.resolve("input.idx");
        Files.write(file, bytes);
        FuzzContract.check(file.toString(), bytes.length, 2 * IdxReader.MAX_DEFLATE_RATIO + 64, () -> {
            IdxFile f = IdxReader.read(file);
            long product = 1;
            for (int d : f.dims()) {
                product *= d;
            }
            if (product != f.size()) {
                throw new AssertionError(file + ": dims " + IdxReader.dimsString(f.dims()) + " but " + f.size()
                        + " elements");
            }
            if (f.type().isInteger() && f.rank() == 1) {
                f.toIntArray();
            }
        }, IdxFormatException.class);
    }
}
