package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.nets.NetworkSpec;
import dev.oneshot.siamese.recipe.Recipe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmStartTest {
    private static SiameseModel trained(Recipe r, long seed) throws Exception {
        return TrainingRun.fit(r, TinyRuns.TRAIN, null, RunOptions.seed(seed).withSteps(5), TrainingListener.NONE,
                line -> { }).model();
    }

    @Test
    void theSameNetworkTakesEveryTensorParametersAndBatchNormStatistics() throws Exception {
        Recipe r = TinyRuns.recipe();
        SiameseModel source = trained(r, 3);
        SiameseModel target = TrainingRun.build(r, 77);
        assertFalse(java.util.Arrays.equals(source.embeddingNet().stateDict().values().iterator().next().data(),
                target.embeddingNet().stateDict().values().iterator().next().data()), "two seeds start apart");
        WarmStart.Report report = new WarmStart(source, "src.safetensors").apply(target.embeddingNet(), 0);
        Map<String, Tensor> want = source.embeddingNet().stateDict();
        Map<String, Tensor> got = target.embeddingNet().stateDict();
        assertEquals(want.size(), report.copied());
        assertEquals(List.of(), report.fresh());
        for (String name : want.keySet()) {
            assertArrayEquals(want.get(name).data(), got.get(name).data(), name);
        }
        assertEquals("starting from the weights of src.safetensors: " + want.size() + " of " + want.size() + " tensors",
                report.describe("src.safetensors"));
    }

    /** Another input size changes the last layer's input: it starts fresh and is named with both shapes. */
    @Test
    void aLayerOfAnotherShapeStartsFreshAndIsNamed() throws Exception {
        Recipe small = TinyRuns.recipe();
        SiameseModel source = trained(small, 3);
        Recipe wider = small.withInput(small.input().withSize(12, 12));
        SiameseModel target = TrainingRun.build(wider, 77);
        Map<String, Tensor> before = new java.util.HashMap<>();
        target.embeddingNet().stateDict().forEach((k, v) -> before.put(k, v.copy()));
        WarmStart.Report report = new WarmStart(source, "src").apply(target.embeddingNet(), 0);
        List<String> changedShape = new ArrayList<>();
        Map<String, Tensor> src = source.embeddingNet().stateDict();
        target.embeddingNet().stateDict().forEach((k, v) -> {
            if (java.util.Arrays.equals(v.shape(), src.get(k).shape())) {
                assertArrayEquals(src.get(k).data(), v.data(), k + " copied");
            } else {
                changedShape.add(k);
                assertArrayEquals(before.get(k).data(), v.data(), k + " keeps its own initialisation");
            }
        });
        assertEquals(1, changedShape.size(), "only the first linear layer's weight sees the wider input: " + changedShape);
        assertEquals(src.size() - 1, report.copied());
        assertEquals(1, report.fresh().size());
        String name = changedShape.get(0);
        assertEquals(name + " " + dev.oneshot.core.tensor.Shape.toString(target.embeddingNet().stateDict().get(name).shape())
                + " (" + dev.oneshot.core.tensor.Shape.toString(src.get(name).shape()) + " in src)", report.fresh().get(0));
    }

    @Test
    void aNetworkThatSharesNothingIsRefusedByName() throws Exception {
        SiameseModel source = trained(TinyRuns.recipe(), 3);
        Recipe other = TinyRuns.recipe().withNetwork(new NetworkSpec.Conv4(5, 2, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WarmStart(source, "pre/model.safetensors").apply(TrainingRun.build(other, 1).embeddingNet(), 0));
        assertTrue(e.getMessage().startsWith("--init pre/model.safetensors: its network shares no tensor"), e.getMessage());
    }

    /** Member i of an ensemble starts from the source's member i; one source network serves every member. */
    @Test
    void membersStartFromTheirOwnMember() throws Exception {
        Recipe two = TinyRuns.recipe().withMembers(2);
        SiameseModel pair = trained(two, 3);
        List<SiameseModel> sources = new ArrayList<>();
        for (var net : WarmStart.members(pair)) {
            sources.add(SiameseModel.of(net, pair.card()));
        }
        assertEquals(2, sources.size());
        for (int m = 0; m < 2; m++) {
            SiameseModel target = TrainingRun.build(TinyRuns.recipe(), 50 + m);
            new WarmStart(pair, "pair").apply(target.embeddingNet(), m);
            Map<String, Tensor> want = sources.get(m).embeddingNet().stateDict();
            target.embeddingNet().stateDict().forEach((k, v) -> assertArrayEquals(want.get(k).data(), v.data(), k));
        }
        SiameseModel single = trained(TinyRuns.recipe(), 4);
        SiameseModel target = TrainingRun.build(TinyRuns.recipe(), 9);
        new WarmStart(single, "one").apply(target.embeddingNet(), 1);
        Map<String, Tensor> want = single.embeddingNet().stateDict();
        target.embeddingNet().stateDict().forEach((k, v) -> assertArrayEquals(want.get(k).data(), v.data(), k));
    }

    /** A run from a warm start says so in its log and its card, and trains from the source's weights. */
    @Test
    void aRunStartsFromTheWeightsAndSaysSo() throws Exception {
        Recipe r = TinyRuns.recipe();
        SiameseModel source = trained(r, 3);
        List<String> log = new ArrayList<>();
        SiameseModel warm = TrainingRun.fit(r, TinyRuns.TRAIN, null, RunOptions.seed(8).withSteps(3),
                TrainingListener.NONE, log::add, new WarmStart(source, "src")).model();
        SiameseModel cold = TrainingRun.fit(r, TinyRuns.TRAIN, null, RunOptions.seed(8).withSteps(3),
                TrainingListener.NONE, line -> { }).model();
        assertTrue(log.get(0).startsWith("starting from the weights of src: "), log.toString());
        float[] pixels = new float[3 * 64];
        new dev.oneshot.core.tensor.SeededRandom(17).fillUniform(pixels, 0f, 1f);
        Tensor x = Tensor.fromArray(pixels, 3, 1, 8, 8);
        float[] a = warm.embed(x).data();
        float[] b = cold.embed(x).data();
        assertFalse(java.util.Arrays.equals(a, b), "the warm start changes what three steps end on");
    }
}
