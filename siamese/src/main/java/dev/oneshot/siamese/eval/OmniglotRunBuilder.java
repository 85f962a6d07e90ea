package dev.oneshot.siamese.eval;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Omniglot;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes 20-way one-shot runs in the layout of Lake et al.'s published evaluation
 * ({@code all_runs}), from Omniglot images of held-out alphabets:
 * <pre>  runNN/training/classNN.png    one image per character (drawer A)
 *   runNN/test/itemNN.png         one image per character (drawer B), in shuffled order
 *   runNN/class_labels.txt        "runNN/test/itemXX.png runNN/training/classYY.png" per test item</pre>
 * Numbers are 1-based and zero-padded to two digits (more when there are over 99 runs).
 *
 * <p>Per run, as in Lake's runs: one alphabet, {@code way} distinct characters of it drawn at
 * random, and two different drawers A and B (the same pair for the whole run) drawn from the
 * drawers that drew all of those characters. Training classes are numbered in the random
 * character order; test items in a second, independent random order. Runs go round-robin over
 * the eligible alphabets in name order (run 1 from the first, run 2 from the second, ...).
 *
 * <p><b>Small alphabets.</b> An alphabet with fewer than {@code way} characters cannot hold a
 * within-alphabet {@code way}-way run; it is <b>skipped</b> (listed in {@link Result#skipped()}),
 * not mixed with another alphabet. It is an error when no alphabet is eligible.
 *
 * <p>Files are 8-bit grey PNGs (javax.imageio) at the images' own size (105×105 for native
 * Omniglot) with Omniglot's polarity: black strokes on white. Pixel v in [0, 1] is written
 * as round(255·v), or round(255·(1 − v)) when the source has strokes at 1
 * ({@link Omniglot#DEFAULT_OPTIONS} inverts). Native Omniglot pixels are exactly 0 or 1, so
 * the files decode to the same binary images as the originals.
 *
 * <p>The source must carry {@link Omniglot#ALPHABET} and {@link Omniglot#DRAWER} metadata (as
 * {@link Omniglot} data sets do); a class is a character. Seeded: the same source, count and
 * seed give byte-identical runs.
 */
public final class OmniglotRunBuilder {
    /** Lake et al.'s runs are 20-way. */
    public static final int WAY = 20;

    private OmniglotRunBuilder() {
    }

    /** One written run: the source example behind every image. */
    public record BuiltRun(String name, String alphabet, String drawerA, String drawerB,
                           List<String> trainingSources, List<String> testSources, int[] testToClass) {
    }

    /** The runs written and the alphabets skipped for having fewer than {@code way} characters. */
    public record Result(Path root, List<BuiltRun> runs, List<String> skipped) {
    }

    /** {@code runs} 20-way runs under {@code root}; see the class comment. */
    public static Result build(LabeledImages source, boolean strokesAreOne, Path root, int runs, long seed)
            throws IOException {
        return build(source, strokesAreOne, root, runs, WAY, seed);
    }

    /** {@code runs} {@code way}-way runs under {@code root} (created if needed; no run folder may exist yet). */
    public static Result build(LabeledImages source, boolean strokesAreOne, Path root, int runs, int way, long seed)
            throws IOException {
        if (runs < 1 || way < 2) {
            throw new IllegalArgumentException("OmniglotRunBuilder: need runs ≥ 1 and way ≥ 2; got runs=" + runs
                    + " way=" + way);
        }
        int[] shape = source.imageShape();
        if (shape[0] != 1) {
            throw new IllegalArgumentException("OmniglotRunBuilder: need one grey channel, got " + shape[0]);
        }
        // alphabet -> character (class) -> drawer -> example index
        Map<String, Map<Integer, Map<String, Integer>>> byAlphabet = new TreeMap<>();
        for (int i = 0; i < source.size(); i++) {
            Map<String, String> m = source.metadata(i);
            String alphabet = m.get(Omniglot.ALPHABET);
            String drawer = m.get(Omniglot.DRAWER);
            if (alphabet == null || drawer == null || drawer.isEmpty()) {
                throw new IllegalArgumentException("OmniglotRunBuilder: example " + i + " has no '" + Omniglot.ALPHABET
                        + "' or '" + Omniglot.DRAWER + "' metadata (load it with Omniglot)");
            }
            Map<String, Integer> drawers = byAlphabet.computeIfAbsent(alphabet, a -> new TreeMap<>())
                    .computeIfAbsent(source.label(i), c -> new TreeMap<>());
            drawers.putIfAbsent(drawer, i);
        }
        List<String> eligible = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        byAlphabet.forEach((a, chars) -> (chars.size() >= way ? eligible : skipped).add(a));
        if (eligible.isEmpty()) {
            throw new IllegalArgumentException("OmniglotRunBuilder: no alphabet has " + way + " characters; sizes: "
                    + sizes(byAlphabet));
        }
        int digits = Math.max(2, String.valueOf(runs).length());
        int itemDigits = Math.max(2, String.valueOf(way).length());
        List<String> runNames = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            String name = "run" + pad(r, digits);
            if (Files.exists(root.resolve(name))) {
                throw new IOException("OmniglotRunBuilder: " + root.resolve(name) + " already exists; "
                        + "build into an empty folder");
            }
            runNames.add(name);
        }
        Files.createDirectories(root);
        SeededRandom rng = new SeededRandom(seed);
        List<BuiltRun> built = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            String name = runNames.get(r);
            String alphabet = eligible.get(r % eligible.size());
            List<Integer> chars = new ArrayList<>(byAlphabet.get(alphabet).keySet());
            int[] order = rng.permutation(chars.size());
            int[] picked = new int[way];
            TreeSet<String> common = null;
            for (int k = 0; k < way; k++) {
                picked[k] = chars.get(order[k]);
                var have = byAlphabet.get(alphabet).get(picked[k]).keySet();
                if (common == null) {
                    common = new TreeSet<>(have);
                } else {
                    common.retainAll(have);
                }
            }
            if (common.size() < 2) {
                throw new IllegalArgumentException("OmniglotRunBuilder: " + name + " (" + alphabet
                        + "): fewer than two drawers drew all " + way + " chosen characters");
            }
            List<String> drawers = new ArrayList<>(common);
            int[] dp = rng.permutation(drawers.size());
            String a = drawers.get(dp[0]);
            String b = drawers.get(dp[1]);
            int[] testOrder = rng.permutation(way); // item j shows the character of training class testOrder[j]

            Path dir = root.resolve(name);
            Files.createDirectories(dir.resolve("training"));
            Files.createDirectories(dir.resolve("test"));
            List<String> trainSrc = new ArrayList<>();
            List<String> testSrc = new ArrayList<>();
            StringBuilder labels = new StringBuilder();
            for (int k = 0; k < way; k++) {
                int idx = byAlphabet.get(alphabet).get(picked[k]).get(a);
                writePng(source, idx, strokesAreOne, dir.resolve("training/class" + pad(k + 1, itemDigits) + ".png"));
                trainSrc.add(describe(source, idx));
            }
            for (int j = 0; j < way; j++) {
                int k = testOrder[j];
                int idx = byAlphabet.get(alphabet).get(picked[k]).get(b);
                String item = "item" + pad(j + 1, itemDigits) + ".png";
                writePng(source, idx, strokesAreOne, dir.resolve("test/" + item));
                testSrc.add(describe(source, idx));
                labels.append(name).append("/test/").append(item).append(' ')
                        .append(name).append("/training/class").append(pad(k + 1, itemDigits)).append(".png\n");
            }
            Files.writeString(dir.resolve(OmniglotRuns.LABELS_FILE), labels, StandardCharsets.UTF_8);
            built.add(new BuiltRun(name, alphabet, a, b, List.copyOf(trainSrc), List.copyOf(testSrc), testOrder));
        }
        return new Result(root, List.copyOf(built), List.copyOf(skipped));
    }

    private static String sizes(Map<String, Map<Integer, Map<String, Integer>>> byAlphabet) {
        StringBuilder s = new StringBuilder();
        byAlphabet.forEach((a, c) -> s.append(s.length() == 0 ? "" : ", ").append(a).append('=').append(c.size()));
        return s.toString();
    }

    private static String describe(LabeledImages source, int idx) {
        String f = source.metadata(idx).get(Omniglot.FILE);
        return f != null ? f : source.className(source.label(idx)) + "#" + idx;
    }

    static String pad(int n, int digits) {
        String s = String.valueOf(n);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    /** Example {@code idx} as an 8-bit grey PNG, black strokes on white. */
    static void writePng(LabeledImages source, int idx, boolean strokesAreOne, Path file) throws IOException {
        int[] s = source.imageShape();
        int h = s[1], w = s[2];
        float[] px = source.image(idx);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = px[y * w + x];
                if (strokesAreOne) {
                    v = 1f - v;
                }
                r.setSample(x, y, 0, Math.round(255f * Math.min(1f, Math.max(0f, v))));
            }
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("OmniglotRunBuilder: no PNG writer for " + file);
        }
    }
}
