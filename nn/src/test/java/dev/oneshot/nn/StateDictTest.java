package dev.oneshot.nn;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.layers.BatchNorm1d;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.Tanh;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StateDictTest {
    private static Sequential net(long seed) {
        return new Sequential(new Linear(3, 4, new SeededRandom(seed)), new BatchNorm1d(4), new Tanh(),
                new Linear(4, 2, false, new SeededRandom(seed + 1)));
    }

    @Test
    void keysAndLayoutsFollowPyTorch() {
        Map<String, Tensor> sd = net(1).stateDict();
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "1.running_mean",
                "1.running_var", "1.num_batches_tracked"), List.copyOf(sd.keySet()));
        assertArrayEquals(new int[] {4, 3}, sd.get("0.weight").shape());
        assertArrayEquals(new int[] {2, 4}, sd.get("3.weight").shape());
        assertArrayEquals(new int[0], sd.get("1.num_batches_tracked").shape());
        assertArrayEquals(new int[] {5, 2, 3, 3},
                new Conv2d(2, 5, 3, new SeededRandom(1)).stateDict().get("weight").shape());
    }

    @Test
    void roundTripCopiesValuesIntoExistingTensors() {
        Sequential a = net(1);
        a.forward(Tensor.randn(5, 6, 3)); // moves the running statistics
        Sequential b = net(99);
        Tensor bWeight = b.namedParameters().get("0.weight");
        LinkedHashMap<String, Tensor> saved = new LinkedHashMap<>();
        a.stateDict().forEach((k, v) -> saved.put(k, v.copy()));
        b.loadStateDict(saved);
        assertSame(bWeight, b.namedParameters().get("0.weight"));
        b.stateDict().forEach((k, v) -> {
            assertArrayEquals(saved.get(k).data(), v.data(), k);
            assertNotSame(saved.get(k).data(), v.data());
        });
        assertEquals(1f, b.stateDict().get("1.num_batches_tracked").item());
        Tensor x = Tensor.randn(7, 4, 3);
        a.eval();
        b.eval();
        assertArrayEquals(a.forward(x).data(), b.forward(x).data());
    }

    @Test
    void mismatchesNameTheTensorAndShapes() {
        Sequential a = net(1);
        Map<String, Tensor> sd = new LinkedHashMap<>(net(2).stateDict());
        float before = a.namedParameters().get("0.weight").data()[0];

        sd.put("0.bias", Tensor.zeros(5));
        var e = assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(sd));
        assertEquals("loadStateDict: shape mismatch for '0.bias': model has [4], state dict has [5]", e.getMessage());
        assertEquals(before, a.namedParameters().get("0.weight").data()[0], "nothing copied on failure");

        sd.remove("0.bias");
        e = assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(sd));
        assertEquals("loadStateDict: missing key '0.bias' (expected shape [4])", e.getMessage());

        sd.put("0.bias", Tensor.zeros(4));
        sd.put("3.bias", Tensor.zeros(2));
        e = assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(sd));
        assertEquals("loadStateDict: unexpected key '3.bias' (shape [2])", e.getMessage());
    }
}
