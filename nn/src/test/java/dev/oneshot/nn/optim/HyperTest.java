package dev.oneshot.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class HyperTest {

    private static void assertRejected(Executable e, String... fragments) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void badValuesAreRejectedWithTheirName() {
        assertRejected(() -> Hyper.sgd().withLr(-0.1), "lr", ">= 0", "-0.1");
        assertRejected(() -> Hyper.sgd().withLr(Double.NaN), "lr");
        assertRejected(() -> Hyper.sgd().withMomentum(1.0), "momentum", "[0, 1)");
        assertRejected(() -> Hyper.sgd().withWeightDecay(-1), "weightDecay");
        assertRejected(() -> Hyper.adam().withBetas(1.0, 0.999), "beta1", "[0, 1)");
        assertRejected(() -> Hyper.adam().withBetas(0.9, -0.1), "beta2");
        assertRejected(() -> Hyper.adam().withEps(-1e-8), "eps");
    }

    @Test
    void badValuesInGroupsAndSettersAreRejected() {
        assertRejected(() -> new Adam(List.of(ParamGroup.of(Toy.named("w", Toy.param())).betas(0.9, 1.5))), "beta2");
        Sgd sgd = new Sgd(Toy.named("w", Toy.param()));
        assertRejected(() -> sgd.setLr(-1), "lr");
        assertEquals(Defaults.SGD_LR, sgd.lr(), "unchanged after a rejected set");
        assertRejected(() -> ParamGroup.of(java.util.Map.of()), "at least one");
    }
}
