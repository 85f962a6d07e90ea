package dev.oneshot.siamese.recipe;

import dev.oneshot.siamese.data.AffineAugment;
import dev.oneshot.siamese.data.Augmentation;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.data.FaceAugment;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.loss.EmbeddingDistance;
import dev.oneshot.siamese.loss.Reduction;
import dev.oneshot.siamese.loss.TripletOptions;
import dev.oneshot.siamese.mining.BatchAllMiner;
import dev.oneshot.siamese.mining.BatchHardMiner;
import dev.oneshot.siamese.nets.NetworkSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The built-in recipes, one per kind of data; {@code oneshot recipes} lists them and
 * {@code oneshot train} picks one by the kind of data unless told otherwise. The measurements
 * behind each choice are in {@code docs/experiments.md}.
 */
public final class Recipes {
    private Recipes() {
    }

    /** Batch-all triplets with margin α = 0.2 on unit embeddings, averaged over the active ones. */
    public static Objective.Triplet batchAll() {
        return new Objective.Triplet(new BatchAllMiner(),
                TripletOptions.DEFAULT.withMargin(0.2f).withReduction(Reduction.MEAN_ACTIVE));
    }

    /**
     * Fashion-MNIST and other 28×28 IDX data: the demo's small CNN, a normalised softmax (scale 32)
     * over the training classes on P×K = 7×16, mirror and ±2 px shifts, Adam 1e-3 annealed by a
     * cosine over 2500 steps, no validation; an ensemble of two such networks (seeds s and
     * s + 1000), their unit embeddings side by side.
     */
    public static Recipe fashion() {
        return new Recipe("fashion", "28×28 IDX data (Fashion-MNIST, MNIST): small CNN, normalised softmax (scale 32), "
                + "mirror and shifts, cosine learning rate, 2500 steps; two networks side by side",
                new NetworkSpec.SmallCnn(32, 64, 128, 64), InputSpec.square(28), true,
                new FaceAugment(new FaceAugment.Config(0.5, 0, 0, 2, 0, 0)), new Objective.NormalizedSoftmax(32f), 7, 16,
                OptimizerSpec.adam(1e-3),
                new Schedule.Cosine(0.01), 2500, Validation.NONE, 1, 2);
    }

    /**
     * Handwritten characters (Omniglot and the like): Conv-4 with four blocks of 64 channels at
     * 28×28, inverted, unnormalised 64-d embeddings; every character also turned by 90°, 180° and
     * 270°, and mirrored in each of the four turns, as characters of their own (eight per
     * character); Koch et al.'s affine augmentation; batch-hard triplets with
     * the soft margin on L2 distances, P×K = 32×4; Adam 1e-3 annealed by a cosine to 1 % over 4000
     * steps; no validation (the schedule runs its course). Every image's levels are stretched so
     * that its paper reads as paper and its darkest ink as full ink ({@link InputSpec#levelsStretched()}:
     * a scan's grey paper, a faint pencil, uneven light), it is cropped to its ink before it is resized
     * ({@link InputSpec#inkFitted()}: the same size and place in the frame whatever the hand or
     * scan), and embeddings are summed over the image and its eight one-pixel moves
     * ({@link InputSpec#shiftAveraged()}).
     */
    public static Recipe omniglot() {
        return new Recipe("omniglot", "handwritten characters (Omniglot): Conv-4 (64 channels) at 28×28, characters "
                + "also turned by 90°, 180°, 270° and mirrored as new classes, affine augmentation, batch-hard "
                + "soft-margin triplets, cosine learning rate, 4000 steps; levels stretched (paper as paper, ink as "
                + "ink), characters fitted to the frame, embeddings summed over one-pixel shifts",
                new NetworkSpec.Conv4(64, 4, 64),
                InputSpec.square(28).inverted().shiftAveraged().inkFitted().levelsStretched(), false,
                new AffineAugment(AffineAugment.Config.KOCH), batchHardSoftMargin(), 32, 4, OptimizerSpec.adam(1e-3),
                new Schedule.Cosine(0.01), 4000, Validation.NONE, 8);
    }

    /** Batch-hard triplets with the soft margin ln(1 + e^(d(A,P) − d(A,N))) on L2 distances, averaged. */
    static Objective.Triplet batchHardSoftMargin() {
        return new Objective.Triplet(new BatchHardMiner(), TripletOptions.DEFAULT.withDistance(EmbeddingDistance.L2)
                .withMarginKind(TripletOptions.Margin.SOFT).withReduction(Reduction.MEAN));
    }

    /**
     * Small grey frontal faces (ORL): Conv-4 with three blocks of 64 channels at 28×23, face
     * augmentation, mirror averaging, batch-all triplets on P×K = 15×4, Adam 6e-3 annealed by a
     * cosine to 1 % over 1000 steps; every person trains; an ensemble of two such networks (seeds s
     * and s + 1000), their unit embeddings side by side.
     */
    public static Recipe faces() {
        return new Recipe("faces", "small grey frontal faces (ORL): Conv-4 (64 channels) at 28×23, face augmentation, "
                + "mirror averaging, batch-all triplets, cosine learning rate, 1000 steps; two networks side by side",
                new NetworkSpec.Conv4(64, 3, 64), InputSpec.of(28, 23).mirrorAveraged(), true,
                new FaceAugment(FaceAugment.Config.FACES), batchAll(), 15, 4, OptimizerSpec.adam(6e-3),
                new Schedule.Cosine(0.01), 1000, Validation.NONE, 1, 2);
    }

    /**
     * Any folder of classes: Conv-4 with three blocks of 32 channels at 28×28, no augmentation,
     * batch-all triplets on P×K = 8×4, Adam 1e-3 with a cosine, 1000 steps; a fifth of the
     * classes validates every 100 steps and the best weights are kept.
     */
    public static Recipe generic() {
        return new Recipe("generic", "any folder of classes: Conv-4 at 28×28, batch-all triplets, cosine learning "
                + "rate, validation on a fifth of the classes",
                new NetworkSpec.Conv4(32, 3, 64), InputSpec.square(28), true, Augmentation.NONE, batchAll(), 8, 4,
                OptimizerSpec.adam(1e-3), new Schedule.Cosine(0.01), 1000, new Validation(0.2, 5, 100, 100, 5));
    }

    /** Every built-in recipe, in the order {@code oneshot recipes} lists them. */
    public static List<Recipe> all() {
        return List.of(fashion(), omniglot(), faces(), generic());
    }

    /** The built-in recipe for a kind of data. */
    public static Recipe forData(DataSource.Kind kind) {
        return switch (kind) {
            case IDX -> fashion();
            case OMNIGLOT -> omniglot();
            case ORL -> faces();
            case FOLDER -> generic();
        };
    }

    /** A built-in recipe by name. */
    public static Recipe byName(String name) {
        for (Recipe r : all()) {
            if (r.name().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown recipe '" + name + "'; built-in: "
                + String.join(", ", all().stream().map(Recipe::name).toList()) + " (or a recipe FILE.json)");
    }

    /** A built-in recipe's name, or the path of a recipe file (one that exists, or whose name ends in .json). */
    public static Recipe resolve(String nameOrFile) throws IOException {
        Path p = Path.of(nameOrFile);
        if (Files.isRegularFile(p) || nameOrFile.toLowerCase(Locale.ROOT).endsWith(".json")) {
            return Recipe.load(p);
        }
        return byName(nameOrFile);
    }
}
