package dev.oneshot.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneshot.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Resuming from a state dict gives bit-identical weights to never stopping. */
class StateDictTest {

    /** Two groups (different lr) of two parameters, gradients from a fixed nonlinear function of the weights. */
    private static List<ParamGroup> groups(Map<String, Tensor> weights) {
        Map<String, Tensor> g0 = new LinkedHashMap<>();
        Map<String, Tensor> g1 = new LinkedHashMap<>();
        g0.put("conv.w", weights.get("conv.w"));
        g0.put("conv.b", weights.get("conv.b"));
        g1.put("fc.w", weights.get("fc.w"));
        g1.put("fc.b", weights.get("fc.b"));
        return List.of(ParamGroup.of(g0).lr(0.05), ParamGroup.of(g1));
    }

    private static Map<String, Tensor> freshWeights() {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("conv.w", Tensor.randn(1, 2, 3).requiresGrad(true));
        w.put("conv.b", Tensor.randn(2, 3).requiresGrad(true));
        w.put("fc.w", Tensor.randn(3, 3, 2).requiresGrad(true));
        w.put("fc.b", Tensor.randn(4, 2).requiresGrad(true));
        return w;
    }

    private static Map<String, Tensor> copies(Map<String, Tensor> w) {
        Map<String, Tensor> c = new LinkedHashMap<>();
        w.forEach((k, t) -> c.put(k, t.copy().requiresGrad(true)));
        return c;
    }

    /** Loss Σ tanh(p)·p per parameter; "fc.b" gets no gradient on even steps (skipped parameters). */
    private static void train(Optimizer opt, Map<String, Tensor> w, int from, int to) {
        for (int s = from; s < to; s++) {
            opt.zeroGrad();
            for (var e : w.entrySet()) {
                if (e.getKey().equals("fc.b") && s % 2 == 0) {
                    continue;
                }
                Tensor p = e.getValue();
                p.tanh().mul(p).sum().backward();
            }
            opt.step();
        }
    }

    private static void assertResumesBitIdentically(Function<Map<String, Tensor>, Optimizer> make) {
        Map<String, Tensor> straight = freshWeights();
        Map<String, Tensor> resumed = copies(straight);
        train(make.apply(straight), straight, 0, 10);

        Optimizer first = make.apply(resumed);
        train(first, resumed, 0, 5);
        OptimizerState saved = first.stateDict();
        Map<String, Tensor> weightsAt5 = copies(resumed);
        train(first, resumed, 5, 7); // the old optimiser keeps going: the snapshot must not change (deep copies)
        Optimizer second = make.apply(weightsAt5);
        second.loadStateDict(saved);
        train(second, weightsAt5, 5, 10);
        for (String k : straight.keySet()) {
            assertArrayEquals(straight.get(k).data(), weightsAt5.get(k).data(), k); // exact float equality
        }
    }

    @Test
    void sgdResumes() {
        assertResumesBitIdentically(w -> new Sgd(groups(w), Hyper.sgd().withMomentum(0.9).withNesterov(true)
                .withWeightDecay(1e-3)));
    }

    @Test
    void adamResumes() {
        assertResumesBitIdentically(w -> new Adam(groups(w), Hyper.adam().withLr(0.01).withWeightDecay(1e-3)));
    }

    @Test
    void adamWResumes() {
        assertResumesBitIdentically(w -> new AdamW(groups(w)));
    }

    @Test
    void stateDictNamesAndMetadata() {
        Map<String, Tensor> w = freshWeights();
        Adam adam = new Adam(groups(w));
        train(adam, w, 0, 3);
        OptimizerState st = adam.stateDict();
        assertEquals("Adam", st.metadata().get("optimizer"));
        assertEquals("2", st.metadata().get("groups"));
        assertEquals("0.05", st.metadata().get("group.0.lr"));
        assertEquals("fc.w", st.metadata().get("group.1.param.0"));
        assertEquals("3", st.metadata().get("state.conv.w.step"));
        // fc.b has no gradient at step 0 (skipped); at step 2 zeroGrad() left a zero gradient, which counts
        assertEquals("2", st.metadata().get("state.fc.b.step"));
        assertArrayEquals(new int[] {2, 3}, st.tensors().get("state.conv.w.exp_avg").shape());
        assertTrue(st.tensors().containsKey("state.fc.b.exp_avg_sq"));
        assertEquals(8, st.tensors().size());
    }

    @Test
    void loadRestoresHyperParameters() {
        Map<String, Tensor> w = freshWeights();
        Sgd a = new Sgd(groups(w), Hyper.sgd().withMomentum(0.5));
        a.setLr(1, 0.003);
        a.setMomentum(0, 0.7);
        Sgd b = new Sgd(groups(copies(w)));
        b.loadStateDict(a.stateDict());
        assertEquals(0.003, b.lr(1));
        assertEquals(0.7, b.momentum(0));
        assertEquals(0.5, b.initialMomentum(0));
        assertEquals(0.05, b.initialLr(0));
    }

    @Test
    void mismatchedStateIsRejectedWithAMessage() {
        Map<String, Tensor> w = freshWeights();
        Adam adam = new Adam(groups(w));
        train(adam, w, 0, 1);
        OptimizerState st = adam.stateDict();

        var wrongKind = assertThrows(IllegalArgumentException.class, () -> new Sgd(groups(copies(w))).loadStateDict(st));
        assertTrue(wrongKind.getMessage().contains("'Adam'"), wrongKind.getMessage());

        Map<String, Tensor> renamed = new LinkedHashMap<>();
        renamed.put("other", w.get("conv.w").copy());
        var wrongNames = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(
                ParamGroup.of(renamed), ParamGroup.of(Map.of("x", Tensor.zeros(1))))).loadStateDict(st));
        assertTrue(wrongNames.getMessage().contains("parameters"), wrongNames.getMessage());

        Map<String, Tensor> tensors = new HashMap<>(st.tensors());
        tensors.put("state.conv.w.exp_avg", Tensor.zeros(6));
        Adam fresh = new Adam(groups(copies(w)));
        var wrongShape = assertThrows(IllegalArgumentException.class,
                () -> fresh.loadStateDict(new OptimizerState(tensors, st.metadata())));
        assertTrue(wrongShape.getMessage().contains("shape"), wrongShape.getMessage());
        assertEquals(0, fresh.stepCount("conv.w"), "a failed load changes nothing");

        Map<String, String> meta = new HashMap<>(st.metadata());
        meta.put("group.0.param.1", "nope");
        var wrongOrder = assertThrows(IllegalArgumentException.class,
                () -> new Adam(groups(copies(w))).loadStateDict(new OptimizerState(st.tensors(), meta)));
        assertTrue(wrongOrder.getMessage().contains("'nope'"), wrongOrder.getMessage());
        assertTrue(new ArrayList<>(st.metadata().keySet()).contains("group.1.eps"));
    }
}
