package dev.oneshot.benchmarks;

import dev.oneshot.siamese.data.InkLevels;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a scan's levels ({@link InkLevels#stretch}: two order statistics, a running-maximum
 * flat field, two more order statistics) on a page of handwriting under uneven light, 8-bit
 * levels, beside the baseline {@code sortCopy}: one {@code Arrays.sort} of a copy of the same
 * pixels (the method sorted twice until 2026-12-05). {@code size} is the side pair H×W: an
 * Omniglot file (105 × 105) and a 12-megapixel photograph (3000 × 4000).
 * <pre>java -jar benchmarks/target/benchmarks.jar InkLevelsBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class InkLevelsBenchmark {
    /** One grey page: paper falling from 0.95 to 0.55 across, strokes at a third of it, 8-bit levels. */
    @State(Scope.Benchmark)
    public static class Page {
        @Param({"105x105", "3000x4000"})
        public String size;

        int h;
        int w;
        float[] pixels;

        @Setup
        public void setUp() {
            String[] hw = size.split("x");
            h = Integer.parseInt(hw[0]);
            w = Integer.parseInt(hw[1]);
            pixels = new float[h * w];
            Random rng = new Random(1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double paper = 0.95 - 0.4 * x / w;
                    boolean ink = (x / 7 + y / 5) % 9 == 0;
                    double v = (ink ? paper / 3 : paper) + 0.01 * rng.nextGaussian();
                    pixels[y * w + x] = Math.round(Math.min(1, Math.max(0, v)) * 255) / 255f;
                }
            }
        }
    }

    @Benchmark
    public float[] stretchLevels(Page p) {
        return InkLevels.stretch(p.pixels, p.h, p.w);
    }

    @Benchmark
    public float[] sortCopy(Page p) {
        float[] copy = p.pixels.clone();
        Arrays.sort(copy);
        return copy;
    }
}
