package dev.oneshot.siamese.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComposedClassesTest {
    /**
     * Three classes of 1×2×2 images: class a has 3 examples, b 2, c 3; example e of class k holds
     * the pixels k·10 + e + 0.1·(1..4) scaled by 1/100, so every pixel names its class, example and place.
     */
    private static InMemoryImages source() {
        int[] labels = {0, 1, 0, 2, 1, 0, 2, 2};
        float[] px = new float[labels.length * 4];
        int[] seen = new int[3];
        for (int i = 0; i < labels.length; i++) {
            int e = seen[labels[i]]++;
            for (int p = 0; p < 4; p++) {
                px[i * 4 + p] = (labels[i] * 10 + e + 0.1f * (p + 1)) / 100f;
            }
        }
        List<Map<String, String>> meta = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            meta.add(Map.of("drawer", Integer.toString(i)));
        }
        return new InMemoryImages(px, new int[] {1, 2, 2}, labels, List.of("a", "b", "c"), meta);
    }

    @Test
    void theSourceComesFirstUnchanged() {
        InMemoryImages s = source();
        ComposedClasses c = new ComposedClasses(s, 5, 1);
        for (int i = 0; i < s.size(); i++) {
            assertEquals(s.label(i), c.label(i));
            assertArrayEquals(s.image(i), c.image(i));
            assertEquals(s.metadata(i), c.metadata(i));
        }
        assertEquals("b", c.className(1));
        assertEquals(3 + 5, c.classCount());
    }

    @Test
    void eachNewClassPairsTheJthExamplesOfTwoDistinctClassesInTheWayItsNameSays() {
        InMemoryImages s = source();
        int[][] by = s.indicesByClass();
        ComposedClasses c = new ComposedClasses(s, 40, 7);
        int[][] composedBy = c.indicesByClass();
        int size = s.size();
        java.util.Set<String> waysSeen = new java.util.HashSet<>();
        for (int k = 0; k < 40; k++) {
            String name = c.className(3 + k); // "x/y@way"
            int a = "abc".indexOf(name.charAt(0));
            int b = "abc".indexOf(name.charAt(2));
            String way = name.substring(4);
            waysSeen.add(way);
            assertTrue(a != b, name);
            int[] examples = composedBy[3 + k];
            assertEquals(Math.min(by[a].length, by[b].length), examples.length, name);
            for (int j = 0; j < examples.length; j++) {
                assertTrue(examples[j] >= size);
                assertEquals(3 + k, c.label(examples[j]));
                float[] x = s.image(by[a][j]);
                float[] y = s.image(by[b][j]);
                // pixels 0 1 / 2 3: top keeps A's row 0, left A's column 0, over the larger of each pair
                float[] expected = switch (way) {
                    case "top" -> new float[] {x[0], x[1], y[2], y[3]};
                    case "left" -> new float[] {x[0], y[1], x[2], y[3]};
                    case "over" -> new float[] {Math.max(x[0], y[0]), Math.max(x[1], y[1]), Math.max(x[2], y[2]),
                            Math.max(x[3], y[3])};
                    default -> throw new AssertionError(name);
                };
                assertArrayEquals(expected, c.image(examples[j]), name + " example " + j);
                assertEquals(Map.of(), c.metadata(examples[j]));
            }
        }
        assertEquals(java.util.Set.of("top", "left", "over"), waysSeen);
        assertEquals(c.size(), java.util.Arrays.stream(composedBy).mapToInt(e -> e.length).sum());
    }

    @Test
    void theSameSeedDrawsTheSameClassesAndAnotherOthers() {
        InMemoryImages s = source();
        List<String> one = new ArrayList<>();
        List<String> again = new ArrayList<>();
        List<String> other = new ArrayList<>();
        ComposedClasses a = new ComposedClasses(s, 12, 3);
        ComposedClasses b = new ComposedClasses(s, 12, 3);
        ComposedClasses d = new ComposedClasses(s, 12, 4);
        for (int k = 3; k < 15; k++) {
            one.add(a.className(k));
            again.add(b.className(k));
            other.add(d.className(k));
        }
        assertEquals(one, again);
        assertTrue(!one.equals(other));
        assertEquals(s.size(), new ComposedClasses(s, 0, 3).size());
    }

    @Test
    void badArgumentsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ComposedClasses(source(), -1, 1));
        assertTrue(e.getMessage().contains("composed must be ≥ 0, got -1"), e.getMessage());
        InMemoryImages one = new InMemoryImages(new float[4], new int[] {1, 2, 2}, new int[] {0}, List.of("a"),
                List.of(Map.of()));
        e = assertThrows(IllegalArgumentException.class, () -> new ComposedClasses(one, 1, 1));
        assertTrue(e.getMessage().contains("at least 2 source classes, got 1"), e.getMessage());
    }
}
