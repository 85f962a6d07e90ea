package dev.oneshot.app.cli;

import dev.oneshot.nn.data.FashionMnist;
import dev.oneshot.siamese.data.IdxImages;
import dev.oneshot.siamese.data.ImageFolder;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.OrlFaces;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Omniglot;
import dev.oneshot.siamese.data.Splits;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.train.FaceDefaults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A data set named on the command line, and its class-disjoint split:
 * <ul>
 *   <li>{@code fashion-mnist[:DIR]} and {@code mnist-idx:DIR} (IDX files with the usual names):
 *       training on classes 0–6 of the training file, validation (early stopping) on classes
 *       7–9 of the training file, evaluation on classes 7–9 of the test file — 28×28 only;</li>
 *   <li>{@code omniglot:PATH[,PATH...]} (zips or unpacked folders): alphabet-disjoint split
 *       60/20/20 % drawn from the split seed, images resized and inverted (strokes 1);</li>
 *   <li>{@code folder:DIR} (one sub-folder per class): class-disjoint split 60/20/20 %;</li>
 *   <li>{@code orl:PATH[:people=A-B]} (the ORL faces, a zip or a folder of {@code sX/Y.png|pgm}; people
 *       1–40 when no range is given), 28×23 by default (FaceDefaults): the split is by person number, not drawn —
 *       the last fifth of the range (rounded; none below 5 people) validates, the others train,
 *       and <em>every</em> person of the range is in the test part, so {@code people=31-40} evaluates
 *       on ten people the model never saw when it was trained on {@code people=1-30} (1–24 train,
 *       25–30 validate).</li>
 * </ul>
 */
record DataSpec(String kind, String text, List<Path> paths, OrlFaces.People people) {
    /** Fashion-MNIST / IDX classes seen in training; the others are held out. */
    static final int IDX_TRAIN_CLASSES = 7;
    static final String USAGE = "fashion-mnist[:DIR], mnist-idx:DIR, omniglot:PATH[,PATH...], folder:DIR "
            + "or orl:PATH[:people=A-B]";
    /** The suffix of an ORL spec that selects people. */
    static final String PEOPLE = ":people=";

    /** The three class-disjoint parts, and how images were prepared (for embedding new files alike). */
    record Parts(LabeledImages train, LabeledImages val, LabeledImages test, InputSize size, boolean invert) {
    }

    static DataSpec parse(String spec) throws Args.UsageException {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        OrlFaces.People people = null;
        if (kind.equals("orl")) {
            people = OrlFaces.People.ALL;
            int at = rest.lastIndexOf(PEOPLE);
            if (at >= 0) {
                try {
                    people = OrlFaces.People.parse(rest.substring(at + PEOPLE.length()));
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException("data spec '" + spec + "': " + e.getMessage());
                }
                rest = rest.substring(0, at);
            }
        } else if (rest.contains(PEOPLE)) {
            throw new Args.UsageException("data spec '" + spec + "': only orl takes " + PEOPLE.substring(1) + "A-B");
        }
        List<Path> paths = new ArrayList<>();
        for (String p : rest.split(",")) {
            if (!p.isBlank()) {
                paths.add(Path.of(p.trim()));
            }
        }
        switch (kind) {
            case "fashion-mnist" -> {
                if (paths.isEmpty()) {
                    paths.add(FashionMnist.DEFAULT_DIR);
                }
            }
            case "mnist-idx", "folder", "omniglot", "orl" -> {
                if (paths.isEmpty()) {
                    throw new Args.UsageException("data spec '" + spec + "' needs a path: " + USAGE);
                }
            }
            default -> throw new Args.UsageException("unknown data spec '" + spec + "'; valid: " + USAGE);
        }
        if (paths.size() > 1 && !kind.equals("omniglot")) {
            throw new Args.UsageException("data spec '" + spec + "': only omniglot takes several paths");
        }
        return new DataSpec(kind, spec, List.copyOf(paths), people);
    }

    boolean isIdx() {
        return kind.equals("fashion-mnist") || kind.equals("mnist-idx");
    }

    /** Images are inverted (dark strokes on light paper become 1 on 0) for Omniglot only. */
    boolean invert() {
        return kind.equals("omniglot");
    }

    boolean isOrl() {
        return kind.equals("orl");
    }

    /** The input size when {@code --image-size} is not given: {@link FaceDefaults#HEIGHT}×{@link FaceDefaults#WIDTH} for faces, else 28. */
    InputSize defaultSize() {
        return isOrl() ? new InputSize(FaceDefaults.HEIGHT, FaceDefaults.WIDTH) : InputSize.square(28);
    }

    /** Loads the data at {@code size} and splits it with {@code splitSeed} (ORL: by person number). */
    Parts load(InputSize size, long splitSeed) throws IOException, Args.UsageException {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new java.io.FileNotFoundException(text + ": " + p + " does not exist");
            }
        }
        if (isIdx()) {
            if (!size.equals(InputSize.square(FashionMnist.SIDE))) {
                throw new Args.UsageException(kind + " images are 28×28; --image-size " + size + " is not supported");
            }
            Path dir = paths.get(0);
            String[] names = kind.equals("fashion-mnist") ? FashionMnist.classNames() : null;
            IdxImages train = new IdxImages(FashionMnist.train(dir), names);
            IdxImages test = new IdxImages(FashionMnist.test(dir), names);
            int[] seen = IntStream.range(0, IDX_TRAIN_CLASSES).toArray();
            int[] held = IntStream.range(IDX_TRAIN_CLASSES, train.classCount()).toArray();
            return new Parts(Subset.ofClasses(train, seen), Subset.ofClasses(train, held), Subset.ofClasses(test, held),
                    size, false);
        }
        ImageOptions options = size.options(invert());
        if (isOrl()) {
            InMemoryImages all = OrlFaces.load(paths.get(0), people, options);
            int n = all.classCount();
            int val = n < 5 ? 0 : (int) Math.round(n * 0.2);
            int[] trainPeople = IntStream.range(0, n - val).toArray();
            int[] valPeople = IntStream.range(n - val, n).toArray();
            return new Parts(Subset.ofClasses(all, trainPeople), Subset.ofClasses(all, valPeople),
                    Subset.ofClasses(all, IntStream.range(0, n).toArray()), size, false);
        }
        if (kind.equals("omniglot")) {
            List<Path> zips = paths.stream().filter(Files::isRegularFile).toList();
            List<Path> dirs = paths.stream().filter(Files::isDirectory).toList();
            LabeledImages all = !zips.isEmpty() && dirs.isEmpty() ? Omniglot.fromZips(zips, options)
                    : zips.isEmpty() ? Omniglot.fromFolder(dirs, options) : null;
            if (all == null) {
                throw new Args.UsageException("omniglot: give either zips or folders, not both");
            }
            Splits.Split s = Splits.byGroup(all, Omniglot.ALPHABET, 0.6, 0.2, splitSeed);
            return new Parts(s.train(), s.val(), s.test(), size, true);
        }
        LabeledImages all = ImageFolder.load(paths.get(0), options);
        if (all.classCount() < 4) {
            throw new IOException(text + ": a class-disjoint split needs at least 4 classes, found " + all.classCount());
        }
        Splits.Split s = Splits.byClass(all, 0.6, 0.2, splitSeed);
        return new Parts(s.train(), s.val(), s.test(), size, false);
    }
}
