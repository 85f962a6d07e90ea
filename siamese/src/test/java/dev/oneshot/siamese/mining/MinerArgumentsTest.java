package dev.oneshot.siamese.mining;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.oneshot.siamese.mining.HandBatch.DIST;
import static dev.oneshot.siamese.mining.HandBatch.LABELS;
import static dev.oneshot.siamese.mining.HandBatch.MARGIN;
import static dev.oneshot.siamese.mining.HandBatch.N;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinerArgumentsTest {
    @Test
    void byNameKnowsEveryStrategy() {
        assertInstanceOf(RandomMiner.class, Miners.byName("random"));
        assertInstanceOf(HardestNegativeMiner.class, Miners.byName("hard"));
        assertInstanceOf(SemiHardMiner.class, Miners.byName(" Semi-Hard "));
        assertInstanceOf(BatchHardMiner.class, Miners.byName("batch-hard"));
        assertInstanceOf(BatchAllMiner.class, Miners.byName("batch-all"));
        assertEquals(SemiHardMiner.Fallback.SKIP, ((SemiHardMiner) Miners.byName("semi-hard")).fallback());
        for (String name : Miners.NAMES) {
            assertEquals(name, Miners.byName(name).name());
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Miners.byName("hardest"));
        assertEquals("unknown triplet miner 'hardest'; valid names: random, hard, semi-hard, batch-hard, batch-all",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Miners.byName(null));
    }

    @Test
    void wrongShapesAndValuesAreRejectedWithTheMinerName() {
        TripletMiner m = Miners.byName("batch-hard");
        var size = assertThrows(IllegalArgumentException.class, () -> m.mine(new float[5], N, LABELS, MARGIN, null));
        assertTrue(size.getMessage().startsWith("batch-hard: distance matrix has 5 values"), size.getMessage());
        var labels = assertThrows(IllegalArgumentException.class, () -> m.mine(DIST, N, new int[3], MARGIN, null));
        assertTrue(labels.getMessage().contains("3 labels for a batch of 6"), labels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.mine(DIST, N, LABELS, -1f, null));
        float[] nan = DIST.clone();
        nan[1 * N + 2] = Float.NaN;
        var diverged = assertThrows(IllegalArgumentException.class, () -> m.mine(nan, N, LABELS, MARGIN, null));
        assertTrue(diverged.getMessage().contains("(1, 2) is NaN"), diverged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.mine(Tensor.zeros(2, 3), new int[2], MARGIN, null));
    }

    @Test
    void randomNeedsAGenerator() {
        assertThrows(IllegalArgumentException.class, () -> new RandomMiner().mine(DIST, N, LABELS, MARGIN, null));
        new RandomMiner().mine(DIST, N, LABELS, MARGIN, new SeededRandom(0));
    }

    @Test
    void tripletsChecksLengthsAndPrintsItself() {
        assertThrows(IllegalArgumentException.class, () -> new Triplets(new int[2], new int[2], new int[1]));
        Triplets t = HandBatch.triplets(HandBatch.t(0, 2, 3), HandBatch.t(1, 2, 3));
        assertEquals("Triplets[(0,2,3), (1,2,3)]", t.toString());
        assertEquals(2, t.size());
        assertEquals(0, Triplets.empty().size());
    }

    @Test
    void kindsPartitionAtTheBoundaries() {
        assertEquals(TripletKind.HARD, TripletKind.of(2f, 1.9f, 1f));
        assertEquals(TripletKind.SEMI_HARD, TripletKind.of(2f, 2f, 1f));
        assertEquals(TripletKind.SEMI_HARD, TripletKind.of(2f, 2.9f, 1f));
        assertEquals(TripletKind.EASY, TripletKind.of(2f, 3f, 1f));
        assertEquals(TripletKind.EASY, TripletKind.of(2f, 2f, 0f)); // margin 0: a tie has loss 0
        assertTrue(TripletKind.isActive(2f, 2f, 1f));
    }
}
