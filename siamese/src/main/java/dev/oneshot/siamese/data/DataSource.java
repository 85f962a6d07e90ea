package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.data.FashionMnist;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A labelled image collection named on the command line or in code, and the classes it holds:
 * {@link Idx} (MNIST-style IDX files), {@link OmniglotSets}, {@link Folder} (one sub-folder per
 * class) or {@link Orl} (the ORL faces). A source loads <em>every</em> class it names; a part is
 * named explicitly ({@code fashion-mnist:unseen}, {@code orl:faces.zip:people=31-40}), never set
 * aside behind the user's back. The one exception is stated by the caller: a training run
 * without validation data takes its validation classes out of its training data with
 * {@link #holdOut}, and says which.
 *
 * <p>Spec grammar ({@link #parse}):
 * <pre>
 *   fashion-mnist[:DIR][:train|:test][:seen|:unseen|:classes=LIST]
 *   mnist-idx:DIR[:train|:test][:seen|:unseen|:classes=LIST]      LIST: 0-6 or 7,8,9 (label numbers)
 *   omniglot:PATH[,PATH...]                                       zips or folders of Alphabet/characterNN/*.png
 *   folder:PATH                                                   a folder (or zip) of class sub-folders
 *   orl:PATH[:people=A-B]                                         ORL faces, zip or folder of sX/Y.png|pgm
 * </pre>
 * IDX data holds a training and a test file: training and validation read the training file,
 * evaluation reads the test file, unless {@code :train} or {@code :test} says otherwise.
 * {@code seen} is classes 0–6 and {@code unseen} classes 7–9 (the demo's protocol).
 */
public sealed interface DataSource {
    /** One line per kind, for usage messages. */
    String USAGE = "fashion-mnist[:DIR][:train|:test][:seen|:unseen|:classes=A-B], mnist-idx:DIR[...], "
            + "omniglot:PATH[,PATH...], folder:PATH, orl:PATH[:people=A-B]";

    /** The kinds of data, each with its built-in recipe. */
    enum Kind { IDX, OMNIGLOT, ORL, FOLDER }

    /** What the loaded images are for (IDX data picks its file by it). */
    enum Use { TRAINING, VALIDATION, EVALUATION }

    Kind kind();

    /** The spec as written, e.g. {@code "orl:faces.zip:people=31-40"}. */
    String spec();

    /** Every class this source names, read with {@code options} (IDX data is 28×28 only). */
    LabeledImages load(ImageOptions options, Use use) throws IOException;

    /** Training classes and validation classes taken out of them, and a sentence saying which. */
    record Holdout(LabeledImages train, LabeledImages validation, String description) {
    }

    /**
     * Takes about {@code fraction} of the classes of {@code all} (at least {@code minClasses})
     * out for validation, chosen with {@code seed}; the rest train. When that would leave fewer
     * than 2 training classes or fewer than {@code minClasses} validation classes, nothing is
     * taken out ({@code validation} is empty and the description says why).
     */
    default Holdout holdOut(LabeledImages all, double fraction, int minClasses, long seed) {
        int n = all.classCount();
        int v = Math.max(minClasses, (int) Math.round(n * fraction));
        if (fraction <= 0 || n - v < 2) {
            return new Holdout(all, Subset.ofClasses(all, new int[0]), "no validation classes: " + n
                    + " classes are too few to spare " + v);
        }
        int[] order = shuffled(n, seed);
        int[] val = Arrays.stream(order, 0, v).sorted().toArray();
        int[] train = Arrays.stream(order, v, n).sorted().toArray();
        LabeledImages valPart = Subset.ofClasses(all, val);
        return new Holdout(Subset.ofClasses(all, train), valPart, v + " of the " + n + " classes, drawn with seed "
                + seed + ": " + classNames(valPart));
    }

    /** The classes a cross-validation fold holds out, and a phrase naming them. */
    record Fold(int[] classes, String description) {
    }

    /**
     * Cuts the classes of {@code all} into {@code k} disjoint folds of sizes differing by at most
     * one, which together hold every class: the classes shuffled with {@code seed}, then cut in
     * order (sources override this: ORL cuts people by number, Omniglot deals out whole alphabets).
     */
    default List<Fold> folds(LabeledImages all, int k, long seed) {
        int n = all.classCount();
        requireFolds(k, n, "classes");
        int[] order = shuffled(n, seed);
        List<Fold> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int[] classes = Arrays.stream(order, f * n / k, (f + 1) * n / k).sorted().toArray();
            out.add(new Fold(classes, classes.length + " classes: " + classNames(Subset.ofClasses(all, classes))));
        }
        return out;
    }

    private static void requireFolds(int k, int n, String what) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("cross-validation: " + k + " folds need between 2 and " + n + " groups; the "
                    + "data has " + n + " " + what);
        }
    }

    /** 0 … n−1 in the order of a Fisher–Yates shuffle drawn from {@code seed}. */
    private static int[] shuffled(int n, long seed) {
        int[] order = IntStream.range(0, n).toArray();
        SeededRandom rng = new SeededRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** {@code "s25, s26, …, s30"}: the class names of a part, shortened past 8. */
    static String classNames(LabeledImages part) {
        int n = part.classCount();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < Math.min(n, 8); c++) {
            names.add(part.className(c));
        }
        if (n > 8) {
            names.add("… " + part.className(n - 1));
        }
        return String.join(", ", names);
    }

    /** Parses a spec; an {@link IllegalArgumentException} names the spec and the grammar. */
    static DataSource parse(String spec) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        return switch (kind) {
            case "fashion-mnist", "mnist-idx" -> Idx.parse(spec, kind, rest);
            case "omniglot" -> OmniglotSets.parse(spec, rest);
            case "folder" -> new Folder(spec, requirePath(spec, rest));
            case "orl" -> Orl.parse(spec, rest);
            default -> throw new IllegalArgumentException("unknown data spec '" + spec + "'; valid: " + USAGE);
        };
    }

    private static Path requirePath(String spec, String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("data spec '" + spec + "' needs a path: " + USAGE);
        }
        return Path.of(text.trim());
    }

    private static void requireExists(String spec, Path p) throws FileNotFoundException {
        if (!Files.exists(p)) {
            throw new FileNotFoundException(spec + ": " + p + " does not exist");
        }
    }

    /**
     * IDX files with the usual names ({@code train-images-idx3-ubyte.gz}, …) in {@code dir}.
     *
     * @param file    {@code "train"}, {@code "test"}, or {@code ""} to pick by use
     * @param classes the label numbers to keep, empty for all
     */
    record Idx(String spec, Path dir, boolean fashion, String file, int[] classes) implements DataSource {
        /** The demo's training classes. */
        public static final int[] SEEN = {0, 1, 2, 3, 4, 5, 6};
        /** The demo's never-seen classes. */
        public static final int[] UNSEEN = {7, 8, 9};

        static Idx parse(String spec, String kind, String rest) {
            Path dir = null;
            String file = "";
            int[] classes = new int[0];
            for (String t : rest.isEmpty() ? new String[0] : rest.split(":")) {
                if (t.equals("train") || t.equals("test")) {
                    file = t;
                } else if (t.equals("seen")) {
                    classes = SEEN;
                } else if (t.equals("unseen")) {
                    classes = UNSEEN;
                } else if (t.startsWith("classes=")) {
                    classes = labelList(spec, t.substring("classes=".length()));
                } else if (dir == null && !t.isBlank()) {
                    dir = Path.of(t);
                } else {
                    throw new IllegalArgumentException("data spec '" + spec + "': unexpected part '" + t + "'; valid: "
                            + USAGE);
                }
            }
            if (dir == null) {
                if (kind.equals("mnist-idx")) {
                    throw new IllegalArgumentException("data spec '" + spec + "' needs a directory: mnist-idx:DIR");
                }
                dir = FashionMnist.DEFAULT_DIR;
            }
            return new Idx(spec, dir, kind.equals("fashion-mnist"), file, classes);
        }

        private static int[] labelList(String spec, String text) {
            TreeSet<Integer> out = new TreeSet<>();
            try {
                for (String part : text.split(",")) {
                    String[] ab = part.trim().split("-");
                    int a = Integer.parseInt(ab[0].trim());
                    int b = ab.length == 2 ? Integer.parseInt(ab[1].trim()) : a;
                    if (ab.length > 2 || a < 0 || b < a || b > 1_000_000) {
                        throw new NumberFormatException();
                    }
                    for (int c = a; c <= b; c++) {
                        out.add(c);
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("data spec '" + spec + "': classes=" + text
                        + " is not a list of label numbers and ranges (e.g. 0-6 or 7,8,9)");
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public Kind kind() {
            return Kind.IDX;
        }

        @Override
        public LabeledImages load(ImageOptions options, Use use) throws IOException {
            requireExists(spec, dir);
            if (!options.resizes()) {
                throw new IllegalArgumentException(spec + ": IDX images need a size to be read at (they are "
                        + FashionMnist.SIDE + "×" + FashionMnist.SIDE + ")");
            }
            boolean test = file.equals("test") || (file.isEmpty() && use == Use.EVALUATION);
            String[] names = fashion ? FashionMnist.classNames() : null;
            IdxImages all = new IdxImages(test ? FashionMnist.test(dir) : FashionMnist.train(dir), names);
            for (int c : classes) {
                if (c >= all.classCount()) {
                    throw new IllegalArgumentException(spec + ": class " + c + " does not exist; the data has "
                            + all.classCount() + " classes (0–" + (all.classCount() - 1) + ")");
                }
            }
            LabeledImages chosen = classes.length == 0 ? all : Subset.ofClasses(all, classes);
            boolean asStored = options.height() == FashionMnist.SIDE && options.width() == FashionMnist.SIDE
                    && !options.invert() && !options.fitInk()
                    && options.strokeWidth() == 0 && !options.stretchLevels();
            return asStored ? chosen : converted(chosen, options);
        }

        /**
         * Every image through {@link GrayImages#convert}, as an image file would be read for the same
         * model: a model of handwriting trained on dark strokes (Omniglot, inverted) reads MNIST's
         * light-on-dark digits as they are, fitted and resized as its card says.
         */
        private static LabeledImages converted(LabeledImages images, ImageOptions options) {
            int side = FashionMnist.SIDE;
            int n = images.size();
            int per = options.height() * options.width();
            float[] pixels = new float[n * per];
            float[] one = new float[side * side];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                images.copyImage(i, one, 0);
                GrayImages.Plane p = GrayImages.convert(one, side, side, options);
                System.arraycopy(p.pixels(), 0, pixels, i * per, per);
                labels[i] = images.label(i);
            }
            List<String> names = new ArrayList<>();
            for (int c = 0; c < images.classCount(); c++) {
                names.add(images.className(c));
            }
            return new InMemoryImages(pixels, new int[] {1, options.height(), options.width()}, labels, names, null);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Idx i && spec.equals(i.spec);
        }

        @Override
        public int hashCode() {
            return spec.hashCode();
        }

        @Override
        public String toString() {
            return spec;
        }
    }

    /** Omniglot images from zips or folders ({@link Omniglot}); validation holds out whole alphabets. */
    record OmniglotSets(String spec, List<Path> paths) implements DataSource {
        static OmniglotSets parse(String spec, String rest) {
            List<Path> paths = new ArrayList<>();
            for (String p : rest.split(",")) {
                if (!p.isBlank()) {
                    paths.add(Path.of(p.trim()));
                }
            }
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("data spec '" + spec + "' needs a path: omniglot:PATH[,PATH...]");
            }
            return new OmniglotSets(spec, List.copyOf(paths));
        }

        @Override
        public Kind kind() {
            return Kind.OMNIGLOT;
        }

        @Override
        public LabeledImages load(ImageOptions options, Use use) throws IOException {
            for (Path p : paths) {
                requireExists(spec, p);
            }
            return Omniglot.load(paths, options);
        }

        /** Whole alphabets, shuffled with the seed and dealt into the folds in turn. */
        @Override
        public List<Fold> folds(LabeledImages all, int k, long seed) {
            Map<String, List<Integer>> groups = Splits.groups(all, Omniglot.ALPHABET);
            List<String> alphabets = new ArrayList<>(groups.keySet());
            requireFolds(k, alphabets.size(), "alphabets");
            int[] order = DataSource.shuffled(alphabets.size(), seed);
            List<Fold> out = new ArrayList<>();
            for (int f = 0; f < k; f++) {
                TreeSet<String> names = new TreeSet<>();
                for (int i = f; i < order.length; i += k) {
                    names.add(alphabets.get(order[i]));
                }
                Subset part = Splits.byGroup(all, Omniglot.ALPHABET, names, List.of(), List.of()).train();
                out.add(new Fold(part.parentClasses(), names.size() + " alphabets (" + part.classCount()
                        + " characters): " + String.join(", ", names)));
            }
            return out;
        }

        /** Whole alphabets: about {@code fraction} of them (at least one), drawn with the seed. */
        @Override
        public Holdout holdOut(LabeledImages all, double fraction, int minClasses, long seed) {
            Map<String, List<Integer>> groups = Splits.groups(all, Omniglot.ALPHABET);
            List<String> alphabets = new ArrayList<>(groups.keySet());
            int v = Math.max(1, (int) Math.round(alphabets.size() * fraction));
            if (fraction <= 0 || alphabets.size() - v < 1) {
                return DataSource.super.holdOut(all, fraction, minClasses, seed);
            }
            int[] order = DataSource.shuffled(alphabets.size(), seed);
            TreeSet<String> val = new TreeSet<>();
            TreeSet<String> train = new TreeSet<>();
            for (int i = 0; i < order.length; i++) {
                (i < v ? val : train).add(alphabets.get(order[i]));
            }
            Splits.Split s = Splits.byGroup(all, Omniglot.ALPHABET, train, val, List.of());
            return new Holdout(s.train(), s.val(), v + " of the " + alphabets.size() + " alphabets (" + s.val().classCount()
                    + " characters), drawn with seed " + seed + ": " + String.join(", ", val));
        }
    }

    /** A folder (or zip) of class sub-folders ({@link ImageFolder}). */
    record Folder(String spec, Path path) implements DataSource {
        @Override
        public Kind kind() {
            return Kind.FOLDER;
        }

        @Override
        public LabeledImages load(ImageOptions options, Use use) throws IOException {
            requireExists(spec, path);
            return ImageFolder.load(path, options);
        }
    }

    /** The ORL faces ({@link OrlFaces}) of a range of people; validation takes the last people by number. */
    record Orl(String spec, Path path, OrlFaces.People people) implements DataSource {
        static final String PEOPLE = ":people=";

        static Orl parse(String spec, String rest) {
            OrlFaces.People people = OrlFaces.People.ALL;
            int at = rest.lastIndexOf(PEOPLE);
            if (at >= 0) {
                people = OrlFaces.People.parse(rest.substring(at + PEOPLE.length()));
                rest = rest.substring(0, at);
            }
            return new Orl(spec, DataSource.requirePath(spec, rest), people);
        }

        @Override
        public Kind kind() {
            return Kind.ORL;
        }

        @Override
        public LabeledImages load(ImageOptions options, Use use) throws IOException {
            requireExists(spec, path);
            return OrlFaces.load(path, people, options);
        }

        /** People by number: fold f holds the f-th run of consecutive people (people 1–40 in 4 folds: s1…s10, …). */
        @Override
        public List<Fold> folds(LabeledImages all, int k, long seed) {
            int n = all.classCount();
            requireFolds(k, n, "people");
            List<Fold> out = new ArrayList<>();
            for (int f = 0; f < k; f++) {
                int[] classes = IntStream.range(f * n / k, (f + 1) * n / k).toArray();
                out.add(new Fold(classes, classes.length + " people: " + classNames(Subset.ofClasses(all, classes))));
            }
            return out;
        }

        /** The last {@code fraction} of the people by number (people=1-30 at 0.2: s25…s30); not drawn. */
        @Override
        public Holdout holdOut(LabeledImages all, double fraction, int minClasses, long seed) {
            int n = all.classCount();
            int v = Math.max(minClasses, (int) Math.round(n * fraction));
            if (fraction <= 0 || n - v < 2) {
                return DataSource.super.holdOut(all, fraction, minClasses, seed);
            }
            LabeledImages val = Subset.ofClasses(all, IntStream.range(n - v, n).toArray());
            return new Holdout(Subset.ofClasses(all, IntStream.range(0, n - v).toArray()), val,
                    "the last " + v + " of the " + n + " people by number: " + classNames(val));
        }
    }
}
