package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling 2×2, stride 2, with the JDK Vector API: 16 windows of an output row at a time,
 * from two contiguous loads of each of the two input rows, split into the windows' left and
 * right elements by two shuffles (no gathers). Bit for bit the scalar
 * {@link Pooling} result: the window (a b / c d) is scanned a, b, c, d and a later v replaces
 * the best only if {@code !(v <= best) && best == best} (greater, or NaN over a number; −0 and
 * +0 tie and the first stays), lane by lane; the arg-max follows the same masks. With the ReLU
 * folded in, lanes with best &lt;= 0 are set to +0 (as {@code Math.max(best, 0f)}). Loaded by
 * {@link VectorSupport#load} only when {@code jdk.incubator.vector} is present.
 */
final class VectorPooling implements Pooling.Pool2x2 {
    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
    private static final VectorSpecies<Integer> I = KernelSpecies.INT;
    private static final int VL = F.length();
    /** 0, 2, 4, …: the window corners of VL consecutive windows of a row, from the first. */
    private static final int[] EVEN_OFFSETS = new int[VL];
    /**
     * Lane l takes element 2l (EVEN) or 2l + 1 (ODD) of two consecutive vectors lo, hi of a row:
     * lane (2l mod VL) of lo in the first half of the lanes, of hi in the lanes SECOND_HALF marks.
     */
    private static final VectorShuffle<Float> EVEN;
    private static final VectorShuffle<Float> ODD;
    private static final VectorMask<Float> SECOND_HALF;

    static {
        int[] even = new int[VL];
        int[] odd = new int[VL];
        boolean[] second = new boolean[VL];
        for (int l = 0; l < VL; l++) {
            EVEN_OFFSETS[l] = 2 * l;
            even[l] = (2 * l) % VL;
            odd[l] = (2 * l + 1) % VL;
            second[l] = 2 * l >= VL;
        }
        EVEN = VectorShuffle.fromArray(F, even, 0);
        ODD = VectorShuffle.fromArray(F, odd, 0);
        SECOND_HALF = VectorMask.fromArray(F, second, 0);
    }

    /** The even (or odd) elements of the 2·VL floats lo, hi. */
    private static FloatVector pick(FloatVector lo, FloatVector hi, VectorShuffle<Float> which) {
        return lo.rearrange(which).blend(hi.rearrange(which), SECOND_HALF);
    }

    /** Per thread: one run's outputs and arg-max, for a run that ends past its plane. */
    private static final class Tile {
        final float[] out = new float[VL];
        final int[] argmax = new int[VL];
    }

    private static final ThreadLocal<Tile> TILE = ThreadLocal.withInitial(Tile::new);

    @Override
    public void max2x2(float[] x, int xFrom, int planes, int height, int width, float[] out, int outFrom,
                       int[] argmax, int argShift, boolean relu) {
        pool(x, xFrom, planes, height, width, out, outFrom, argmax, argShift, relu, false, 0f, 1f, 0f);
    }

    @Override
    public void affineReluMax2x2(float[] x, int xFrom, int height, int width, float mu, float a, float b,
                                 float[] out, int outFrom, int[] argmax) {
        pool(x, xFrom, 1, height, width, out, outFrom, argmax, 0, true, true, mu, a, b);
    }

    /**
     * Both entry points: output row by output row, VL windows at a time from two contiguous
     * loads per input row (split into the windows' left and right elements by two shuffles).
     * A run past a row's end stores a few stray values into the next row's places, which that
     * row (done later, by this thread) overwrites; a run that would store past the plane's last
     * output goes through a scratch tile; one that would read past x's end, to the scalar loop.
     */
    private static void pool(float[] x, int xFrom, int planes, int height, int width, float[] out, int outFrom,
                             int[] argmax, int argShift, boolean relu, boolean affine, float mu, float a, float b) {
        int oh = height / 2;
        int ow = width / 2;
        int per = oh * ow;
        int hw = height * width;
        boolean vector = VL == I.length() && VL >= 4;
        Tile tile = TILE.get();
        for (int plane = 0; plane < planes; plane++) {
            int base = xFrom + plane * hw;
            int first = outFrom + plane * per;
            for (int y = 0; y < oh; y++) {
                int r0 = base + 2 * y * width;
                for (int w0 = 0; w0 < ow; w0 += VL) {
                    int o = first + y * ow + w0;
                    if (vector && r0 + width + 2 * w0 + 2 * VL <= x.length) {
                        if (o + VL <= first + per) {
                            run(x, r0 + 2 * w0, width, out, o, argmax, argShift, relu, affine, mu, a, b);
                        } else { // the plane's last run: into a scratch tile, then only its windows copied
                            int count = Math.min(VL, ow - w0);
                            run(x, r0 + 2 * w0, width, tile.out, 0, argmax == null ? null : tile.argmax, argShift,
                                    relu, affine, mu, a, b);
                            System.arraycopy(tile.out, 0, out, o, count);
                            if (argmax != null) {
                                System.arraycopy(tile.argmax, 0, argmax, o, count);
                            }
                        }
                    } else {
                        scalar(x, r0 + 2 * w0, Math.min(VL, ow - w0), width, out, o, argmax, argShift, relu, affine,
                                mu, a, b);
                    }
                }
            }
        }
    }

    /** VL windows whose top-left elements are x[i], x[i + 2], …; outputs from out[o]. */
    private static void run(float[] x, int i, int width, float[] out, int o, int[] argmax, int argShift,
                            boolean relu, boolean affine, float mu, float a, float b) {
        FloatVector vm = FloatVector.broadcast(F, mu);
        FloatVector va = FloatVector.broadcast(F, a);
        FloatVector vb = FloatVector.broadcast(F, b);
        FloatVector lo = FloatVector.fromArray(F, x, i);
        FloatVector hi = FloatVector.fromArray(F, x, i + VL);
        FloatVector best = map(pick(lo, hi, EVEN), affine, vm, va, vb);
        FloatVector v = map(pick(lo, hi, ODD), affine, vm, va, vb);
        VectorMask<Float> m1 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
        best = best.blend(v, m1);
        lo = FloatVector.fromArray(F, x, i + width);
        hi = FloatVector.fromArray(F, x, i + width + VL);
        v = map(pick(lo, hi, EVEN), affine, vm, va, vb);
        VectorMask<Float> m2 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
        best = best.blend(v, m2);
        v = map(pick(lo, hi, ODD), affine, vm, va, vb);
        VectorMask<Float> m3 = v.compare(VectorOperators.LE, best).not().and(best.compare(VectorOperators.EQ, best));
        best = best.blend(v, m3);
        if (relu) { // +0 where best <= 0 (−0 included), NaN and positives kept: Math.max(best, 0f)
            best.blend(0f, best.compare(VectorOperators.LE, 0f)).intoArray(out, o);
        } else {
            best.intoArray(out, o);
        }
        if (argmax != null) {
            IntVector i0 = IntVector.fromArray(I, EVEN_OFFSETS, 0).add(i + argShift);
            IntVector at = i0.blend(i0.add(1), m1.cast(I));
            at = at.blend(i0.add(width), m2.cast(I));
            at = at.blend(i0.add(width + 1), m3.cast(I));
            at.intoArray(argmax, o);
        }
    }

    /**
     * (v − mu)·a + b when {@code affine}, else v. {@link #run} takes the scalars as floats and
     * broadcasts them itself: a vector passed to a method the JIT does not inline is boxed.
     */
    private static FloatVector map(FloatVector v, boolean affine, FloatVector mu, FloatVector a, FloatVector b) {
        return affine ? v.sub(mu).mul(a).add(b) : v;
    }

    /** {@code count} windows of a row as {@link #run} computes them, one at a time. */
    private static void scalar(float[] x, int i, int count, int width, float[] out, int o, int[] argmax,
                               int argShift, boolean relu, boolean affine, float mu, float a, float b) {
        for (int w = 0; w < count; w++) {
            int i0 = i + 2 * w;
            int at = i0;
            float best = affine ? (x[i0] - mu) * a + b : x[i0];
            for (int e = 1; e < 4; e++) {
                int k = i0 + (e & 1) + (e >> 1) * width;
                float v = affine ? (x[k] - mu) * a + b : x[k];
                if (!(v <= best) && best == best) {
                    at = k;
                    best = v;
                }
            }
            out[o + w] = relu ? Math.max(best, 0f) : best;
            if (argmax != null) {
                argmax[o + w] = at + argShift;
            }
        }
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
}
