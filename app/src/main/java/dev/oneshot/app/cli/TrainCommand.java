package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.persist.ModelFile;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.mining.Miners;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.nets.Conv4Config;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.train.FaceDefaults;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import dev.oneshot.siamese.train.LossKind;
import dev.oneshot.siamese.train.SiameseTrainer;
import dev.oneshot.siamese.train.TrainerCheckpoints;
import dev.oneshot.siamese.train.TrainerConfig;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code oneshot train}: trains the small CNN as a twin network and writes DIR/model.safetensors. */
final class TrainCommand implements Command {
    static final double LEARNING_RATE = 1e-3;
    /** Where --checkpoint-every and --resume keep the trainer's state, inside --out. */
    static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    static final int DEFAULT_CHECKPOINT_EVERY = 50;

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a twin network (triplet, contrastive or binary loss) and save DIR/model.safetensors";
    }

    @Override
    public String usage() {
        return """
                usage: oneshot train --data SPEC --out DIR [--loss triplet|contrastive|binary] [--miner random|hard|semi-hard|batch-hard|batch-all] [--epochs N] [--max-minutes M] [--seed S] [--image-size PX|HxW] [--steps-per-epoch N] [--val-episodes N] [--checkpoint-every N] [--resume] [--json]
                  --data SPEC        fashion-mnist[:DIR] (default /usr/share/datasets/fashion-mnist; classes 0–6 train,
                                     7–9 held out), mnist-idx:DIR, omniglot:PATH[,PATH...] (zips or folders), folder:DIR,
                                     orl:PATH[:people=A-B] (ORL faces, zip or folder of sX/Y.png|pgm; the last fifth
                                     of the people validates, e.g. 25–30 of people=1-30)
                  --out DIR          where model.safetensors is written (created if missing)
                  --loss             triplet (default), contrastive or binary (Koch et al.)
                  --miner            triplet miner (default batch-all); ignored for pair losses
                  --epochs N         maximum epochs (default 20); early stopping on held-out validation classes
                  --max-minutes M    wall-clock budget; training stops cleanly and keeps the best weights
                  --seed S           every random choice: init, split, batches (default 42)
                  --image-size S     PX (square) or HxW (default 28; orl 28x23; IDX data is 28 only)
                  --steps-per-epoch  batches per epoch (default: one pass over the training images)
                  --val-episodes N   5-way one-shot validation episodes per epoch (default 100; 0 = none)
                  --checkpoint-every N  write DIR/checkpoint.safetensors (weights, optimiser, random state, place in
                                     the epoch) atomically every N steps and after each epoch
                  --resume           continue from DIR/checkpoint.safetensors if it exists (same options: the run
                                     ends with bitwise the weights of an uninterrupted one); checkpoints every
                                     --checkpoint-every steps (default 50)
                  Network: small CNN (conv32-conv64-fc128-64) with L2-normalised embeddings (not for binary);
                  faces (orl): 3 Conv-4 blocks of 32 channels, face augmentation (mirror, ±10°, ±5 %, ±3 px,
                  contrast ±20 %, brightness ±0.1), embeddings of a photo and its mirror image averaged
                  (stored in the model file) — see FaceDefaults.
                  Batches: P×K = 7×16 on IDX data, 15×4 on faces, 8×8 otherwise. Adam, lr 1e-3 (faces: 6e-3
                  annealed by a cosine over the epochs to 1 % of it).
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(argv, Set.of("data", "out", "loss", "miner", "epochs", "max-minutes", "seed", "image-size",
                "steps-per-epoch", "val-episodes", "checkpoint-every"), Set.of("json", "resume"));
        if (!a.positionals().isEmpty()) {
            throw new Args.UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        DataSpec data = DataSpec.parse(a.required("data"));
        Path outDir = Path.of(a.required("out"));
        LossKind loss;
        try {
            loss = LossKind.byName(a.string("loss", "triplet"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        String miner = a.string("miner", data.isOrl() ? FaceDefaults.MINER : TrainerConfig.DEFAULT.miner());
        if (!Miners.NAMES.contains(miner)) {
            throw new Args.UsageException("unknown miner '" + miner + "'; valid: " + String.join(", ", Miners.NAMES));
        }
        int epochs = a.integer("epochs", TrainerConfig.DEFAULT.epochs(), 1, 1_000_000);
        double minutes = a.number("max-minutes", 0, 0);
        long seed = a.longValue("seed", TrainerConfig.DEFAULT.seed());
        InputSize size;
        try {
            size = a.has("image-size") ? InputSize.parse(a.string("image-size", ""), "--image-size") : data.defaultSize();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        int steps = a.integer("steps-per-epoch", 0, 0, 100_000_000);
        int valEpisodes = a.integer("val-episodes", TrainerConfig.DEFAULT.valEpisodes(), 0, 1_000_000);
        boolean resume = a.flag("resume");
        int checkpointEvery = a.integer("checkpoint-every", resume ? DEFAULT_CHECKPOINT_EVERY : 0, 0, 100_000_000);
        TrainerCheckpoints checkpoints = null;
        if (checkpointEvery > 0 || resume) {
            if (checkpointEvery == 0) {
                throw new Args.UsageException("--resume needs --checkpoint-every N with N >= 1, got 0");
            }
            checkpoints = TrainerCheckpoints.every(outDir.resolve(CHECKPOINT_FILE), checkpointEvery);
            if (resume) {
                checkpoints = checkpoints.resuming();
            }
        }

        err.println("loading " + data.text() + " ...");
        DataSpec.Parts parts = data.load(size, seed);
        int trainClasses = parts.train().classCount();
        if (trainClasses < 2) {
            throw new IllegalStateException(data.text() + ": the training part has " + trainClasses + " class(es); need 2");
        }
        int valWay = Math.min(TrainerConfig.DEFAULT.valWay(), parts.val().classCount());
        if (valEpisodes > 0 && valWay < 2) {
            err.println("warning: fewer than 2 validation classes: no validation, no early stopping");
            valEpisodes = 0;
        }
        int p = data.isIdx() ? 7 : Math.min(data.isOrl() ? FaceDefaults.P : 8, trainClasses);
        int k = data.isIdx() ? 16 : data.isOrl() ? FaceDefaults.K : 8;
        TrainerConfig base = data.isOrl() ? FaceDefaults.config() : TrainerConfig.DEFAULT;
        TrainerConfig cfg = base.withLoss(loss).withMiner(miner).withSeed(seed).withBatch(p, k)
                .withEpochs(epochs, steps).withMaxMinutes(minutes)
                .withValidation(Math.max(2, valWay), valEpisodes, TrainerConfig.DEFAULT.patience());
        Sequential f;
        int dim;
        String netName;
        if (data.isOrl()) {
            Conv4Config c = FaceDefaults.networkConfig(size.height(), size.width(), seed);
            f = EmbeddingNets.conv4(c);
            dim = c.embeddingDim();
            netName = "conv4-" + c.channels();
        } else {
            if (!size.isSquare()) {
                throw new Args.UsageException("--image-size " + size + ": the small CNN takes square inputs; "
                        + "only orl data trains on HxW");
            }
            SmallCnnConfig c = SmallCnnConfig.demo();
            c = new SmallCnnConfig(size.height(), 1, c.channels1(), c.channels2(), c.hidden(), c.embeddingDim(), seed);
            f = EmbeddingNets.smallCnn(c);
            dim = c.embeddingDim();
            netName = "small-cnn";
        }
        boolean normalize = loss != LossKind.BINARY;
        TwinNetwork net = new TwinNetwork(f, normalize, data.isOrl() && FaceDefaults.MIRROR_AVERAGE);
        Map<String, Tensor> params = new LinkedHashMap<>(net.namedParameters());
        BinaryVerificationHead head = null;
        if (loss == LossKind.BINARY) {
            head = new BinaryVerificationHead(dim, new SeededRandom(seed + 1));
            head.namedParameters().forEach((name, t) -> params.put("head." + name, t));
        }
        err.printf(Locale.ROOT, "training on %d images of %d classes (validation: %d classes%s); "
                        + "%s loss%s, P×K = %d×%d%n", parts.train().size(), trainClasses, parts.val().classCount(),
                data.isOrl() ? classRange(parts.val()) : ", test: " + parts.test().classCount() + " classes held out", loss.name().toLowerCase(Locale.ROOT),
                loss == LossKind.TRIPLET ? ", " + miner + " mining" : "", p, k);
        double lr = data.isOrl() ? FaceDefaults.LEARNING_RATE : LEARNING_RATE;
        Progress progress = new Progress(err, System.console() != null, epochs, minutes);
        if (checkpoints != null) {
            Files.createDirectories(outDir);
            err.println(resume && Files.exists(checkpoints.file())
                    ? "resuming from " + checkpoints.file()
                    : (resume ? "no checkpoint at " + checkpoints.file() + " yet: starting afresh; " : "")
                            + "checkpoint every " + checkpointEvery + " steps: " + checkpoints.file());
        }
        TrainingResult r = new SiameseTrainer(net, new Adam(params, Hyper.adam().withLr(lr)), head,
                data.isOrl() ? FaceDefaults.schedule(epochs) : null,
                progress).fit(parts.train(), valEpisodes > 0 ? parts.val() : null, cfg, checkpoints);
        progress.endBar();

        Map<String, String> prov = new LinkedHashMap<>();
        prov.put(ModelIO.SEED, Long.toString(seed));
        prov.put(ModelIO.SPLIT_SEED, Long.toString(seed));
        prov.put(ModelIO.LOSS, loss.name().toLowerCase(Locale.ROOT));
        prov.put(ModelIO.MINER, loss == LossKind.TRIPLET ? miner : "none");
        prov.put(ModelIO.DATA, data.text());
        prov.put(ModelIO.EPOCHS, Integer.toString(r.epochs()));
        prov.put("max_epochs", Integer.toString(epochs));
        prov.put("steps", Long.toString(r.steps()));
        prov.put(ModelIO.IMAGE_SIZE, size.toString());
        prov.put("net", netName);
        prov.put("augment", cfg.augment() == null ? "none" : cfg.augment().getClass().getSimpleName());
        if (loss == LossKind.TRIPLET) {
            prov.put("margin", Float.toString(cfg.triplet().margin()));
        }
        prov.put(ModelIO.NORMALIZE, Boolean.toString(normalize));
        prov.put(ModelIO.INVERT, Boolean.toString(parts.invert()));
        prov.put(ModelIO.MIRROR_AVERAGE, Boolean.toString(net.mirrorAverages()));
        prov.put("batch", p + "x" + k);
        prov.put("lr", Double.toString(lr));
        if (data.isOrl()) {
            prov.put("lr_schedule", FaceDefaults.schedule(epochs).toString());
        }
        prov.put("stop_reason", r.reason().name().toLowerCase(Locale.ROOT));
        prov.put("best_validation_accuracy", Double.toString(r.bestValidation()));
        Files.createDirectories(outDir);
        Path model = outDir.resolve("model.safetensors");
        ModelFile.save(model, f, prov);
        if (a.flag("json")) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", model.toString());
            o.put("steps", r.steps());
            o.put("epochs", r.epochs());
            o.put("stop_reason", prov.get("stop_reason"));
            o.put("best_validation_accuracy", r.bestValidation());
            o.put("seconds", r.seconds());
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "wrote %s: %d steps, %d epochs, %s (%s), best validation accuracy %s, %.0f s%n",
                    model, r.steps(), r.epochs(), prov.get("stop_reason"), r.detail(),
                    Double.isNaN(r.bestValidation()) ? "n/a" : String.format(Locale.ROOT, "%.3f", r.bestValidation()),
                    r.seconds());
        }
        return r.reason() == TrainingResult.StopReason.NON_FINITE ? Main.FAILURE : Main.OK;
    }

    /** {@code " (s25…s30)"}: the first and last class of a part, or nothing when it is empty. */
    private static String classRange(LabeledImages part) {
        int n = part.classCount();
        return n == 0 ? "" : " (" + part.className(0) + (n > 1 ? "…" + part.className(n - 1) : "") + ")";
    }
}
