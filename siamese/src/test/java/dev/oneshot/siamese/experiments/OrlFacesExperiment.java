package dev.oneshot.siamese.experiments;

import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.AdamW;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.schedule.CosineAnnealing;
import dev.oneshot.nn.optim.schedule.LearningRateSchedule;
import dev.oneshot.siamese.data.FaceAugment;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.Resize;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.OrlFaces;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.eval.OpenSetEvaluation;
import dev.oneshot.siamese.nets.Conv4Config;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.train.FaceDefaults;
import dev.oneshot.siamese.train.SiameseTrainer;
import dev.oneshot.siamese.train.TrainerConfig;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The face scenario on ORL: train on people 1–30, then on people 31–40 (never seen) 10-way
 * one-shot episodes beside raw pixels, and the open-set gallery figures (DIR at FAR 1 % / 10 %).
 * {@code main} runs variants given as {@code key=value} words, e.g.
 * {@code miner=batch-all margin=0.3 steps=300 channels=64 aug=false cosine=false flip=false wd=0.2}
 * (training runs {@code steps} / {@link FaceDefaults#STEPS_PER_EPOCH} epochs, the cosine
 * learning rate per epoch; {@code wd} trains with AdamW; with mirror averaging the figures
 * without it are printed too); {@code OrlFacesTest} checks the chosen configuration
 * ({@link FaceDefaults}) on every build.
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

    /**
     * Trains {@code net} on people 1–30 with {@code cfg} (no validation: a fixed step count), Adam
     * with {@link FaceDefaults#schedule}, and scores it.
     */
    public static Outcome run(Path zip, TwinNetwork net, TrainerConfig cfg, TrainingListener listener)
            throws IOException {
        Adam adam = new Adam(net.namedParameters(), FaceDefaults.optimizer());
        return run(zip, FaceDefaults.imageOptions(), net, cfg, adam, FaceDefaults.schedule(cfg.epochs()), listener);
    }

    /** The same at other input options, with another optimiser and schedule (null: a constant rate). */
    public static Outcome run(Path zip, ImageOptions options, TwinNetwork net, TrainerConfig cfg, Adam optimizer,
                              LearningRateSchedule schedule, TrainingListener listener) throws IOException {
        InMemoryImages train = OrlFaces.load(zip, new OrlFaces.People(1, 30), options);
        InMemoryImages unseen = OrlFaces.load(zip, new OrlFaces.People(31, 40), options);
        TrainingResult r = new SiameseTrainer(net, optimizer, null, schedule, listener).fit(train, null, cfg);
        return score(net, unseen, r);
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
        TrainerConfig cfg = FaceDefaults.config().withValidation(5, 0, 1);
        int steps = 300;
        boolean cosine = true;
        boolean flip = FaceDefaults.MIRROR_AVERAGE;
        double weightDecay = 0;
        int channels = FaceDefaults.CHANNELS;
        int height = FaceDefaults.HEIGHT;
        int width = FaceDefaults.WIDTH;
        int blocks = FaceDefaults.BLOCKS;
        double lr = FaceDefaults.LEARNING_RATE;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "miner" -> cfg = cfg.withMiner(kv[1]);
                case "margin" -> cfg = cfg.withTriplet(cfg.triplet().withMargin(Float.parseFloat(kv[1])));
                case "steps" -> steps = Integer.parseInt(kv[1]);
                case "cosine" -> cosine = Boolean.parseBoolean(kv[1]);
                case "flip" -> flip = Boolean.parseBoolean(kv[1]);
                case "wd" -> weightDecay = Double.parseDouble(kv[1]);
                case "pk" -> cfg = cfg.withBatch(Integer.parseInt(kv[1].split("x")[0]), Integer.parseInt(kv[1].split("x")[1]));
                case "aug" -> cfg = cfg.withAugmentation(Boolean.parseBoolean(kv[1])
                        ? new FaceAugment(FaceAugment.Config.FACES) : null);
                case "channels" -> channels = Integer.parseInt(kv[1]);
                case "size" -> {
                    height = Integer.parseInt(kv[1].split("x")[0]);
                    width = Integer.parseInt(kv[1].split("x")[1]);
                }
                case "blocks" -> blocks = Integer.parseInt(kv[1]);
                case "lr" -> lr = Double.parseDouble(kv[1]);
                case "seed" -> cfg = cfg.withSeed(Long.parseLong(kv[1]));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        Conv4Config c = new Conv4Config(height, width, 1, channels, blocks, FaceDefaults.EMBEDDING_DIM, cfg.seed());
        cfg = cfg.withEpochs(Math.max(1, steps / FaceDefaults.STEPS_PER_EPOCH), Math.min(steps, FaceDefaults.STEPS_PER_EPOCH));
        TwinNetwork net = new TwinNetwork(EmbeddingNets.conv4(c), FaceDefaults.NORMALIZE, flip);
        ImageOptions options = new ImageOptions(height, width, Resize.Method.AREA, false);
        Hyper hyper = FaceDefaults.optimizer().withLr(lr);
        Adam adam = weightDecay > 0 ? new AdamW(net.namedParameters(), hyper.withWeightDecay(weightDecay))
                : new Adam(net.namedParameters(), hyper);
        LearningRateSchedule schedule = cosine
                ? new CosineAnnealing(cfg.epochs(), lr * FaceDefaults.FINAL_LR_FRACTION) : null;
        Outcome o = run(orlZip(), options, net, cfg, adam, schedule, TrainingListener.NONE);
        System.out.printf(Locale.ROOT, "%s | %s%n", String.join(" ", args), o);
        if (flip) {
            TwinNetwork plain = new TwinNetwork(net.embeddingNet(), net.normalizes(), false);
            Outcome p = score(plain, OrlFaces.load(orlZip(), new OrlFaces.People(31, 40), options), o.training());
            System.out.printf(Locale.ROOT, "without mirror averaging | %s%n", p);
        }
    }
}
