package dev.oneshot.siamese.eval;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.data.FileTree;
import dev.oneshot.siamese.data.GrayImages;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and scores one-shot runs in Lake et al.'s layout (as published in {@code all_runs.zip},
 * or written by {@link OmniglotRunBuilder}):
 * <pre>  runNN/training/classNN.png  runNN/test/itemNN.png  runNN/class_labels.txt</pre>
 * with one line {@code runNN/test/itemXX.png runNN/training/classYY.png} per test item, paths
 * relative to the folder holding the runs.
 *
 * <p><b>Scoring.</b> Each test item is classified as the training image at minimum squared L2
 * distance between feature vectors; exact ties are broken uniformly at random from a fixed
 * seed (so a collapsed feature function scores about 1/N, not 100%). Every training image of
 * the run is a candidate, referenced by a label or not.
 *
 * <p><b>Sources.</b> A folder whose {@code runNN} sub-folders hold the runs, or a zip with the
 * same layout, both read through {@link FileTree} (the runs may sit under one common folder,
 * e.g. {@code all_runs/run01/...}). Parsing is strict; every error names the file (and line).
 *
 * <p><b>Images</b> are decoded exactly as training data ({@link GrayImages#decode} with the
 * given {@link ImageOptions}, e.g. resized to 35×35 and inverted), so the same network sees
 * the same kind of input.
 */
public final class OmniglotRuns {
    /** The answer file of each run. */
    public static final String LABELS_FILE = "class_labels.txt";
    /** Seed of the tie-breaking random stream. */
    public static final long TIE_SEED = 0x5EEDL;

    private static final Pattern RUN_DIR = Pattern.compile("run\\d+");
    private static final Pattern TEST_PATH = Pattern.compile("(run\\d+)/test/([^/\\s]+\\.png)");
    private static final Pattern TRAIN_PATH = Pattern.compile("(run\\d+)/training/([^/\\s]+\\.png)");

    /**
     * One run. {@link #images()} holds the training images first (indices 0..T−1, label = their
     * own index) and then the test items (indices T..T+Q−1, label = the index of their true
     * training image), so feature functions over {@link LabeledImages} apply unchanged.
     */
    public record Run(String name, List<String> trainingFiles, List<String> testFiles, int[] answers,
                      LabeledImages images) {
        public int trainingCount() {
            return trainingFiles.size();
        }

        public int testCount() {
            return testFiles.size();
        }
    }

    /**
     * Accuracy over all test items; {@code ci95} is the 95% half-width across runs
     * (1.96·s/√R, s the standard deviation of the per-run accuracies; 0 for one run) — runs,
     * not items, are the independent units, since a run's items share two drawers.
     */
    public record Score(double accuracy, double ci95, int runs, int items, double[] perRun) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f%% ± %.1f (%d runs, %d items)", 100 * accuracy, 100 * ci95, runs,
                    items);
        }
    }

    private final List<Run> runs;
    private final String where;

    private OmniglotRuns(List<Run> runs, String where) {
        this.runs = List.copyOf(runs);
        this.where = where;
    }

    public List<Run> runs() {
        return runs;
    }

    /** Where the runs were read from. */
    public String source() {
        return where;
    }

    /**
     * Reads a folder of {@code runNN} folders or a zip of them (through {@link FileTree}), decoding
     * images with {@code options}. The runs are the {@code runNN} folders of the root; when the
     * root holds none, those of the one folder holding {@code runNN/class_labels.txt} files (e.g.
     * {@code all_runs/}).
     *
     * @throws IOException naming the folder or zip, and the file and line at fault
     */
    public static OmniglotRuns read(Path folderOrZip, ImageOptions options) throws IOException {
        try (FileTree tree = FileTree.open(folderOrZip)) {
            String base = runsFolder(tree);
            List<String> names = tree.list(base, true).stream().filter(n -> RUN_DIR.matcher(n).matches()).toList();
            RunFiles fs = new RunFiles(tree, base);
            List<Run> runs = new ArrayList<>();
            for (String n : names) {
                runs.add(readRun(n, fs, options));
            }
            return new OmniglotRuns(runs, folderOrZip.toString());
        }
    }

    /** {@code ""} when the root holds runNN folders, else the one prefix of every {@code runNN/class_labels.txt}. */
    private static String runsFolder(FileTree tree) throws IOException {
        if (tree.list("", true).stream().anyMatch(n -> RUN_DIR.matcher(n).matches())) {
            return "";
        }
        Pattern labels = Pattern.compile("(.*/)?run\\d+/" + Pattern.quote(LABELS_FILE));
        Set<String> prefixes = new TreeSet<>();
        for (String rel : tree.files()) {
            Matcher m = labels.matcher(rel);
            if (m.matches()) {
                prefixes.add(m.group(1) == null ? "" : m.group(1));
            }
        }
        if (prefixes.isEmpty()) {
            throw new IOException("OmniglotRuns: no runNN folders (runNN/" + LABELS_FILE + ") in "
                    + tree.display(""));
        }
        if (prefixes.size() > 1) {
            throw new IOException("OmniglotRuns: runs under several folders in " + tree.display("") + ": " + prefixes);
        }
        return prefixes.iterator().next();
    }

    /** A run's files: paths relative to the folder holding the runs ({@code base} in the tree). */
    private record RunFiles(FileTree tree, String base) {
        boolean exists(String rel) throws IOException {
            return tree.isFile(base + rel);
        }

        byte[] bytes(String rel) throws IOException {
            return tree.read(base + rel);
        }

        /** File names (not paths) directly in folder {@code rel}. */
        List<String> list(String rel) throws IOException {
            if (!tree.isDirectory(base + rel)) {
                throw new IOException("OmniglotRuns: missing folder " + display(rel));
            }
            return tree.list(base + rel, false);
        }

        String display(String rel) {
            return tree.display(base + rel);
        }
    }

    private static Run readRun(String run, RunFiles fs, ImageOptions options) throws IOException {
        String labelsRel = run + "/" + LABELS_FILE;
        if (!fs.exists(labelsRel)) {
            throw new IOException("OmniglotRuns: missing " + fs.display(labelsRel));
        }
        List<String> training = fs.list(run + "/training").stream().filter(n -> n.toLowerCase().endsWith(".png"))
                .toList();
        List<String> testPresent = fs.list(run + "/test").stream().filter(n -> n.toLowerCase().endsWith(".png"))
                .toList();
        if (training.size() < 2) {
            throw new IOException("OmniglotRuns: " + fs.display(run + "/training") + " holds " + training.size()
                    + " PNG files; a run needs at least 2");
        }
        Map<String, Integer> trainIndex = new HashMap<>();
        for (int i = 0; i < training.size(); i++) {
            trainIndex.put(training.get(i), i);
        }
        String text = new String(fs.bytes(labelsRel), StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--; // the newline ending the last line
        }
        Map<String, Integer> answerOf = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (int li = 0; li < n; li++) {
            String where = fs.display(labelsRel) + ":" + (li + 1);
            String line = lines[li].endsWith("\r") ? lines[li].substring(0, lines[li].length() - 1) : lines[li];
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                throw new IOException("OmniglotRuns: " + where + ": empty line");
            }
            String[] tok = trimmed.split("\\s+");
            if (tok.length != 2) {
                throw new IOException("OmniglotRuns: " + where + ": expected '" + run + "/test/itemXX.png " + run
                        + "/training/classYY.png', got " + tok.length + " field(s): '" + trimmed + "'");
            }
            Matcher t = TEST_PATH.matcher(tok[0]);
            if (!t.matches() || !t.group(1).equals(run)) {
                throw new IOException("OmniglotRuns: " + where + ": first field must be " + run
                        + "/test/<item>.png, got '" + tok[0] + "'");
            }
            Matcher c = TRAIN_PATH.matcher(tok[1]);
            if (!c.matches() || !c.group(1).equals(run)) {
                throw new IOException("OmniglotRuns: " + where + ": second field must be " + run
                        + "/training/<class>.png, got '" + tok[1] + "'");
            }
            if (!seen.add(t.group(2))) {
                throw new IOException("OmniglotRuns: " + where + ": test item " + tok[0] + " is labelled twice");
            }
            if (!fs.exists(tok[0])) {
                throw new IOException("OmniglotRuns: " + where + ": test item " + fs.display(tok[0]) + " does not exist");
            }
            Integer cls = trainIndex.get(c.group(2));
            if (cls == null) {
                throw new IOException("OmniglotRuns: " + where + ": training image " + fs.display(tok[1])
                        + " does not exist");
            }
            answerOf.put(t.group(2), cls);
        }
        if (answerOf.isEmpty()) {
            throw new IOException("OmniglotRuns: " + fs.display(labelsRel) + " labels no test item");
        }
        for (String item : testPresent) {
            if (!answerOf.containsKey(item)) {
                throw new IOException("OmniglotRuns: test item " + fs.display(run + "/test/" + item)
                        + " has no line in " + fs.display(labelsRel));
            }
        }
        List<String> tests = new ArrayList<>(answerOf.keySet());
        int[] answers = new int[tests.size()];
        List<GrayImages.Plane> planes = new ArrayList<>();
        List<String> trainingPaths = new ArrayList<>();
        for (String f : training) {
            String rel = run + "/training/" + f;
            trainingPaths.add(rel);
            planes.add(GrayImages.decode(fs.bytes(rel), fs.display(rel), options));
        }
        List<String> testPaths = new ArrayList<>();
        for (int q = 0; q < tests.size(); q++) {
            String rel = run + "/test/" + tests.get(q);
            testPaths.add(rel);
            answers[q] = answerOf.get(tests.get(q));
            planes.add(GrayImages.decode(fs.bytes(rel), fs.display(rel), options));
        }
        int h = planes.get(0).height(), w = planes.get(0).width();
        float[] px = new float[planes.size() * h * w];
        int[] labels = new int[planes.size()];
        List<Map<String, String>> meta = new ArrayList<>();
        for (int i = 0; i < planes.size(); i++) {
            GrayImages.Plane p = planes.get(i);
            String rel = i < training.size() ? trainingPaths.get(i) : testPaths.get(i - training.size());
            if (p.height() != h || p.width() != w) {
                throw new IOException("OmniglotRuns: " + fs.display(rel) + " is " + p.height() + "×" + p.width()
                        + " but " + fs.display(trainingPaths.get(0)) + " is " + h + "×" + w
                        + "; configure a size in ImageOptions");
            }
            System.arraycopy(p.pixels(), 0, px, i * h * w, h * w);
            labels[i] = i < training.size() ? i : answers[i - training.size()];
            meta.add(Map.of("file", rel));
        }
        LabeledImages images = new InMemoryImages(px, new int[] {1, h, w}, labels, trainingPaths, meta);
        return new Run(run, List.copyOf(trainingPaths), List.copyOf(testPaths), answers, images);
    }

    /** Raw pixels as features (the nearest-neighbour baseline). */
    public static Function<LabeledImages, Embedder.Features> pixels() {
        return Embedder::pixels;
    }

    /** The network's embeddings (eval mode, no graph) as features. */
    public static Function<LabeledImages, Embedder.Features> embeddings(TwinNetwork net) {
        return d -> Embedder.embed(net, d);
    }

    /** Accuracy of {@code features} over every run (one call per run, on {@link Run#images()}). */
    public Score evaluate(Function<LabeledImages, Embedder.Features> features) {
        SeededRandom ties = new SeededRandom(TIE_SEED);
        double[] perRun = new double[runs.size()];
        int correct = 0;
        int items = 0;
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            Embedder.Features f = features.apply(run.images());
            if (f.rows() != run.images().size()) {
                throw new IllegalStateException("OmniglotRuns: the feature function gave " + f.rows() + " rows for "
                        + run.images().size() + " images of " + run.name());
            }
            int t = run.trainingCount();
            int[] tied = new int[t];
            int ok = 0;
            for (int q = 0; q < run.testCount(); q++) {
                double best = Double.POSITIVE_INFINITY;
                int nt = 0;
                for (int c = 0; c < t; c++) {
                    double d = f.squaredDistance(t + q, c);
                    if (d < best) {
                        best = d;
                        nt = 0;
                    }
                    if (d == best) {
                        tied[nt++] = c;
                    }
                }
                int predicted = nt == 0 ? ties.nextInt(t) : tied[nt == 1 ? 0 : ties.nextInt(nt)];
                if (predicted == run.answers()[q]) {
                    ok++;
                }
            }
            perRun[r] = (double) ok / run.testCount();
            correct += ok;
            items += run.testCount();
        }
        double acc = (double) correct / items;
        double ci = 0;
        if (perRun.length > 1) {
            double mean = 0;
            for (double a : perRun) {
                mean += a;
            }
            mean /= perRun.length;
            double ss = 0;
            for (double a : perRun) {
                ss += (a - mean) * (a - mean);
            }
            ci = 1.96 * Math.sqrt(ss / (perRun.length - 1) / perRun.length);
        }
        return new Score(acc, ci, runs.size(), items, perRun);
    }
}
