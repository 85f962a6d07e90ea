package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling 2×2, stride 2, with the JDK Vector API: 16 outputs of a plane at a time, the four
 * window elements gathered through a table of window corners. Bit for bit the scalar
 * {@link Pooling} result: the window (a b / c d) is scanned a, b, c, d and a later v replaces
 * the best only if {@code !(v <= best) && best == best} (greater, or NaN over a number; −0 and
 * +0 tie and the first stays), lane by lane; the arg-max follows the same masks. With the ReLU
 * folded in, lanes with best &lt;= 0 are set to +0 (as {@code Math.max(best, 0f)}). Loaded by
 * {@link VectorSupport#load} only when {@code jdk.incubator.vector} is present.
 */
final class VectorPooling implements Pooling.Pool2x2 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int VL = F.length();
    private static final ThreadLocal<Corners> CORNERS = ThreadLocal.withInitial(Corners::new);

    /** This thread's table of window corners: corner[y·OW + x] = 2y·W + 2x, rebuilt when the plane size changes. */
    private static final class Corners {
        private int height = -1;
        private int width = -1;
        private int[] at = new int[0];

        int[] of(int h, int w) {
            if (h != height || w != width) {
                int oh = h / 2;
                int ow = w / 2;
                if (at.length < oh * ow) {
                    at = new int[oh * ow];
                }
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        at[y * ow + xo] = 2 * y * w + 2 * xo;
                    }
                }
                height = h;
                width = w;
            }
            return at;
        }
    }

    @Override
    public void max2x2(float[] x, int xFrom, int planes, int height, int width, float[] out, int outFrom,
                       int[] argmax, int argShift, boolean relu) {
        int oh = height / 2;
        int ow = width / 2;
        int per = oh * ow;
        int hw = height * width;
        int[] corner = CORNERS.get().of(height, width);
        int full = VL == I.length() ? per - per % VL : 0;
        int o = outFrom;
        for (int plane = 0; plane < planes; plane++) {
            int base = xFrom + plane * hw;
            for (int g = 0; g < full; g += VL, o += VL) {
                group(x, base, width, corner, g, out, argmax, o, argShift, relu, null, null, null);
            }
            for (int g = full; g < per; g++, o++) {
                int i0 = base + corner[g];
                int at = i0;
                float best = x[i0];
                float v = x[i0 + 1];
                if (!(v <= best) && best == best) {
                    at = i0 + 1;
                    best = v;
                }
                v = x[i0 + width];
                if (!(v <= best) && best == best) {
                    at = i0 + width;
                    best = v;
                }
                v = x[i0 + width + 1];
                if (!(v <= best) && best == best) {
                    at = i0 + width + 1;
                    best = v;
                }
                out[o] = relu ? Math.max(best, 0f) : best;
                if (argmax != null) {
                    argmax[o] = at + argShift;
                }
            }
        }
    }

    @Override
    public void affineReluMax2x2(float[] x, int xFrom, int height, int width, float mu, float a, float b,
                                 float[] out, int outFrom, int[] argmax) {
        int per = (height / 2) * (width / 2);
        int full = VL == I.length() ? per - per % VL : 0;
        int[] corner = CORNERS.get().of(height, width);
        FloatVector m = FloatVector.broadcast(F, mu);
        FloatVector s = FloatVector.broadcast(F, a);
        FloatVector t = FloatVector.broadcast(F, b);
        for (int g = 0; g < full; g += VL) {
            group(x, xFrom, width, corner, g, out, argmax, outFrom + g, 0, true, m, s, t);
        }
        Pooling.affineReluMax2x2(x, xFrom, height, width, mu, a, b, out, outFrom, argmax, full, per);
    }

    @Override
    public void reluMaxOfQuarters(float[] y, int from, int windows, int stride, float bias, float[] out, int o,
                                  int[] argmax, int[] corner, int argBase, int width) {
        if (VL != I.length() || windows < VL) {
            Pooling.reluMaxOfQuarters(y, from, 0, windows, stride, bias, out, o, argmax, corner, argBase, width);
            return;
        }
        FloatVector b = FloatVector.broadcast(F, bias);
        // the last step starts at windows − VL: it redoes a few windows, with the same results
        for (int step = 0; step < windows; step += VL) {
            int w = Math.min(step, windows - VL);
            int i = from + w;
            FloatVector best = FloatVector.fromArray(F, y, i).add(b);
            FloatVector v = FloatVector.fromArray(F, y, i + stride).add(b);
            VectorMask<Float> m1 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
            best = best.blend(v, m1);
            v = FloatVector.fromArray(F, y, i + 2 * stride).add(b);
            VectorMask<Float> m2 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
            best = best.blend(v, m2);
            v = FloatVector.fromArray(F, y, i + 3 * stride).add(b);
            VectorMask<Float> m3 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
            best = best.blend(v, m3);
            best.blend(0f, best.compare(VectorOperators.LE, 0f)).intoArray(out, o + w); // Math.max(best, 0f)
            if (argmax != null) {
                IntVector i0 = IntVector.fromArray(I, corner, w).add(argBase);
                IntVector at = i0.blend(i0.add(1), m1.cast(I));
                at = at.blend(i0.add(width), m2.cast(I));
                at = at.blend(i0.add(width + 1), m3.cast(I));
                at.intoArray(argmax, o + w);
            }
        }
    }

    /**
     * Outputs o..o+VL of one plane: corners corner[g..g+VL) from x[base]; arg-max shifted by
     * argShift. With mu not null, the window's elements are the affine map (x − mu)·a + b.
     */
    private static void group(float[] x, int base, int width, int[] corner, int g, float[] out, int[] argmax, int o,
                              int argShift, boolean relu, FloatVector mu, FloatVector a, FloatVector b) {
        FloatVector best = load(x, base, corner, g, mu, a, b);
        FloatVector v = load(x, base + 1, corner, g, mu, a, b);
        VectorMask<Float> m1 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
        best = best.blend(v, m1);
        v = load(x, base + width, corner, g, mu, a, b);
        VectorMask<Float> m2 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
        best = best.blend(v, m2);
        v = load(x, base + width + 1, corner, g, mu, a, b);
        VectorMask<Float> m3 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
        best = best.blend(v, m3);
        if (relu) { // +0 where best <= 0 (−0 included), NaN and positives kept: Math.max(best, 0f)
            best.blend(0f, best.compare(VectorOperators.LE, 0f)).intoArray(out, o);
        } else {
            best.intoArray(out, o);
        }
        if (argmax != null) {
            IntVector i0 = IntVector.fromArray(I, corner, g).add(base + argShift);
            IntVector at = i0.blend(i0.add(1), m1.cast(I));
            at = at.blend(i0.add(width), m2.cast(I));
            at = at.blend(i0.add(width + 1), m3.cast(I));
            at.intoArray(argmax, o);
        }
    }

    /** x[base + corner[g + l]] for the VL lanes l, mapped to (x − mu)·a + b when mu is not null. */
    private static FloatVector load(float[] x, int base, int[] corner, int g, FloatVector mu, FloatVector a,
                                    FloatVector b) {
        FloatVector v = FloatVector.fromArray(F, x, base, corner, g);
        return mu == null ? v : v.sub(mu).mul(a).add(b);
    }
}
