package dev.oneshot.siamese.experiments;

import dev.oneshot.siamese.data.AffineAugment;
import dev.oneshot.siamese.data.Augmentation;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Omniglot;
import dev.oneshot.siamese.data.Splits;
import dev.oneshot.siamese.eval.OmniglotRunBuilder;
import dev.oneshot.siamese.eval.OmniglotRuns;
import dev.oneshot.siamese.mining.Miners;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.nets.NetworkSpec;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.recipe.Validation;
import dev.oneshot.siamese.train.RunOptions;
import dev.oneshot.siamese.train.SiameseTrainer;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.train.TrainingRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;



/**
 * The Omniglot measurement with the {@code omniglot} recipe (what {@code oneshot train --data
 * omniglot:...} uses). Alphabet-disjoint: train on the background alphabets except
 * {@link #HELD_OUT} (runs) and {@link #VALIDATION} (the validation signal), build Lake-style 20-way
 * one-shot runs from the held-out alphabets, and score the network beside raw pixels (at the
 * network's input size and at native 105×105) on the very same runs. Figures:
 * {@code docs/experiments.md}.
 *
 * <p>Run: {@code java -cp ... dev.oneshot.siamese.experiments.OmniglotOneShot [NET] [MINUTES]
 * [key=value ...]}, NET one of {@code default} (the recipe's), {@code conv4} (channels=, dim=),
 * {@code koch} (Koch-small), {@code small} (the small CNN); keys: {@code size} (input side),
 * {@code aug}, {@code miner}, {@code margin}, {@code lr}, {@code p}, {@code k}, {@code normalize},
 * {@code channels}, {@code dim}, {@code seed}, {@code runs}, {@code runsDir} (build into this
 * folder if it has no runs yet, else read it), {@code val} (validation episodes), {@code data}.
 */
public final class OmniglotOneShot {
    private OmniglotOneShot() {
    }

    /** Alphabets of the background sets the runs are built from (never trained on). */
    public static final List<String> HELD_OUT = List.of("Balinese", "Early_Aramaic", "Greek");
    /** The alphabet that validates. */
    public static final List<String> VALIDATION = List.of("Tagalog");

    /** Model and baselines on the same runs. */
    public record Outcome(OmniglotRuns.Score model, OmniglotRuns.Score pixels, OmniglotRuns.Score nativePixels,
                          TrainingResult training) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "20-way one-shot: model %s | pixels %s | native 105px pixels %s | %s, "
                            + "%d steps, best val %.3f @%d, %.1f min", model, pixels, nativePixels,
                    training.reason(), training.steps(), training.bestValidation(), training.bestStep(),
                    training.seconds() / 60);
        }
    }

    /** The shared data folder: {@code <dir holding mvnw>/../shared/data/omniglot}. */
    public static Path omniglotDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("../shared/data/omniglot") : p.resolve("../shared/data/omniglot").normalize();
    }

    public static List<Path> zips(Path dir) {
        return List.of(dir.resolve("images_background_small1.zip"), dir.resolve("images_background_small2.zip"));
    }

    /** Builds {@code runs} runs from the held-out alphabets into {@code runsDir} unless it already holds runs. */
    public static void ensureRuns(List<Path> zips, List<String> heldOut, Path runsDir, int runs, long seed)
            throws IOException {
        if (Files.isDirectory(runsDir.resolve("run01"))) {
            return;
        }
        InMemoryImages nativeAll = Omniglot.fromZips(zips, Omniglot.DEFAULT_OPTIONS);
        LabeledImages held = Splits.byGroup(nativeAll, Omniglot.ALPHABET, heldOut, List.of(), List.of()).train();
        OmniglotRunBuilder.Result r = OmniglotRunBuilder.build(held, true, runsDir, runs, seed);
        if (!r.skipped().isEmpty()) {
            System.err.println("alphabets with < 20 characters skipped: " + r.skipped());
        }
    }

    public static Outcome run(List<Path> zips, Path runsDir, Recipe recipe, RunOptions options,
                              TrainingListener listener) throws IOException {
        ImageOptions images = recipe.input().imageOptions();
        InMemoryImages all = Omniglot.fromZips(zips, images);
        List<String> train = new ArrayList<>();
        for (String a : Splits.groups(all, Omniglot.ALPHABET).keySet()) {
            if (!HELD_OUT.contains(a) && !VALIDATION.contains(a)) {
                train.add(a);
            }
        }
        Splits.Split split = Splits.byGroup(all, Omniglot.ALPHABET, train, VALIDATION, HELD_OUT);
        System.err.printf(Locale.ROOT, "train alphabets %s: %d characters, %d images; validation %s: %d characters%n",
                train, split.train().classCount(), split.train().size(), VALIDATION, split.val().classCount());
        SiameseModel model = TrainingRun.build(recipe, options.seed());
        TrainingResult result = new SiameseTrainer(model, recipe, listener).fit(split.train(), split.val(), options);

        OmniglotRuns runs = OmniglotRuns.read(runsDir, images);
        OmniglotRuns nativeRuns = OmniglotRuns.read(runsDir, ImageOptions.nativeSize());
        return new Outcome(runs.evaluate(OmniglotRuns.embeddings(model.twin())), runs.evaluate(OmniglotRuns.pixels()),
                nativeRuns.evaluate(OmniglotRuns.pixels()), result);
    }

    public static void main(String[] args) throws IOException {
        String netName = args.length > 0 ? args[0] : "default";
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Recipe recipe = Recipes.omniglot();
        Objective.Triplet t = (Objective.Triplet) recipe.objective();
        int size = recipe.input().height();
        int channels = 32;
        int dim = 64;
        int runs = 30;
        long seed = 42;
        Path data = omniglotDir();
        Path runsDir = null;
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "size" -> size = Integer.parseInt(kv[1]);
                case "aug" -> recipe = recipe.withAugmentation(Boolean.parseBoolean(kv[1])
                        ? new AffineAugment(AffineAugment.Config.KOCH) : Augmentation.NONE);
                case "miner" -> t = t.withMiner(Miners.byName(kv[1]));
                case "margin" -> t = new Objective.Triplet(t.miner(), t.options().withMargin(Float.parseFloat(kv[1])));
                case "lr" -> recipe = recipe.withOptimizer(recipe.optimizer().withLr(Double.parseDouble(kv[1])));
                case "p" -> recipe = recipe.withBatch(Integer.parseInt(kv[1]), recipe.perClass());
                case "k" -> recipe = recipe.withBatch(recipe.classesPerBatch(), Integer.parseInt(kv[1]));
                case "normalize" -> recipe = recipe.withNormalize(Boolean.parseBoolean(kv[1]));
                case "channels" -> channels = Integer.parseInt(kv[1]);
                case "dim" -> dim = Integer.parseInt(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "runsDir" -> runsDir = Path.of(kv[1]);
                case "val" -> {
                    Validation v = recipe.validation();
                    recipe = recipe.withValidation(new Validation(v.classFraction(), v.way(), Integer.parseInt(kv[1]),
                            v.everySteps(), v.patience()));
                }
                case "data" -> data = Path.of(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        NetworkSpec net = switch (netName) {
            case "default" -> recipe.network();
            case "conv4" -> new NetworkSpec.Conv4(channels, 4, dim);
            case "koch" -> new NetworkSpec.Koch(new int[] {32, 64, 64, 128}, new int[] {5, 3, 3, 2}, dim, false);
            case "small" -> new NetworkSpec.SmallCnn(32, 64, 128, dim);
            default -> throw new IllegalArgumentException("unknown net " + netName + " (default, conv4, koch, small)");
        };
        recipe = recipe.withNetwork(net).withObjective(t).withInput(recipe.input().withSize(size, size));
        if (runsDir == null) {
            runsDir = Files.createTempDirectory("omniglot-runs");
        }
        ensureRuns(zips(data), HELD_OUT, runsDir, runs, 2015L);
        long[] last = {System.nanoTime()};
        Outcome o = run(zips(data), runsDir, recipe, RunOptions.seed(seed).withBudget(
                Duration.ofMillis(Math.round(minutes * 60_000))), new TrainingListener() {
            @Override
            public void onStep(Step s) {
                if (System.nanoTime() - last[0] > 30e9) {
                    last[0] = System.nanoTime();
                    System.err.printf(Locale.ROOT, "step %d loss %.4f active %.2f %.0fs%n", s.step(), s.loss(),
                            s.activeFraction(), s.elapsedSeconds());
                }
            }

            @Override
            public void onValidation(ValidationPass v) {
                System.err.printf(Locale.ROOT, "step %d loss %.4f val %.3f%s %.0fs%n", v.step(), v.meanLoss(),
                        v.accuracy(), v.improved() ? " *" : "", v.elapsedSeconds());
            }

            @Override
            public void onWarning(String message) {
                System.err.println("warning: " + message);
            }
        });
        System.out.printf(Locale.ROOT, "%s %s: %s%n", netName, recipe.toJson(), o);
    }
}
