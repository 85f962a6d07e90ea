package dev.oneshot.siamese.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    // 13 classes: class c has 2 + c examples (2..14)
    private final InMemoryImages data = TestData.synthetic(new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, 1);

    @Test
    void pkBatchesHoldPClassesTimesK() {
        PkBatchSampler s = new PkBatchSampler(data, 4, 3, 1, PkBatchSampler.SmallClasses.SKIP);
        assertEquals(12, s.eligibleClasses()); // class 0 has 2 < K = 3 examples
        assertEquals(3, s.batchesPerEpoch());
        for (int epoch = 0; epoch < 3; epoch++) {
            Set<Integer> epochClasses = new HashSet<>();
            for (PkBatchSampler.Batch b : s.nextEpoch()) {
                assertEquals(12, b.indices().length);
                assertArrayEquals(data.labels(b.indices()), b.labels());
                Set<Integer> classes = new HashSet<>();
                for (int p = 0; p < 4; p++) {
                    int c = b.labels()[p * 3];
                    assertTrue(classes.add(c), "class " + c + " twice in a batch");
                    assertTrue(epochClasses.add(c), "class " + c + " twice in an epoch");
                    assertTrue(c != 0, "class 0 should be skipped");
                    Set<Integer> distinct = new HashSet<>();
                    for (int k = 0; k < 3; k++) {
                        assertEquals(c, b.labels()[p * 3 + k]);
                        distinct.add(b.indices()[p * 3 + k]);
                    }
                    assertEquals(3, distinct.size(), "K examples drawn without replacement");
                }
            }
        }
    }

    @Test
    void pkIsReproducibleWithTheSeed() {
        List<PkBatchSampler.Batch> a = new PkBatchSampler(data, 5, 4, 9).nextEpoch();
        List<PkBatchSampler.Batch> b = new PkBatchSampler(data, 5, 4, 9).nextEpoch();
        List<PkBatchSampler.Batch> c = new PkBatchSampler(data, 5, 4, 10).nextEpoch();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).indices(), b.get(i).indices());
        }
        assertNotEquals(java.util.Arrays.toString(a.get(0).indices()), java.util.Arrays.toString(c.get(0).indices()));
    }

    @Test
    void smallClassesAreDrawnWithReplacementByDefault() {
        PkBatchSampler s = new PkBatchSampler(data, 13, 3, 2); // every class, K = 3 > 2 for class 0
        PkBatchSampler.Batch b = s.nextEpoch().get(0);
        int fromClass0 = 0;
        for (int i = 0; i < b.labels().length; i++) {
            if (b.labels()[i] == 0) {
                fromClass0++;
                assertTrue(b.indices()[i] < 2);
            }
        }
        assertEquals(3, fromClass0);
        assertThrows(IllegalArgumentException.class,
                () -> new PkBatchSampler(data, 13, 3, 2, PkBatchSampler.SmallClasses.SKIP));
    }

    @Test
    void pairsAreBalancedAndSeeded() {
        PairSampler.Pairs p = new PairSampler(data, 3).sample(1000);
        int same = 0;
        for (int i = 0; i < p.size(); i++) {
            boolean sameClass = data.label(p.left()[i]) == data.label(p.right()[i]);
            assertEquals(p.same()[i] == 1, sameClass, "pair " + i);
            assertNotEquals(p.left()[i], p.right()[i], "a pair of one example with itself");
            same += p.same()[i];
        }
        assertEquals(500, same);
        assertEquals(500f, sum(p.targets()));
        int firstHalfSame = 0;
        for (int i = 0; i < 500; i++) {
            firstHalfSame += p.same()[i];
        }
        assertTrue(firstHalfSame > 200 && firstHalfSame < 300, "shuffled order: " + firstHalfSame);
        PairSampler.Pairs q = new PairSampler(data, 3).sample(1000);
        assertArrayEquals(p.left(), q.left());
        assertArrayEquals(p.right(), q.right());
        int[] odd = new PairSampler(data, 3).sample(7).same(); // odd: 3 positive, 4 negative
        assertEquals(3, odd[0] + odd[1] + odd[2] + odd[3] + odd[4] + odd[5] + odd[6]);
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
