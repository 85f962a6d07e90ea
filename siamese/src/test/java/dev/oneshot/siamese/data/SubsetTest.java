package dev.oneshot.siamese.data;

import dev.oneshot.siamese.eval.Embedder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubsetTest {
    /** Seven one-pixel images labelled 1 0 1 0 1 1 2; pixel i holds i. */
    private static InMemoryImages interleaved() {
        float[] px = {0, 1, 2, 3, 4, 5, 6};
        int[] labels = {1, 0, 1, 0, 1, 1, 2};
        return new InMemoryImages(px, new int[] {1, 1, 1}, labels, List.of("a", "b", "c"),
                java.util.Collections.nCopies(7, java.util.Map.of()));
    }

    @Test
    void firstPerClassTakesTheEarliestOfEachClassClassByClass() {
        Subset s = Subset.firstPerClass(interleaved(), 2);
        assertArrayEquals(new int[] {1, 3, 0, 2, 6}, s.parentIndices(), "class 0: 1, 3; class 1: 0, 2; class 2: 6");
        assertArrayEquals(new int[] {1, 3, 0, 2, 4, 5, 6}, Subset.firstPerClass(interleaved(), 10).parentIndices());
        assertEquals(3, s.classCount());
        assertThrows(IllegalArgumentException.class, () -> Subset.firstPerClass(interleaved(), 0));
    }

    @Test
    void parentIndicesIsACopyAndFeatureRowsFollowIt() {
        Subset s = Subset.ofClasses(interleaved(), new int[] {0, 2});
        int[] rows = s.parentIndices();
        assertArrayEquals(new int[] {1, 3, 6}, rows);
        rows[0] = 99;
        assertEquals(1, s.parentIndex(0));
        Embedder.Features f = new Embedder.Features(new float[] {0, 10, 1, 11, 2, 12, 3, 13}, 4, 2);
        Embedder.Features picked = f.rows(new int[] {3, 0, 3});
        assertArrayEquals(new float[] {3, 13, 0, 10, 3, 13}, picked.values());
        assertEquals(3, picked.rows());
        assertEquals(2, picked.dim());
    }
}
