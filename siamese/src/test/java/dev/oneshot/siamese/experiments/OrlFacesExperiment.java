package dev.oneshot.siamese.experiments;

import dev.oneshot.siamese.data.Augmentation;
import dev.oneshot.siamese.data.FaceAugment;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.OrlFaces;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.eval.OpenSetEvaluation;
import dev.oneshot.siamese.mining.Miners;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.nets.NetworkSpec;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.OptimizerSpec;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.recipe.Schedule;
import dev.oneshot.siamese.train.RunOptions;
import dev.oneshot.siamese.train.SiameseTrainer;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.train.TrainingRun;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;



/**
 * The face scenario on ORL with the {@code faces} recipe (what {@code oneshot train --data orl:...}
 * uses): train on people 1–30, then on people 31–40 (never seen) 10-way one-shot episodes beside
 * raw pixels, and the open-set gallery figures (DIR at FAR 1 % / 10 %). {@code main} runs variants
 * of the recipe given as {@code key=value} words, e.g. {@code miner=batch-all margin=0.3 steps=300
 * channels=64 aug=false cosine=false flip=false wd=0.2 pk=8x4 size=56x46 blocks=4 lr=1e-3 seed=7}
 * ({@code wd} trains with AdamW; with mirror averaging the figures without it are printed too).
 * Figures: {@code docs/experiments.md}; {@code OrlFacesTest} checks the recipe on every build.
 */
public final class OrlFacesExperiment {
    /** Episodes per evaluation: 10-way, 1 support + 9 queries per person. */
    public static final int EPISODES = 300;
    /** Seed of the evaluation episodes and of the open-set trials. */
    public static final long EVAL_SEED = 2024L;
    /** Open-set trials: gallery photos and enrolled/stranger halves drawn afresh each time. */
    public static final int OPEN_SET_TRIALS = 200;

    private OrlFacesExperiment() {
    }

    /** Results on people 31–40. */
    public record Outcome(OneShotEpisodes.Score model, OneShotEpisodes.Score pixels, OpenSetEvaluation.Report openSet,
                          OpenSetEvaluation.Report openSetPixels, TrainingResult training) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "10-way one-shot on people 31-40: model %.3f ± %.3f | pixels %.3f ± %.3f"
                            + " | model %s | pixels %s | %d steps, %.1f s", model.accuracy(), model.ci95(),
                    pixels.accuracy(), pixels.ci95(), openSet.summary(), openSetPixels.summary(), training.steps(),
                    training.seconds());
        }
    }

    /** {@code <dir holding mvnw>/../shared/data/orl-faces/orl_faces_png.zip}. */
    public static Path orlZip() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        Path dir = p == null ? Path.of("../shared/data/orl-faces") : p.resolve("../shared/data/orl-faces").normalize();
        return dir.resolve("orl_faces_png.zip");
    }

    /** Trains {@code recipe} on every photo of people 1–30 (its step count, no validation) and scores it on 31–40. */
    public static Outcome run(Path zip, Recipe recipe, long seed, TrainingListener listener) throws IOException {
        ImageOptions options = recipe.input().imageOptions();
        InMemoryImages train = OrlFaces.load(zip, new OrlFaces.People(1, 30), options);
        InMemoryImages unseen = OrlFaces.load(zip, new OrlFaces.People(31, 40), options);
        SiameseModel model = TrainingRun.build(recipe, seed);
        TrainingResult r = new SiameseTrainer(model, recipe, listener).fit(train, RunOptions.seed(seed));
        return score(model.twin(), unseen, r);
    }

    /** Episodes and open-set figures of {@code net} on {@code unseen}. */
    public static Outcome score(TwinNetwork net, LabeledImages unseen, TrainingResult r) {
        OneShotEpisodes eps = OneShotEpisodes.draw(unseen, 10, 1, 9, EPISODES, EVAL_SEED);
        Embedder.Features learned = Embedder.embed(net, unseen);
        Embedder.Features pixels = Embedder.pixels(unseen);
        OpenSetEvaluation open = OpenSetEvaluation.draw(unseen, unseen.classCount() / 2, 1, OPEN_SET_TRIALS, EVAL_SEED);
        return new Outcome(eps.score(learned), eps.score(pixels), open.evaluate(learned), open.evaluate(pixels), r);
    }

    public static void main(String[] args) throws IOException {
        Recipe recipe = Recipes.faces().withSteps(300);
        Objective.Triplet t = (Objective.Triplet) recipe.objective();
        NetworkSpec.Conv4 net = (NetworkSpec.Conv4) recipe.network();
        long seed = 42;
        double weightDecay = 0;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "miner" -> t = t.withMiner(Miners.byName(kv[1]));
                case "margin" -> t = new Objective.Triplet(t.miner(), t.options().withMargin(Float.parseFloat(kv[1])));
                case "steps" -> recipe = recipe.withSteps(Integer.parseInt(kv[1]));
                case "cosine" -> recipe = recipe.withSchedule(Boolean.parseBoolean(kv[1]) ? Recipes.faces().schedule()
                        : new Schedule.Constant());
                case "flip" -> {
                    InputSpec in = recipe.input();
                    recipe = recipe.withInput(new InputSpec(in.height(), in.width(), in.channels(), in.invert(),
                            Boolean.parseBoolean(kv[1])));
                }
                case "wd" -> weightDecay = Double.parseDouble(kv[1]);
                case "pk" -> recipe = recipe.withBatch(Integer.parseInt(kv[1].split("x")[0]),
                        Integer.parseInt(kv[1].split("x")[1]));
                case "aug" -> recipe = recipe.withAugmentation(Boolean.parseBoolean(kv[1])
                        ? new FaceAugment(FaceAugment.Config.FACES) : Augmentation.NONE);
                case "channels" -> net = new NetworkSpec.Conv4(Integer.parseInt(kv[1]), net.blocks(), net.dim());
                case "size" -> recipe = recipe.withInput(recipe.input().withSize(Integer.parseInt(kv[1].split("x")[0]),
                        Integer.parseInt(kv[1].split("x")[1])));
                case "blocks" -> net = new NetworkSpec.Conv4(net.channels(), Integer.parseInt(kv[1]), net.dim());
                case "lr" -> recipe = recipe.withOptimizer(recipe.optimizer().withLr(Double.parseDouble(kv[1])));
                case "seed" -> seed = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        recipe = recipe.withObjective(t).withNetwork(net);
        if (weightDecay > 0) {
            recipe = recipe.withOptimizer(new OptimizerSpec(OptimizerSpec.Kind.ADAMW, recipe.optimizer().lr(),
                    weightDecay));
        }
        ImageOptions options = recipe.input().imageOptions();
        InMemoryImages train = OrlFaces.load(orlZip(), new OrlFaces.People(1, 30), options);
        InMemoryImages unseen = OrlFaces.load(orlZip(), new OrlFaces.People(31, 40), options);
        SiameseModel model = TrainingRun.build(recipe, seed);
        TrainingResult r = new SiameseTrainer(model, recipe, TrainingListener.NONE).fit(train, RunOptions.seed(seed));
        System.out.printf(Locale.ROOT, "%s | %s%n", String.join(" ", args), score(model.twin(), unseen, r));
        if (recipe.input().mirrorAverage()) {
            TwinNetwork plain = new TwinNetwork(model.embeddingNet(), recipe.normalize(), false);
            System.out.printf(Locale.ROOT, "without mirror averaging | %s%n", score(plain, unseen, r));
        }
    }
}
