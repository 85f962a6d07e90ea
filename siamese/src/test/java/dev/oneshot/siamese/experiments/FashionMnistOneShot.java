package dev.oneshot.siamese.experiments;

import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.data.IdxImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.mining.Miners;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.RunOptions;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.train.TrainingRun;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;



/**
 * The Fashion-MNIST measurement with the {@code fashion} recipe (what {@code oneshot train} and
 * the demo use): train on classes 0–6 of the training set, then score N-way one-shot episodes on
 * the test set beside the raw-pixel nearest-neighbour baseline on the very same episodes: 3-way
 * on the never-seen classes 7–9 and 10-way on all classes. Figures: {@code docs/experiments.md}.
 *
 * <p>Run: {@code java -cp ... dev.oneshot.siamese.experiments.FashionMnistOneShot STEPS
 * [miner=batch-all] [normalize=true] [margin=0.2] [lr=1e-3] [seed=42]}.
 */
public final class FashionMnistOneShot {
    /** Fashion-MNIST classes seen in training; 7–9 are held out. */
    public static final int[] SEEN = DataSource.Idx.SEEN;
    public static final int[] UNSEEN = DataSource.Idx.UNSEEN;

    private FashionMnistOneShot() {
    }

    /** Accuracies of the model and of raw pixels on the same episodes. */
    public record Outcome(double unseenAccuracy, double unseenBaseline, double allAccuracy, double allBaseline,
                          TrainingResult training, SiameseModel model, LabeledImages unseenTest,
                          OneShotEpisodes unseen) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "unseen 3-way %.3f (pixels %.3f) | all 10-way %.3f (pixels %.3f) | %s %d steps %.0fs",
                    unseenAccuracy, unseenBaseline, allAccuracy, allBaseline, training.reason(), training.steps(),
                    training.seconds());
        }
    }

    public static Outcome run(Path dir, Recipe recipe, RunOptions run, int episodes, TrainingListener listener)
            throws IOException {
        IdxImages train = IdxImages.fashionMnistTrain(dir);
        IdxImages test = IdxImages.fashionMnistTest(dir);
        LabeledImages seen = Subset.ofClasses(train, SEEN);
        TrainingRun.Trained trained = TrainingRun.fit(recipe, seen, null, run, listener, line -> { });
        SiameseModel model = trained.model();
        TrainingResult result = trained.result();

        LabeledImages unseenTest = Subset.ofClasses(test, UNSEEN);
        OneShotEpisodes unseen = OneShotEpisodes.draw(unseenTest, 3, 1, 5, episodes, run.seed() + 1);
        OneShotEpisodes all = OneShotEpisodes.draw(test, 10, 1, 5, episodes, run.seed() + 2);
        Embedder.Features unseenModel = Embedder.embed(model, unseenTest);
        Embedder.Features allModel = Embedder.embed(model, test);
        return new Outcome(unseen.score(unseenModel).accuracy(), unseen.score(Embedder.pixels(unseenTest)).accuracy(),
                all.score(allModel).accuracy(), all.score(Embedder.pixels(test)).accuracy(), result, model, unseenTest,
                unseen);
    }

    /** The objective as a triplet loss, or an error naming the option that needs one. */
    private static Objective.Triplet triplet(Objective objective, String option) {
        if (objective instanceof Objective.Triplet t) {
            return t;
        }
        throw new IllegalArgumentException(option + " needs a triplet objective; the recipe's is " + objective.kind()
                + " (give miner=… first: it switches to triplets, α = 0.2)");
    }

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : Recipes.fashion().steps();
        Recipe recipe = Recipes.fashion();
        Objective objective = recipe.objective();
        long seed = 42;
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "miner" -> objective = (objective instanceof Objective.Triplet t ? t
                        : (Objective.Triplet) Recipes.generic().objective()).withMiner(Miners.byName(kv[1]));
                case "normalize" -> recipe = recipe.withNormalize(Boolean.parseBoolean(kv[1]));
                case "margin" -> {
                    Objective.Triplet t = triplet(objective, args[i]);
                    objective = new Objective.Triplet(t.miner(), t.options().withMargin(Float.parseFloat(kv[1])));
                }
                case "softmax-scale" -> objective = new Objective.NormalizedSoftmax(Float.parseFloat(kv[1]));
                case "lr" -> recipe = recipe.withOptimizer(recipe.optimizer().withLr(Double.parseDouble(kv[1])));
                case "seed" -> seed = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        recipe = recipe.withObjective(objective);
        long[] last = {System.nanoTime()};
        Outcome o = run(Path.of("/usr/share/datasets/fashion-mnist"), recipe, RunOptions.seed(seed).withSteps(steps),
                500, new TrainingListener() {
            @Override
            public void onStep(Step s) {
                if (System.nanoTime() - last[0] > 15e9) {
                    last[0] = System.nanoTime();
                    System.err.printf(Locale.ROOT, "step %d loss %.4f active %.2f %s %.0fs%n", s.step(), s.loss(),
                            s.activeFraction(), s.stats(), s.elapsedSeconds());
                }
            }

            @Override
            public void onWarning(String message) {
                System.err.println("warning: " + message);
            }
        });
        System.out.printf(Locale.ROOT, "%s: %s%n", recipe.toJson(), o);
    }
}
