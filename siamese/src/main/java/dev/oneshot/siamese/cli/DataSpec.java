package dev.oneshot.siamese.cli;

import dev.oneshot.nn.data.FashionMnist;
import dev.oneshot.siamese.data.IdxImages;
import dev.oneshot.siamese.data.ImageFolder;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Omniglot;
import dev.oneshot.siamese.data.Splits;
import dev.oneshot.siamese.data.Subset;

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
 *   <li>{@code folder:DIR} (one sub-folder per class): class-disjoint split 60/20/20 %.</li>
 * </ul>
 */
record DataSpec(String kind, String text, List<Path> paths) {
    /** Fashion-MNIST / IDX classes seen in training; the others are held out. */
    static final int IDX_TRAIN_CLASSES = 7;
    static final String USAGE = "fashion-mnist[:DIR], mnist-idx:DIR, omniglot:PATH[,PATH...] or folder:DIR";

    /** The three class-disjoint parts, and how images were prepared (for embedding new files alike). */
    record Parts(LabeledImages train, LabeledImages val, LabeledImages test, int imageSize, boolean invert) {
    }

    static DataSpec parse(String spec) throws Args.UsageException {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
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
            case "mnist-idx", "folder", "omniglot" -> {
                if (paths.isEmpty()) {
                    throw new Args.UsageException("data spec '" + spec + "' needs a path: " + USAGE);
                }
            }
            default -> throw new Args.UsageException("unknown data spec '" + spec + "'; valid: " + USAGE);
        }
        if (paths.size() > 1 && !kind.equals("omniglot")) {
            throw new Args.UsageException("data spec '" + spec + "': only omniglot takes several paths");
        }
        return new DataSpec(kind, spec, List.copyOf(paths));
    }

    boolean isIdx() {
        return kind.equals("fashion-mnist") || kind.equals("mnist-idx");
    }

    /** Images are inverted (dark strokes on light paper become 1 on 0) for Omniglot only. */
    boolean invert() {
        return kind.equals("omniglot");
    }

    /** Loads the data at {@code imageSize}×{@code imageSize} and splits it with {@code splitSeed}. */
    Parts load(int imageSize, long splitSeed) throws IOException, Args.UsageException {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new java.io.FileNotFoundException(text + ": " + p + " does not exist");
            }
        }
        if (isIdx()) {
            if (imageSize != FashionMnist.SIDE) {
                throw new Args.UsageException(kind + " images are 28×28; --image-size " + imageSize + " is not supported");
            }
            Path dir = paths.get(0);
            String[] names = kind.equals("fashion-mnist") ? FashionMnist.classNames() : null;
            IdxImages train = new IdxImages(FashionMnist.train(dir), names);
            IdxImages test = new IdxImages(FashionMnist.test(dir), names);
            int[] seen = IntStream.range(0, IDX_TRAIN_CLASSES).toArray();
            int[] held = IntStream.range(IDX_TRAIN_CLASSES, train.classCount()).toArray();
            return new Parts(Subset.ofClasses(train, seen), Subset.ofClasses(train, held), Subset.ofClasses(test, held),
                    imageSize, false);
        }
        ImageOptions options = ImageOptions.square(imageSize).inverted(invert());
        if (kind.equals("omniglot")) {
            List<Path> zips = paths.stream().filter(Files::isRegularFile).toList();
            List<Path> dirs = paths.stream().filter(Files::isDirectory).toList();
            LabeledImages all = !zips.isEmpty() && dirs.isEmpty() ? Omniglot.fromZips(zips, options)
                    : zips.isEmpty() ? Omniglot.fromFolder(dirs, options) : null;
            if (all == null) {
                throw new Args.UsageException("omniglot: give either zips or folders, not both");
            }
            Splits.Split s = Splits.byGroup(all, Omniglot.ALPHABET, 0.6, 0.2, splitSeed);
            return new Parts(s.train(), s.val(), s.test(), imageSize, true);
        }
        LabeledImages all = ImageFolder.load(paths.get(0), options);
        if (all.classCount() < 4) {
            throw new IOException(text + ": a class-disjoint split needs at least 4 classes, found " + all.classCount());
        }
        Splits.Split s = Splits.byClass(all, 0.6, 0.2, splitSeed);
        return new Parts(s.train(), s.val(), s.test(), imageSize, false);
    }
}
