package dev.oneshot.siamese.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared test helpers: where the shared Omniglot zips are, and tiny synthetic data sets. */
final class TestData {
    private TestData() {
    }

    /** {@code <repo root>/../shared/data/omniglot}, the repo root being the first parent holding {@code mvnw}. */
    static Path omniglotDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("../shared/data/omniglot") : p.resolve("../shared/data/omniglot").normalize();
    }

    /**
     * {@code counts[c]} examples of class c, 1×2×2 images whose first pixel is the example index / 1000;
     * metadata {@code group} = {@code "g" + c / classesPerGroup}.
     */
    static InMemoryImages synthetic(int[] counts, int classesPerGroup) {
        int n = 0;
        for (int k : counts) {
            n += k;
        }
        float[] px = new float[n * 4];
        int[] labels = new int[n];
        List<Map<String, String>> meta = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int i = 0;
        for (int c = 0; c < counts.length; c++) {
            names.add("class" + c);
            for (int k = 0; k < counts[c]; k++, i++) {
                px[i * 4] = i / 1000f;
                labels[i] = c;
                meta.add(Map.of("group", "g" + c / classesPerGroup));
            }
        }
        return new InMemoryImages(px, new int[] {1, 2, 2}, labels, names, meta);
    }

    static int[] repeat(int value, int times) {
        int[] a = new int[times];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
