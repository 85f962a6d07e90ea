package dev.oneshot.siamese.experiments;

import dev.oneshot.nn.Module;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Omniglot;
import dev.oneshot.siamese.data.Splits;
import dev.oneshot.siamese.eval.OmniglotRunBuilder;
import dev.oneshot.siamese.eval.OmniglotRuns;
import dev.oneshot.siamese.nets.Conv4Config;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.KochConfig;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import dev.oneshot.siamese.train.OmniglotDefaults;
import dev.oneshot.siamese.train.SiameseTrainer;
import dev.oneshot.siamese.train.TrainerConfig;
import dev.oneshot.siamese.train.TrainingListener;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The siamese issue's Omniglot measurement. Alphabet-disjoint: train on the background
 * alphabets except {@link OmniglotDefaults#HELD_OUT} (runs) and {@link OmniglotDefaults#VALIDATION}
 * (early-stopping signal), build Lake-style 20-way one-shot runs from the held-out alphabets,
 * and score the network beside raw pixels (at the network's input size and at native 105×105)
 * on the very same runs.
 *
 * <p>Run: {@code java -cp ... dev.oneshot.siamese.experiments.OmniglotOneShot [NET] [MINUTES]
 * [key=value ...]}, NET one of {@code default} (= {@link OmniglotDefaults}), {@code conv4}
 * (channels=, dim=), {@code koch} (Koch-small), {@code small} (the small CNN); keys:
 * {@code size} (input side), {@code aug}, {@code miner}, {@code margin}, {@code lr}, {@code p},
 * {@code k}, {@code normalize}, {@code channels}, {@code dim}, {@code seed}, {@code runs},
 * {@code runsDir} (build into this folder if it has no runs yet, else read it), {@code data}.
 *
 * <p>Measured 2026-11-28 on 2 shared vCPUs (timings noisy): train on Japanese_(katakana), Korean,
 * Latin, Sanskrit (155 characters), validate on Tagalog, 30 runs (seed 2015) from Balinese,
 * Early_Aramaic, Greek; triplet batch-all, margin 0.2, L2-normalised, Adam 1e-3, P×K 16×4.
 * Raw pixels: 18.5% at 35×35, 19.3% at 28×28, 17.3% at native 105×105.
 * <pre>
 *   2 min  Conv-4/32 28px aug       58.0% ±7.1   348 steps
 *   2 min  Conv-4/32 28px no aug    54.3% ±7.1   241 steps
 *   2 min  Conv-4/64 28px aug       60.0% ±6.0   170 steps
 *   2 min  Koch-small 35px aug      61.3% ±5.8   773 steps
 *   2 min  small CNN 28px aug       59.2% ±7.0   698 steps
 *   2 min  Conv-4/32 lr 3e-3        55.8% ±6.3   179 steps
 *   2 min  Conv-4/32 semi-hard      54.7% ±6.3   164 steps
 *   2 min  Koch-small lr 3e-3       45.7% ±5.6   598 steps
 *   2 min  Koch-small 128-d P=32    59.2% ±6.6   341 steps
 *  10 min  Koch-small 35px aug      62.7% ±7.1  3308 steps   (OmniglotDefaults)
 * </pre>
 */
public final class OmniglotOneShot {
    private OmniglotOneShot() {
    }

    /** Model and baselines on the same runs. */
    public record Outcome(OmniglotRuns.Score model, OmniglotRuns.Score pixels, OmniglotRuns.Score nativePixels,
                          TrainingResult training) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "20-way one-shot: model %s | pixels %s | native 105px pixels %s | %s, "
                            + "%d steps, %d epochs, best val %.3f @%d, %.1f min", model, pixels, nativePixels,
                    training.reason(), training.steps(), training.epochs(), training.bestValidation(),
                    training.bestEpoch(), training.seconds() / 60);
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

    public static Outcome run(List<Path> zips, Path runsDir, Module embeddingNet, boolean normalize, ImageOptions options,
                              double lr, TrainerConfig cfg, TrainingListener listener) throws IOException {
        InMemoryImages all = Omniglot.fromZips(zips, options);
        List<String> train = new ArrayList<>();
        for (String a : Splits.groups(all, Omniglot.ALPHABET).keySet()) {
            if (!OmniglotDefaults.HELD_OUT.contains(a) && !OmniglotDefaults.VALIDATION.contains(a)) {
                train.add(a);
            }
        }
        Splits.Split split = Splits.byGroup(all, Omniglot.ALPHABET, train, OmniglotDefaults.VALIDATION,
                OmniglotDefaults.HELD_OUT);
        System.err.printf(Locale.ROOT, "train alphabets %s: %d characters, %d images; validation %s: %d characters%n",
                train, split.train().classCount(), split.train().size(), OmniglotDefaults.VALIDATION,
                split.val().classCount());
        TwinNetwork net = new TwinNetwork(embeddingNet, normalize);
        Adam adam = new Adam(net.namedParameters(), OmniglotDefaults.optimizer().withLr(lr));
        TrainingResult result = new SiameseTrainer(net, adam, null, null, listener).fit(split.train(),
                cfg.valEpisodes() > 0 ? split.val() : null, cfg);

        OmniglotRuns runs = OmniglotRuns.read(runsDir, options);
        OmniglotRuns nativeRuns = OmniglotRuns.read(runsDir, ImageOptions.nativeSize());
        return new Outcome(runs.evaluate(OmniglotRuns.embeddings(net)), runs.evaluate(OmniglotRuns.pixels()),
                nativeRuns.evaluate(OmniglotRuns.pixels()), result);
    }

    public static void main(String[] args) throws IOException {
        String netName = args.length > 0 ? args[0] : "default";
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : OmniglotDefaults.MINUTES;
        TrainerConfig cfg = OmniglotDefaults.config().withMaxMinutes(minutes);
        int size = OmniglotDefaults.INPUT_SIZE;
        boolean normalize = OmniglotDefaults.NORMALIZE;
        double lr = OmniglotDefaults.LEARNING_RATE;
        int channels = 32;
        int dim = 64;
        int runs = 30;
        Path data = omniglotDir();
        Path runsDir = null;
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "size" -> size = Integer.parseInt(kv[1]);
                case "aug" -> cfg = cfg.withAugment(Boolean.parseBoolean(kv[1]));
                case "miner" -> cfg = cfg.withMiner(kv[1]);
                case "margin" -> cfg = cfg.withTriplet(cfg.triplet().withMargin(Float.parseFloat(kv[1])));
                case "lr" -> lr = Double.parseDouble(kv[1]);
                case "p" -> cfg = cfg.withBatch(Integer.parseInt(kv[1]), cfg.perClass());
                case "k" -> cfg = cfg.withBatch(cfg.classesPerBatch(), Integer.parseInt(kv[1]));
                case "normalize" -> normalize = Boolean.parseBoolean(kv[1]);
                case "channels" -> channels = Integer.parseInt(kv[1]);
                case "dim" -> dim = Integer.parseInt(kv[1]);
                case "seed" -> cfg = cfg.withSeed(Long.parseLong(kv[1]));
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "runsDir" -> runsDir = Path.of(kv[1]);
                case "val" -> cfg = cfg.withValidation(cfg.valWay(), Integer.parseInt(kv[1]), cfg.patience());
                case "data" -> data = Path.of(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Module net = switch (netName) {
            case "default" -> {
                size = OmniglotDefaults.INPUT_SIZE;
                yield OmniglotDefaults.network(cfg.seed());
            }
            case "conv4" -> EmbeddingNets.conv4(new Conv4Config(size, 1, channels, 4, dim, cfg.seed()));
            case "koch" -> EmbeddingNets.koch(new KochConfig(size, 1, new int[] {32, 64, 64, 128},
                    new int[] {5, 3, 3, 2}, dim, false, cfg.seed()));
            case "small" -> EmbeddingNets.smallCnn(new SmallCnnConfig(size, 1, 32, 64, 128, dim, cfg.seed()));
            default -> throw new IllegalArgumentException("unknown net " + netName + " (default, conv4, koch, small)");
        };
        if (runsDir == null) {
            runsDir = Files.createTempDirectory("omniglot-runs");
        }
        ensureRuns(zips(data), OmniglotDefaults.HELD_OUT, runsDir, runs, 2015L);
        ImageOptions options = ImageOptions.square(size).inverted(true);
        long[] last = {System.nanoTime()};
        Outcome o = run(zips(data), runsDir, net, normalize, options, lr, cfg, new TrainingListener() {
            @Override
            public void onStep(Step s) {
                if (System.nanoTime() - last[0] > 30e9) {
                    last[0] = System.nanoTime();
                    System.err.printf(Locale.ROOT, "step %d loss %.4f active %.2f %.0fs%n", s.step(), s.loss(),
                            s.activeFraction(), s.elapsedSeconds());
                }
            }

            @Override
            public void onEpoch(Epoch e) {
                System.err.printf(Locale.ROOT, "epoch %d loss %.4f val %.3f%s %.0fs%n", e.epoch(), e.meanLoss(),
                        e.validationAccuracy(), e.improved() ? " *" : "", e.elapsedSeconds());
            }

            @Override
            public void onWarning(String message) {
                System.err.println("warning: " + message);
            }
        });
        System.out.printf(Locale.ROOT, "%s size=%d normalize=%s lr=%.0e miner=%s margin=%.2f P×K=%d×%d aug=%s: %s%n",
                netName, size, normalize, lr, cfg.miner(), cfg.triplet().margin(), cfg.classesPerBatch(),
                cfg.perClass(), cfg.augment() != null, o);
    }
}
