package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.nn.optim.Sgd;
import dev.oneshot.nn.persist.Checkpoint;
import dev.oneshot.siamese.data.FaceAugment;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import dev.oneshot.siamese.twin.TwinNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints of the Siamese trainer: a diverging run stops naming the step, the op and the
 * tensor, with the last good checkpoint on disk (loadable, finite); a run interrupted and
 * resumed from its last checkpoint ends with bitwise the weights of an uninterrupted run.
 */
class TrainerCheckpointTest {
    private static final SmallCnnConfig NET = new SmallCnnConfig(8, 1, 4, 8, 16, 8, 3L);
    private static final InMemoryImages DATA = Synthetic.classes(12, 10, 0.25f, 11L);
    private static final LabeledImages TRAIN = Subset.ofClasses(DATA, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    private static final LabeledImages VAL = Subset.ofClasses(DATA, new int[] {8, 9, 10, 11});
    private static final TrainerConfig CFG = TrainerConfig.DEFAULT.withBatch(4, 4).withEpochs(3, 7)
            .withValidation(4, 20, 5).withSeed(5);

    /** A network, its head (BINARY only) and an optimiser over both, built identically every time. */
    private record Run(TwinNetwork net, BinaryVerificationHead head, Optimizer optimizer) {
        static Run of(LossKind kind, boolean sgdHuge) {
            TwinNetwork net = new TwinNetwork(EmbeddingNets.smallCnn(NET), kind == LossKind.TRIPLET);
            BinaryVerificationHead head = kind == LossKind.BINARY
                    ? new BinaryVerificationHead(NET.embeddingDim(), new SeededRandom(1)) : null;
            Map<String, Tensor> params = new LinkedHashMap<>(net.namedParameters());
            if (head != null) {
                head.namedParameters().forEach((k, v) -> params.put("head." + k, v));
            }
            Optimizer opt = sgdHuge ? new Sgd(params, Hyper.sgd().withLr(1e9))
                    : new Adam(params, Hyper.adam().withLr(3e-3));
            return new Run(net, head, opt);
        }

        Map<String, Tensor> weights() {
            Map<String, Tensor> all = new LinkedHashMap<>(net.embeddingNet().stateDict());
            if (head != null) {
                head.stateDict().forEach((k, v) -> all.put("head." + k, v));
            }
            return all;
        }

        Module checkpointed() {
            return head == null ? net.embeddingNet() : new Sequential(net.embeddingNet(), head);
        }
    }

    /** Throws at a given step, after the optimiser step: a crash between two checkpoints. */
    private static final class CrashAt implements TrainingListener {
        final long step;

        CrashAt(long step) {
            this.step = step;
        }

        @Override
        public void onStep(Step s) {
            if (s.step() == step) {
                throw new IllegalStateException("simulated crash at step " + step);
            }
        }
    }

    @Test
    void divergenceStopsNamingStepOpAndTensorWithTheLastGoodCheckpointIntact(@TempDir Path tmp) throws Exception {
        Path ck = tmp.resolve("ck.safetensors");
        Run r = Run.of(LossKind.CONTRASTIVE, true);
        TrainingResult result = new SiameseTrainer(r.net, r.optimizer, null, null, TrainingListener.NONE)
                .fit(TRAIN, VAL, CFG.withLoss(LossKind.CONTRASTIVE), TrainerCheckpoints.every(ck, 1));
        assertEquals(TrainingResult.StopReason.NON_FINITE, result.reason(), result.detail());
        Matcher m = Pattern.compile("step (\\d+): (.*)").matcher(result.detail());
        assertTrue(m.matches(), result.detail());
        long failed = Long.parseLong(m.group(1));
        assertTrue(failed >= 2, "diverged at step " + failed + ": there must be a good checkpoint before it");
        String why = m.group(2);
        assertTrue(why.matches("the loss is (NaN|-?Infinity); the first non-finite value: "
                + "(op '[a-zA-Z0-9_]+' \\(op \\d+ of \\d+\\) output \\[[0-9, ]*] holds (NaN|-?Infinity) at index \\d+"
                + "|parameter '[0-9a-z.]+' \\[[0-9, ]*] holds (NaN|-?Infinity) at index \\d+ \\(read by op '[a-zA-Z0-9_]+', op \\d+ of \\d+\\))"
                + "; the last good weights were restored \\(the checkpoint .* holds the last good state\\)"
                + "|the optimizer step made parameter '[0-9a-z.]+' \\[[0-9, ]*] non-finite .*"
                + "|the gradient of '[0-9a-z.]+' holds .*"), why);
        System.out.println("TrainerCheckpointTest divergence: " + result.detail());

        Run fresh = Run.of(LossKind.CONTRASTIVE, true);
        Checkpoint.Resumed resumed = Checkpoint.load(ck, fresh.net.embeddingNet(), fresh.optimizer);
        assertEquals(failed - 1, resumed.progress().step(), "the checkpoint is the step before the failure");
        for (Map.Entry<String, Tensor> e : fresh.weights().entrySet()) {
            for (float v : e.getValue().data()) {
                assertTrue(Float.isFinite(v), "checkpointed " + e.getKey() + " holds " + v);
            }
        }
        for (Tensor t : resumed.extraTensors().values()) {
            for (float v : t.data()) {
                assertTrue(Float.isFinite(v), "checkpointed best weights hold " + v);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void aResumedRunEndsWithBitwiseTheWeightsOfAnUninterruptedOne(LossKind kind, @TempDir Path tmp) throws Exception {
        TrainerConfig cfg = CFG.withLoss(kind).withAugment(kind == LossKind.TRIPLET);
        Run whole = Run.of(kind, false);
        TrainingResult a = new SiameseTrainer(whole.net, whole.optimizer, whole.head, null, TrainingListener.NONE)
                .fit(TRAIN, VAL, cfg, TrainerCheckpoints.every(tmp.resolve("whole.safetensors"), 4));

        // Crash at step 11 (epoch 1, 5th step): the last checkpoint is step 8, mid-epoch.
        // Crash at step 16 (epoch 2, 2nd step): the last checkpoint is the end of epoch 1 (step 14).
        for (long crash : new long[] {11, 16}) {
            Path ck = tmp.resolve("crash" + crash + ".safetensors");
            Run first = Run.of(kind, false);
            IllegalStateException boom = assertThrows(IllegalStateException.class, () -> new SiameseTrainer(first.net,
                    first.optimizer, first.head, null, new CrashAt(crash)).fit(TRAIN, VAL, cfg,
                    TrainerCheckpoints.every(ck, 4)));
            assertEquals("simulated crash at step " + crash, boom.getMessage());
            Run second = Run.of(kind, false); // a new process: everything built afresh
            TrainingResult b = new SiameseTrainer(second.net, second.optimizer, second.head, null, TrainingListener.NONE)
                    .fit(TRAIN, VAL, cfg, TrainerCheckpoints.every(ck, 4).resuming());
            assertEquals(a.steps(), b.steps(), kind + " crash " + crash + ": steps");
            assertEquals(a.bestEpoch(), b.bestEpoch(), kind + " crash " + crash + ": best epoch");
            assertEquals(a.bestValidation(), b.bestValidation(), kind + " crash " + crash + ": best accuracy");
            Map<String, Tensor> wa = whole.weights();
            Map<String, Tensor> wb = second.weights();
            assertEquals(wa.keySet(), wb.keySet());
            for (String name : wa.keySet()) {
                assertArrayEquals(wa.get(name).data(), wb.get(name).data(), kind + " crash " + crash + ": " + name);
            }
        }
    }

    @Test
    void resumingWithAnotherConfigIsRefusedNamingBoth(@TempDir Path tmp) throws Exception {
        Path ck = tmp.resolve("ck.safetensors");
        Run r = Run.of(LossKind.TRIPLET, false);
        new SiameseTrainer(r.net, r.optimizer, null, null, TrainingListener.NONE)
                .fit(TRAIN, VAL, CFG.withEpochs(1, 4), TrainerCheckpoints.every(ck, 2));
        Run again = Run.of(LossKind.TRIPLET, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SiameseTrainer(again.net, again.optimizer, null, null, TrainingListener.NONE)
                        .fit(TRAIN, VAL, CFG.withEpochs(1, 4).withSeed(6), TrainerCheckpoints.every(ck, 2).resuming()));
        assertTrue(e.getMessage().startsWith(ck + ": checkpoint made with another trainer config: "), e.getMessage());
        assertTrue(e.getMessage().contains("seed=5") && e.getMessage().contains("seed=6"), e.getMessage());
    }

    @Test
    void aConfigRebuiltInAFreshProcessMatchesTheCheckpointsConfig() {
        // A resumed CLI run builds new augmentation objects: the config text must not depend on identity.
        TrainerConfig koch = CFG.withAugment(true);
        assertEquals(koch.toString(), CFG.withAugment(true).toString());
        TrainerConfig faces = CFG.withAugmentation(new FaceAugment(
                FaceAugment.Config.FACES));
        assertEquals(faces.toString(), CFG.withAugmentation(new FaceAugment(
                FaceAugment.Config.FACES)).toString());
        assertTrue(faces.toString().contains("FaceAugment[Config["), faces.toString());
        assertNotEquals(koch.toString(), faces.toString());
    }
}
