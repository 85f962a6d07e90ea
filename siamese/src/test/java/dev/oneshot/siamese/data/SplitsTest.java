package dev.oneshot.siamese.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {
    private static Set<Integer> parentClasses(Subset s) {
        Set<Integer> out = new HashSet<>();
        for (int c : s.parentClasses()) {
            out.add(c);
        }
        return out;
    }

    @Test
    void byClassIsDisjointCompleteAndSeeded() {
        InMemoryImages d = TestData.synthetic(TestData.repeat(3, 20), 4);
        Splits.Split s = Splits.byClass(d, 0.6, 0.2, 42);
        assertEquals(12, s.train().classCount());
        assertEquals(4, s.val().classCount());
        assertEquals(4, s.test().classCount());
        Set<Integer> all = new HashSet<>();
        for (Subset part : List.of(s.train(), s.val(), s.test())) {
            for (int c : part.parentClasses()) {
                assertTrue(all.add(c), "class " + c + " in two parts");
            }
            for (int i = 0; i < part.size(); i++) { // a view: same pixels and class name as the parent
                int p = part.parentIndex(i);
                assertArrayEquals(d.image(p), part.image(i));
                assertEquals(d.className(d.label(p)), part.className(part.label(i)));
                assertTrue(part.label(i) < part.classCount());
            }
        }
        assertEquals(20, all.size());
        assertEquals(d.size(), s.train().size() + s.val().size() + s.test().size());
        Splits.Split again = Splits.byClass(d, 0.6, 0.2, 42);
        assertArrayEquals(s.test().parentClasses(), again.test().parentClasses());
        Splits.Split other = Splits.byClass(d, 0.6, 0.2, 43);
        assertTrue(!parentClasses(s.test()).equals(parentClasses(other.test())), "another seed, another split");
    }

    @Test
    void explicitClassListsMustBeDisjoint() {
        InMemoryImages d = TestData.synthetic(TestData.repeat(2, 5), 1);
        Splits.Split s = Splits.byClass(d, new int[] {4, 0}, new int[] {1}, new int[] {2, 3});
        assertArrayEquals(new int[] {0, 4}, s.train().parentClasses());
        assertEquals(4, s.train().size());
        assertEquals(1, s.train().label(3)); // parent class 4 is local class 1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Splits.byClass(d, new int[] {0, 1}, new int[] {1}, new int[] {2}));
        assertTrue(e.getMessage().contains("class1"), e.getMessage());
    }

    @Test
    void byGroupKeepsGroupsTogether() {
        InMemoryImages d = TestData.synthetic(TestData.repeat(2, 30), 3); // 10 groups g0..g9 of 3 classes
        Splits.Split s = Splits.byGroup(d, "group", 0.7, 0.1, 5);
        assertEquals(21, s.train().classCount());
        assertEquals(3, s.val().classCount());
        assertEquals(6, s.test().classCount());
        Set<String> seen = new HashSet<>();
        for (Subset part : List.of(s.train(), s.val(), s.test())) {
            Set<String> groups = new HashSet<>();
            for (int i = 0; i < part.size(); i++) {
                groups.add(part.metadata(i).get("group"));
            }
            for (String g : groups) {
                assertTrue(seen.add(g), g + " in two parts");
            }
        }
        assertEquals(10, seen.size());
        assertThrows(IllegalArgumentException.class,
                () -> Splits.byGroup(d, "group", List.of("g0"), List.of("nope"), List.of()));
    }
}
