package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.optim.Adam;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.nets.SmallCnnConfig;
import dev.oneshot.siamese.twin.TwinNetwork;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiameseTrainerTest {
    private static final SmallCnnConfig NET = new SmallCnnConfig(8, 1, 4, 8, 16, 8, 3L);
    private static final InMemoryImages DATA = Synthetic.classes(12, 10, 0.25f, 11L);
    private static final LabeledImages TRAIN = Subset.ofClasses(DATA, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    private static final LabeledImages VAL = Subset.ofClasses(DATA, new int[] {8, 9, 10, 11});
    private static final TrainerConfig CFG = TrainerConfig.DEFAULT.withBatch(4, 4).withEpochs(3, 10)
            .withValidation(4, 20, 5).withSeed(5);

    private static final class Recorder implements TrainingListener {
        final List<Double> losses = new ArrayList<>();
        final List<Epoch> epochs = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void onStep(Step step) {
            losses.add(step.loss());
        }

        @Override
        public void onEpoch(Epoch epoch) {
            epochs.add(epoch);
        }

        @Override
        public void onWarning(String message) {
            warnings.add(message);
        }
    }

    private static Map<String, Tensor> train(TrainerConfig cfg, Recorder recorder) {
        TwinNetwork net = new TwinNetwork(EmbeddingNets.smallCnn(NET), true);
        Adam adam = new Adam(net.namedParameters(), Hyper.adam().withLr(3e-3));
        new SiameseTrainer(net, adam, null, null, recorder).fit(TRAIN, VAL, cfg);
        return net.embeddingNet().stateDict();
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        Map<String, Tensor> a = train(CFG.withEpochs(1, 6), new Recorder());
        Map<String, Tensor> b = train(CFG.withEpochs(1, 6), new Recorder());
        Map<String, Tensor> c = train(CFG.withEpochs(1, 6).withSeed(6), new Recorder());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
        }
        assertTrue(!java.util.Arrays.equals(a.get("0.weight").data(), c.get("0.weight").data()),
                "a different seed must change the run");
    }

    @Test
    void tripletTrainingReducesTheLossAndValidates() {
        Recorder r = new Recorder();
        train(CFG.withEpochs(4, 15), r);
        double first = r.losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = r.losses.subList(r.losses.size() - 5, r.losses.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < first, "loss should fall: first " + first + ", last " + last);
        assertEquals(4, r.epochs.size());
        assertTrue(r.epochs.stream().allMatch(e -> e.validationAccuracy() >= 0 && e.validationAccuracy() <= 1));
    }

    @Test
    void pairLossesTrain() {
        for (LossKind kind : new LossKind[] {LossKind.CONTRASTIVE, LossKind.BINARY}) {
            TwinNetwork net = new TwinNetwork(EmbeddingNets.smallCnn(NET), kind == LossKind.CONTRASTIVE);
            BinaryVerificationHead head = kind == LossKind.BINARY
                    ? new BinaryVerificationHead(NET.embeddingDim(), new dev.oneshot.core.tensor.SeededRandom(1)) : null;
            Map<String, Tensor> params = new LinkedHashMap<>(net.namedParameters());
            if (head != null) {
                head.namedParameters().forEach((k, v) -> params.put("head." + k, v));
            }
            Recorder r = new Recorder();
            TrainingResult result = new SiameseTrainer(net, new Adam(params, Hyper.adam().withLr(3e-3)), head, null, r)
                    .fit(TRAIN, VAL, CFG.withLoss(kind).withEpochs(3, 15));
            double first = r.losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double last = r.losses.subList(r.losses.size() - 5, r.losses.size()).stream()
                    .mapToDouble(Double::doubleValue).average().orElseThrow();
            assertTrue(last < first, kind + ": loss should fall: first " + first + ", last " + last);
            assertEquals(TrainingResult.StopReason.EPOCHS_DONE, result.reason());
        }
    }

    @Test
    void nonFiniteLossStopsAndRestoresTheLastGoodWeights() {
        TwinNetwork net = new TwinNetwork(EmbeddingNets.smallCnn(NET), false);
        float[] before = net.namedParameters().get("0.weight").data().clone();
        float[] pixels = new float[DATA.size() * 64];
        for (int i = 0; i < DATA.size(); i++) {
            DATA.copyImage(i, pixels, i * 64);
        }
        pixels[3] = Float.NaN;
        InMemoryImages poisoned = new InMemoryImages(pixels, new int[] {1, 8, 8}, DATA.labels(
                java.util.stream.IntStream.range(0, DATA.size()).toArray()), List.of("a", "b", "c", "d", "e", "f",
                "g", "h", "i", "j", "k", "l"), null);
        TrainingResult result = new SiameseTrainer(net, new Adam(net.namedParameters()), null, null, new Recorder())
                .fit(poisoned, null, CFG.withLoss(LossKind.CONTRASTIVE).withBatch(12, 10).withEpochs(1, 3));
        assertEquals(TrainingResult.StopReason.NON_FINITE, result.reason());
        assertEquals("step 1: training image 57 of the batch (dataset index 0) holds NaN at value 3; "
                + "the last good weights were restored", result.detail());
        assertArrayEquals(before, net.namedParameters().get("0.weight").data(), "weights restored");
    }

    /** A budget that runs out inside the first epoch keeps the weights trained so far. */
    @Test
    void timeBudgetKeepsTheWeightsTrainedInAnUnfinishedEpoch() {
        TwinNetwork net = new TwinNetwork(EmbeddingNets.smallCnn(NET), true);
        float[] initial = net.namedParameters().get("0.weight").data().clone();
        TrainingResult result = new SiameseTrainer(net, new Adam(net.namedParameters(), Hyper.adam().withLr(3e-3)), null,
                null, new Recorder()).fit(TRAIN, VAL, CFG.withEpochs(1, 1_000_000).withMaxMinutes(0.02));
        assertEquals(TrainingResult.StopReason.TIME_BUDGET, result.reason());
        assertTrue(result.steps() > 0);
        assertEquals(0, result.bestEpoch());
        assertTrue(!java.util.Arrays.equals(initial, net.namedParameters().get("0.weight").data()),
                "the trained weights must be kept, not the initial ones");
    }

    @Test
    void earlyStoppingAfterPatienceEpochsWithoutGain() {
        Recorder r = new Recorder();
        TwinNetwork net = new TwinNetwork(EmbeddingNets.smallCnn(NET), true);
        Adam frozen = new Adam(net.namedParameters(), Hyper.adam().withLr(0));
        TrainingResult result = new SiameseTrainer(net, frozen, null, null, r)
                .fit(TRAIN, VAL, CFG.withEpochs(10, 2).withValidation(4, 20, 2));
        assertEquals(TrainingResult.StopReason.EARLY_STOPPED, result.reason());
        assertEquals(3, result.epochs(), "epoch 0 sets the best, epochs 1 and 2 bring no gain");
        assertEquals(0, result.bestEpoch());
    }
}
