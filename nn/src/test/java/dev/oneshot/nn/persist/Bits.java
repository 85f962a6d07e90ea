package dev.oneshot.nn.persist;

import dev.oneshot.core.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bit-level comparison of tensors (NaN payloads and −0 included). */
final class Bits {
    private Bits() {
    }

    static int[] of(Tensor t) {
        float[] d = t.data();
        int[] b = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            b[i] = Float.floatToRawIntBits(d[i]);
        }
        return b;
    }

    static void assertSameStateDict(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            assertArrayEquals(e.getValue().shape(), actual.get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(of(e.getValue()), of(actual.get(e.getKey())), e.getKey());
        }
    }

    static Map<String, Tensor> copy(Map<String, Tensor> m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((k, t) -> out.put(k, Tensor.fromArray(t.data().clone(), t.shape())));
        return out;
    }
}
