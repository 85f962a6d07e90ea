package dev.oneshot.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oneshot.core.kernels.VectorSupport;
import dev.oneshot.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same bits at every vector width: a two-block Conv/BatchNorm/ReLU/max-pool
 * network with a linear layer, forward and backward on 8 images of 28×28 — the Conv-4 recipe's
 * kinds of layer, the first layer's weight gradient by row dot products (9 taps, 16 filters) —
 * hashed, output and every gradient, against the hash this test was written with. Core's suite
 * runs it at the CPU's width and at 256 and 512 bits (core/pom.xml), so on any host the widths are
 * checked against each other; a host of the other kind checks the same literal. The scalar path
 * rounds differently (no fused multiply-add in its GEMM) and has a literal of its own. A change
 * that moves these bits on purpose changes the literal, and says so.
 *
 * <p>The negative control: the same network with one image's first pixel nudged by one ulp hashes
 * otherwise — the hash sees a one-bit change.
 */
class WidthIndependenceTest {
    /** Recorded 2026-12-06 at 256 bits (AVX2) and 512 bits (the Vector API's Java stand-in), both arithmetics alike. */
    private static final String VECTOR_DIRECT = "83afe639da9eef6a038869b271620cfd";
    private static final String VECTOR_WINOGRAD = "96759244e1dacaff817011db25f37362";
    private static final String SCALAR_DIRECT = "6dae92cdce7d77099b58ec18ef72bbe8";
    private static final String SCALAR_WINOGRAD = "80a5f3a1fa8a04eb4503a6036f879295";

    private static String run(boolean vector, boolean winograd, boolean nudge) {
        return KernelSwitches.with(2, vector, winograd, () -> {
            Tensor x0 = Tensor.rand(31, 8, 1, 28, 28);
            if (nudge) {
                x0.data()[0] = Math.nextUp(x0.data()[0]);
            }
            Tensor x = x0.detach().requiresGrad(true);
            Tensor w1 = Tensor.randn(32, 16, 1, 3, 3).mul(Tensor.scalar(0.3f)).detach().requiresGrad(true);
            Tensor b1 = Tensor.randn(33, 16).requiresGrad(true);
            Tensor g1 = Tensor.rand(34, 16).add(Tensor.scalar(0.5f)).detach().requiresGrad(true);
            Tensor s1 = Tensor.randn(35, 16).requiresGrad(true);
            Tensor w2 = Tensor.randn(36, 16, 16, 3, 3).mul(Tensor.scalar(0.1f)).detach().requiresGrad(true);
            Tensor g2 = Tensor.rand(37, 16).add(Tensor.scalar(0.5f)).detach().requiresGrad(true);
            Tensor s2 = Tensor.randn(38, 16).requiresGrad(true);
            Tensor w3 = Tensor.randn(39, 16 * 7 * 7, 10).mul(Tensor.scalar(0.05f)).detach().requiresGrad(true);
            Tensor h = Conv2d.trainBatchNormReluMaxPool2x2(x, w1, b1, 1, 1, g1, s1, 1e-5f, new float[16], new float[16]);
            h = BatchNorm.trainReluMaxPool2x2(Conv2d.apply(h, w2, null, 1, 1), g2, s2, 1e-5f, new float[16], new float[16]);
            Tensor y = h.reshape(8, 16 * 7 * 7).matmul(w3);
            y.mul(y).sum().backward();
            return sha256(y, x.grad(), w1.grad(), b1.grad(), g1.grad(), s1.grad(), w2.grad(), g2.grad(), s2.grad(),
                    w3.grad());
        });
    }

    private static String sha256(Tensor... tensors) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Tensor t : tensors) {
                ByteBuffer bytes = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(t.data());
                md.update(bytes);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theVectorPathGivesTheRecordedBitsAtEveryWidth() {
        assumeTrue(VectorSupport.available(), "the Vector API module is not present in this run");
        assertEquals(VECTOR_DIRECT, run(true, false, false), "direct arithmetic at " + VectorSupport.path());
        assertEquals(VECTOR_WINOGRAD, run(true, true, false), "Winograd at " + VectorSupport.path());
    }

    @Test
    void theScalarPathGivesItsRecordedBits() {
        assertEquals(SCALAR_DIRECT, run(false, false, false), "direct arithmetic, scalar kernels");
        assertEquals(SCALAR_WINOGRAD, run(false, true, false), "Winograd, scalar kernels");
    }

    @Test
    void aOneUlpChangeInOnePixelChangesTheHash() {
        boolean vector = VectorSupport.available();
        assertNotEquals(run(vector, true, false), run(vector, true, true));
    }
}
