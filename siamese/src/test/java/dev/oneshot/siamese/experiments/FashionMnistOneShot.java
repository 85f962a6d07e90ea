package dev.oneshot.siamese.experiments;

import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.siamese.data.IdxImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import dev.oneshot.siamese.train.SiameseTrainer;
import dev.oneshot.siamese.train.TrainerConfig;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The siamese issue's Fashion-MNIST measurement: train the small CNN with triplet loss on
 * classes 0–6 of the training set, then score N-way one-shot episodes on the test set beside
 * the raw-pixel nearest-neighbour baseline on the very same episodes: 3-way on the never-seen
 * classes 7–9 and 10-way on all classes.
 *
 * <p>Run: {@code java -cp ... dev.oneshot.siamese.experiments.FashionMnistOneShot MINER MINUTES
 * [normalize=true] [margin=0.2] [lr=1e-3] [seed=42]}.
 */
public final class FashionMnistOneShot {
    /** Fashion-MNIST classes seen in training; 7–9 are held out. */
    public static final int[] SEEN = {0, 1, 2, 3, 4, 5, 6};
    public static final int[] UNSEEN = {7, 8, 9};

    private FashionMnistOneShot() {
    }

    /** Accuracies of the model and of raw pixels on the same episodes. */
    public record Outcome(double unseenAccuracy, double unseenBaseline, double allAccuracy, double allBaseline,
                          TrainingResult training, TwinNetwork net, LabeledImages unseenTest, OneShotEpisodes unseen) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "unseen 3-way %.3f (pixels %.3f) | all 10-way %.3f (pixels %.3f) | %s %d steps %.0fs",
                    unseenAccuracy, unseenBaseline, allAccuracy, allBaseline, training.reason(), training.steps(),
                    training.seconds());
        }
    }

    public static Outcome run(Path dir, TrainerConfig cfg, boolean normalize, double lr, int episodes,
                              TrainingListener listener) throws IOException {
        IdxImages train = IdxImages.fashionMnistTrain(dir);
        IdxImages test = IdxImages.fashionMnistTest(dir);
        LabeledImages seen = Subset.ofClasses(train, SEEN);
        TwinNetwork net = new TwinNetwork(EmbeddingNets.smallCnn(SmallCnnConfig.demo().withSeed(cfg.seed())), normalize);
        Adam adam = new Adam(net.namedParameters(), Hyper.adam().withLr(lr));
        TrainingResult result = new SiameseTrainer(net, adam, null, null, listener).fit(seen, null, cfg);

        LabeledImages unseenTest = Subset.ofClasses(test, UNSEEN);
        OneShotEpisodes unseen = OneShotEpisodes.draw(unseenTest, 3, 1, 5, episodes, cfg.seed() + 1);
        OneShotEpisodes all = OneShotEpisodes.draw(test, 10, 1, 5, episodes, cfg.seed() + 2);
        Embedder.Features unseenModel = Embedder.embed(net, unseenTest);
        Embedder.Features allModel = Embedder.embed(net, test);
        return new Outcome(unseen.score(unseenModel).accuracy(), unseen.score(Embedder.pixels(unseenTest)).accuracy(),
                all.score(allModel).accuracy(), all.score(Embedder.pixels(test)).accuracy(), result, net, unseenTest,
                unseen);
    }

    public static void main(String[] args) throws IOException {
        String miner = args.length > 0 ? args[0] : "batch-all";
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        boolean normalize = true;
        float margin = 0.2f;
        double lr = 1e-3;
        long seed = 42;
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "normalize" -> normalize = Boolean.parseBoolean(kv[1]);
                case "margin" -> margin = Float.parseFloat(kv[1]);
                case "lr" -> lr = Double.parseDouble(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        TrainerConfig cfg = TrainerConfig.DEFAULT.withMiner(miner).withBatch(7, 16).withEpochs(1000, 50)
                .withMaxMinutes(minutes).withValidation(5, 0, 1000).withSeed(seed)
                .withTriplet(TrainerConfig.DEFAULT.triplet().withMargin(margin));
        long[] last = {System.nanoTime()};
        Outcome o = run(Path.of("/usr/share/datasets/fashion-mnist"), cfg, normalize, lr, 500, new TrainingListener() {
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
        System.out.printf(Locale.ROOT, "%s normalize=%s margin=%.2f lr=%.0e: %s%n", miner, normalize, margin, lr, o);
    }
}
