package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 2×2 fast path (scalar, or Vector API when the module is present: the core suite runs both)
 * against the reference scan, bit for bit (NaN payloads aside), on values full of ties, ±0 and NaN.
 */
class PoolingPathTest {
    /**
     * A float's bits with every NaN as the one canonical NaN: −0 and +0 stay apart, NaN payloads do
     * not count. The Vector API's interpreted fallback (what runs before the JIT compiles a loop)
     * canonicalises payloads, so raw bits made this class fail when it ran alone (0x7fc00000 for the
     * palette's 0x7fc00001) and pass in the full suite, where the loops were compiled by then.
     */
    private static int bits(float f) {
        return Float.floatToIntBits(f);
    }

    @Test
    void twoByTwoMatchesTheReferenceScanBitForBit() {
        String expected = System.getProperty("oneshot.test.expectKernel");
        if (expected != null) {
            assertTrue(Pooling.kernel().startsWith(expected), Pooling.kernel() + " vs " + expected);
        }
        float[] palette = {0f, -0f, 1f, -1f, 2f, Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 0.5f};
        Random r = new Random(17);
        int[][] shapes = {{3, 28, 28}, {5, 14, 14}, {2, 5, 7}, {4, 2, 2}, {1, 4, 34}, {7, 9, 8}, {2, 32, 32}};
        for (int[] s : shapes) {
            int planes = s[0];
            int h = s[1];
            int w = s[2];
            float[] x = new float[planes * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(3) == 0 ? palette[r.nextInt(palette.length)] : (float) r.nextGaussian();
            }
            int outs = planes * (h / 2) * (w / 2);
            float[] out = new float[outs];
            int[] arg = new int[outs];
            Pooling.maxForward(x, planes, h, w, 2, 2, out, arg);
            float[] out2 = new float[outs];
            Pooling.maxForward(x, planes, h, w, 2, 2, out2, null); // inference: no arg-max
            float[] ref = new float[outs];
            int[] refArg = new int[outs];
            reference(x, planes, h, w, ref, refArg);
            assertArrayEquals(refArg, arg, "argmax " + planes + "x" + h + "x" + w);
            for (int o = 0; o < outs; o++) {
                assertEquals(bits(ref[o]), bits(out[o]), "output " + o);
                assertEquals(bits(ref[o]), bits(out2[o]), "output " + o);
            }
            // the ReLU folded in: the arg-max of x, and bit for bit the pooling of relu(x)
            float[] relu = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                relu[i] = Math.max(x[i], 0f);
            }
            float[] refRelu = new float[outs];
            reference(relu, planes, h, w, refRelu, new int[outs]);
            float[] fused = new float[outs];
            int[] fusedArg = new int[outs];
            Pooling.maxForward(x, planes, h, w, 2, 2, fused, fusedArg, true);
            float[] fused2 = new float[outs];
            Pooling.maxForward(x, planes, h, w, 2, 2, fused2, null, true);
            assertArrayEquals(refArg, fusedArg, "relu argmax " + planes + "x" + h + "x" + w);
            for (int o = 0; o < outs; o++) {
                assertEquals(bits(refRelu[o]), bits(fused[o]), "relu output " + o);
                assertEquals(bits(refRelu[o]), bits(fused2[o]), "relu output " + o);
                assertEquals(bits(Math.max(ref[o], 0f)), bits(fused[o]),
                        "relu output " + o);
            }
        }
    }

    /** The general loop's rule: scan row by row, a later element wins if greater, or NaN when the best is not. */
    private static void reference(float[] x, int planes, int h, int w, float[] out, int[] arg) {
        int o = 0;
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < h / 2; y++) {
                for (int xo = 0; xo < w / 2; xo++, o++) {
                    int corner = p * h * w + 2 * y * w + 2 * xo;
                    int best = corner;
                    for (int idx : new int[] {corner + 1, corner + w, corner + w + 1}) {
                        float v = x[idx];
                        float b = x[best];
                        if (!Float.isNaN(b) && (v > b || Float.isNaN(v))) {
                            best = idx;
                        }
                    }
                    out[o] = x[best];
                    arg[o] = best;
                }
            }
        }
    }
}
