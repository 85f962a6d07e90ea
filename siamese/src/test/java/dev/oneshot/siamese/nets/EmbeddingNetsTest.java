package dev.oneshot.siamese.nets;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingNetsTest {

    /** The demo network's parameters carry PyTorch's Sequential names and sizes. */
    @Test
    void demoSmallCnnMatchesThePyTorchModule() {
        Sequential net = EmbeddingNets.smallCnn(SmallCnnConfig.demo());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertArrayEquals(new int[] {32, 1, 3, 3}, net.namedParameters().get("0.weight").shape());
        assertArrayEquals(new int[] {128, 3136}, net.namedParameters().get("7.weight").shape());
        // 320 + 18,496 + 401,536 + 8,256
        assertEquals(428_608, net.parameterCount());
        assertArrayEquals(new int[] {2, 64}, net.forward(Tensor.rand(1, 2, 1, 28, 28)).shape());
    }

    @Test
    void sameSeedGivesSameWeights() {
        float[] a = EmbeddingNets.smallCnn(SmallCnnConfig.demo()).namedParameters().get("3.weight").data();
        float[] b = EmbeddingNets.smallCnn(SmallCnnConfig.demo()).namedParameters().get("3.weight").data();
        float[] c = EmbeddingNets.smallCnn(SmallCnnConfig.demo().withSeed(43)).namedParameters().get("3.weight").data();
        assertArrayEquals(a, b);
        assertTrue(a[0] != c[0]);
    }

    @Test
    void conv4HasFourBlocksWithBatchNorm() {
        Sequential net = EmbeddingNets.conv4(Conv4Config.standard(28));
        assertEquals(4 * 4 + 2, net.size());
        assertTrue(net.namedBuffers().containsKey("1.running_mean"));
        assertArrayEquals(new int[] {3, 64}, net.forward(Tensor.rand(2, 3, 1, 28, 28)).shape());
    }

    /** Faces keep their aspect ratio: 28×23 → 14×11 → 7×5 → 3×2 after three blocks, so the linear layer sees 32·3·2. */
    @Test
    void conv4TakesNonSquareInputs() {
        Conv4Config c = new Conv4Config(28, 23, 1, 32, 3, 64, 42L);
        assertEquals(3, c.finalHeight());
        assertEquals(2, c.finalWidth());
        Sequential net = EmbeddingNets.conv4(c);
        assertArrayEquals(new int[] {64, 192}, net.namedParameters().get("13.weight").shape());
        assertArrayEquals(new int[] {2, 64}, net.forward(Tensor.rand(5, 2, 1, 28, 23)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv4Config(56, 12, 1, 32, 4, 64, 1));
        assertEquals("Conv4Config: input 56×12 is too small for 4 2×2 poolings (need at least 16 per side)",
                e.getMessage());
    }

    /** Koch et al. report 38,951,745 parameters including the final 4096→1 verification layer. */
    @Test
    void kochOriginalHasThePublishedParameterCount() {
        Sequential net = EmbeddingNets.koch(KochConfig.original());
        assertEquals(38_951_745 - (4096 + 1), net.parameterCount());
        assertEquals(6, KochConfig.original().finalSize());
    }

    @Test
    void kochSmallRunsOnSmallInputs() {
        Sequential net = EmbeddingNets.koch(KochConfig.small(35));
        assertArrayEquals(new int[] {2, 128}, net.forward(Tensor.rand(4, 2, 1, 35, 35)).shape());
    }

    @Test
    void configsRejectSizesThatVanish() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KochConfig.small(12));
        assertTrue(e.getMessage().contains("inputSize 12 is too small"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv4Config(8, 1, 64, 4, 64, 1));
        assertThrows(IllegalArgumentException.class, () -> new SmallCnnConfig(28, 1, 0, 64, 128, 64, 1));
    }
}
