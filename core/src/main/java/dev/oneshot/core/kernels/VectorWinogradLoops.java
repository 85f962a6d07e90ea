package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WinogradLoops} with the Vector API: a vector of consecutive tiles at a time, the same
 * operations in the same order as {@link WinogradLoops#SCALAR}, so both give the same bits. A
 * loop that writes other arrays than it reads ends a run with a vector that ends at the run's
 * end (its first lanes computed again, to the same values); the in-place loops finish a run on
 * the scalar loop, as does any loop a run shorter than a vector. Loaded by
 * {@link VectorSupport#load}.
 */
final class VectorWinogradLoops implements WinogradLoops {
    private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
    private static final int VL = S.length();

    /** LANES[w]: the first w lanes, for rows of w &lt; VL floats loaded in one vector (the rest zero). */
    private static final VectorMask<Float>[] LANES = lanes();

    /**
     * COLUMNS[w][j] for a row of width w &lt; VL loaded under LANES[w]: lane k takes column 2k − 1 + j
     * (j = 0 … 3: a tile's four input columns), or the last lane — zero, as no row fills it — where that
     * column lies outside the row.
     */
    private static final VectorShuffle<Float>[][] COLUMNS = columns();

    /**
     * For a row of width w, VL ≤ w &lt; 2·VL, loaded as two vectors (the second under LANES[w − VL]):
     * lane k of column j (2k − 1 + j) comes from the first vector at FIRST[w − VL][j] where
     * IN_FIRST[j] marks it, else from the second at SECOND[w − VL][j] — the second's last lane
     * (zero) where the column lies outside the row. AVX2's 8 lanes hold a 14-wide row this way.
     */
    private static final VectorShuffle<Float>[][] FIRST = pairColumns(true);
    private static final VectorShuffle<Float>[][] SECOND = pairColumns(false);
    private static final VectorMask<Float>[] IN_FIRST = inFirst();

    /**
     * Whether the row loops' masked loads and blends compile to vector instructions: with 512-bit
     * vectors (AVX-512's mask registers) and, on narrower ones, on JDK 17. JDK 25 with 8-lane
     * vectors (AVX2) runs both as the Vector API's Java stand-in, which allocates (95 MB per Conv-4
     * step on a Zen 3 core) at several times the scalar loop's time, so there the rows take the
     * scalar loops. JDK 18 to 24 were not measured and are treated as JDK 25.
     */
    private static final boolean MASKED_ROWS = VL >= 16 || Runtime.version().feature() == 17;

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] lanes() {
        VectorMask<Float>[] lanes = new VectorMask[VL];
        for (int w = 0; w < VL; w++) {
            lanes[w] = VectorMask.fromLong(S, (1L << w) - 1);
        }
        return lanes;
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[][] columns() {
        VectorShuffle<Float>[][] columns = new VectorShuffle[VL][4];
        for (int w = 0; w < VL; w++) {
            for (int j = 0; j < 4; j++) {
                int shift = j - 1;
                int width = w;
                columns[w][j] = VectorShuffle.fromOp(S, k -> {
                    int col = 2 * k + shift;
                    return col >= 0 && col < width ? col : VL - 1;
                });
            }
        }
        return columns;
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[][] pairColumns(boolean first) {
        VectorShuffle<Float>[][] columns = new VectorShuffle[VL][4];
        for (int w = VL; w < 2 * VL; w++) {
            for (int j = 0; j < 4; j++) {
                int shift = j - 1;
                int width = w;
                columns[w - VL][j] = VectorShuffle.fromOp(S, k -> {
                    int col = 2 * k + shift;
                    if (first) {
                        return col >= 0 && col < VL ? col : 0;
                    }
                    return col >= VL && col < width ? col - VL : VL - 1;
                });
            }
        }
        return columns;
    }

    /** IN_FIRST[j]: the lanes k whose column 2k − 1 + j lies in the first vector (whatever the width). */
    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] inFirst() {
        VectorMask<Float>[] masks = new VectorMask[4];
        for (int j = 0; j < 4; j++) {
            boolean[] bits = new boolean[VL];
            for (int k = 0; k < VL; k++) {
                int col = 2 * k + j - 1;
                bits[k] = col >= 0 && col < VL;
            }
            masks[j] = VectorMask.fromArray(S, bits, 0);
        }
        return masks;
    }

    /** Whether a row of wd floats at x[row …] fills one vector and part of a second, with room for both. */
    private static boolean twoVectors(float[] x, int row, int wd) {
        return MASKED_ROWS && wd >= VL && wd < 2 * VL && row + 2 * VL <= x.length;
    }

    /** Column j (lane k: 2k − 1 + j, zero outside) of a row held as {@code first} and {@code second}. */
    private static FloatVector column(FloatVector first, FloatVector second, int wd, int j) {
        int w = wd - VL;
        return second.rearrange(SECOND[w][j]).blend(first.rearrange(FIRST[w][j]), IN_FIRST[j]);
    }

    /** The second vector of a row of wd (VL ≤ wd &lt; 2·VL) floats: its first wd − VL lanes, the rest zero. */
    private static FloatVector secondHalf(float[] x, int row, int wd) {
        return FloatVector.fromArray(S, x, row + VL, LANES[wd - VL]);
    }

    /** Whether a row of wd floats at x[row …] fits one vector, with a whole vector's room in the array. */
    private static boolean oneVector(float[] x, int row, int wd) {
        return MASKED_ROWS && wd < VL && row + VL <= x.length;
    }

    /**
     * A row of wd &lt; VL floats in one vector: under LANES[wd], the lanes beyond zero (the
     * load reads a whole vector and keeps wd lanes).
     */
    private static FloatVector row(float[] x, int row, int wd) {
        return FloatVector.fromArray(S, x, row, LANES[wd]);
    }

    @Override
    public void inputRow(float[] x, int row, int wd, int pw, float[] r0, float[] r1, float[] r2, float[] r3,
                         int at) {
        if (twoVectors(x, row, wd)) {
            FloatVector first = FloatVector.fromArray(S, x, row);
            FloatVector second = secondHalf(x, row, wd);
            FloatVector e0 = column(first, second, wd, 0);
            FloatVector e1 = column(first, second, wd, 1);
            FloatVector e2 = column(first, second, wd, 2);
            FloatVector e3 = column(first, second, wd, 3);
            e0.sub(e2).intoArray(r0, at);
            e1.add(e2).intoArray(r1, at);
            e2.sub(e1).intoArray(r2, at);
            e1.sub(e3).intoArray(r3, at);
            return;
        }
        if (!oneVector(x, row, wd)) {
            SCALAR.inputRow(x, row, wd, pw, r0, r1, r2, r3, at);
            return;
        }
        // the stride-2 reads as lane shuffles of the row: e_j = column 2k − 1 + j for tile k
        FloatVector d = row(x, row, wd);
        VectorShuffle<Float>[] columns = COLUMNS[wd];
        FloatVector e0 = d.rearrange(columns[0]);
        FloatVector e1 = d.rearrange(columns[1]);
        FloatVector e2 = d.rearrange(columns[2]);
        FloatVector e3 = d.rearrange(columns[3]);
        e0.sub(e2).intoArray(r0, at);
        e1.add(e2).intoArray(r1, at);
        e2.sub(e1).intoArray(r2, at);
        e1.sub(e3).intoArray(r3, at);
    }

    @Override
    public void gradientRow(float[] gy, int top, int wd, int tw, boolean below, float[] ps, float[] qs, float[] rs,
                            float[] ss, int t) {
        if (twoVectors(gy, below ? top + wd : top, wd)) {
            FloatVector first = FloatVector.fromArray(S, gy, top);
            FloatVector second = secondHalf(gy, top, wd);
            column(first, second, wd, 1).intoArray(ps, t);
            column(first, second, wd, 2).intoArray(qs, t);
            if (below) {
                first = FloatVector.fromArray(S, gy, top + wd);
                second = secondHalf(gy, top + wd, wd);
                column(first, second, wd, 1).intoArray(rs, t);
                column(first, second, wd, 2).intoArray(ss, t);
            } else {
                FloatVector zero = FloatVector.zero(S);
                zero.intoArray(rs, t);
                zero.intoArray(ss, t);
            }
            return;
        }
        if (!oneVector(gy, below ? top + wd : top, wd)) {
            SCALAR.gradientRow(gy, top, wd, tw, below, ps, qs, rs, ss, t);
            return;
        }
        // columns 2k and 2k + 1 of each row are shuffles 1 and 2 (zero beyond the row)
        VectorShuffle<Float>[] columns = COLUMNS[wd];
        FloatVector upper = row(gy, top, wd);
        upper.rearrange(columns[1]).intoArray(ps, t);
        upper.rearrange(columns[2]).intoArray(qs, t);
        FloatVector lower = below ? row(gy, top + wd, wd) : FloatVector.zero(S);
        lower.rearrange(columns[1]).intoArray(rs, t);
        lower.rearrange(columns[2]).intoArray(ss, t);
    }

    @Override
    public void inputColumns(float[] a0, float[] a1, int shift, float[] v, int o, int plane, int from, int to) {
        if (to - from < VL) {
            SCALAR.inputColumns(a0, a1, shift, v, o, plane, from, to);
            return;
        }
        for (int next = from; next < to; next += VL) {
            int k = Math.min(next, to - VL); // the last vector ends at the run's end: its first lanes again, alike
            FloatVector x0 = FloatVector.fromArray(S, a0, k);
            FloatVector x1 = FloatVector.fromArray(S, a1, k);
            FloatVector x2 = FloatVector.fromArray(S, a0, k + shift);
            FloatVector x3 = FloatVector.fromArray(S, a1, k + shift);
            x0.sub(x2).intoArray(v, o + k);
            x1.add(x2).intoArray(v, o + 4 * plane + k);
            x2.sub(x1).intoArray(v, o + 8 * plane + k);
            x1.sub(x3).intoArray(v, o + 12 * plane + k);
        }
    }

    @Override
    public void gradientPlanes(float[] ps, float[] qs, float[] rs, float[] ss, float[] m, int o, int plane,
                               int from, int to) {
        if (to - from < VL) {
            SCALAR.gradientPlanes(ps, qs, rs, ss, m, o, plane, from, to);
            return;
        }
        for (int next = from; next < to; next += VL) {
            int k = Math.min(next, to - VL); // the last vector ends at the run's end: its first lanes again, alike
            FloatVector p = FloatVector.fromArray(S, ps, k);
            FloatVector q = FloatVector.fromArray(S, qs, k);
            FloatVector r = FloatVector.fromArray(S, rs, k);
            FloatVector s = FloatVector.fromArray(S, ss, k);
            int at = o + k;
            p.intoArray(m, at);
            p.add(q).intoArray(m, plane + at);
            p.sub(q).intoArray(m, 2 * plane + at);
            q.neg().intoArray(m, 3 * plane + at);
            FloatVector a1 = p.add(r);
            FloatVector b1 = q.add(s);
            a1.intoArray(m, 4 * plane + at);
            a1.add(b1).intoArray(m, 5 * plane + at);
            a1.sub(b1).intoArray(m, 6 * plane + at);
            b1.neg().intoArray(m, 7 * plane + at);
            FloatVector a2 = p.sub(r);
            FloatVector b2 = q.sub(s);
            a2.intoArray(m, 8 * plane + at);
            a2.add(b2).intoArray(m, 9 * plane + at);
            a2.sub(b2).intoArray(m, 10 * plane + at);
            b2.neg().intoArray(m, 11 * plane + at);
            FloatVector nr = r.neg();
            nr.intoArray(m, 12 * plane + at);
            nr.sub(s).intoArray(m, 13 * plane + at);
            nr.add(s).intoArray(m, 14 * plane + at);
            s.intoArray(m, 15 * plane + at);
        }
    }

    @Override
    public void outputTiles(float[] m, int o, int plane, float bias, float[] y, int stride, int from, int to) {
        if (to - from < VL) {
            SCALAR.outputTiles(m, o, plane, bias, y, stride, from, to);
            return;
        }
        for (int next = from; next < to; next += VL) {
            int k = Math.min(next, to - VL); // the last vector ends at the run's end: its first lanes again, alike
            int q = o + k;
            FloatVector m4 = FloatVector.fromArray(S, m, 4 * plane + q);
            FloatVector m5 = FloatVector.fromArray(S, m, 5 * plane + q);
            FloatVector m6 = FloatVector.fromArray(S, m, 6 * plane + q);
            FloatVector m7 = FloatVector.fromArray(S, m, 7 * plane + q);
            FloatVector m8 = FloatVector.fromArray(S, m, 8 * plane + q);
            FloatVector m9 = FloatVector.fromArray(S, m, 9 * plane + q);
            FloatVector m10 = FloatVector.fromArray(S, m, 10 * plane + q);
            FloatVector m11 = FloatVector.fromArray(S, m, 11 * plane + q);
            FloatVector s00 = FloatVector.fromArray(S, m, q).add(m4).add(m8);
            FloatVector s01 = FloatVector.fromArray(S, m, plane + q).add(m5).add(m9);
            FloatVector s02 = FloatVector.fromArray(S, m, 2 * plane + q).add(m6).add(m10);
            FloatVector s03 = FloatVector.fromArray(S, m, 3 * plane + q).add(m7).add(m11);
            FloatVector s10 = m4.sub(m8).sub(FloatVector.fromArray(S, m, 12 * plane + q));
            FloatVector s11 = m5.sub(m9).sub(FloatVector.fromArray(S, m, 13 * plane + q));
            FloatVector s12 = m6.sub(m10).sub(FloatVector.fromArray(S, m, 14 * plane + q));
            FloatVector s13 = m7.sub(m11).sub(FloatVector.fromArray(S, m, 15 * plane + q));
            s00.add(s01).add(s02).add(bias).intoArray(y, k);
            s01.sub(s02).sub(s03).add(bias).intoArray(y, stride + k);
            s10.add(s11).add(s12).add(bias).intoArray(y, 2 * stride + k);
            s11.sub(s12).sub(s13).add(bias).intoArray(y, 3 * stride + k);
        }
    }

    @Override
    public void poolTiles(float[] y, int stride, float a, float c, float[] out, int dst, int from, int to) {
        if (to - from < VL) {
            SCALAR.poolTiles(y, stride, a, c, out, dst, from, to);
            return;
        }
        for (int next = from; next < to; next += VL) {
            int k = Math.min(next, to - VL); // the last vector ends at the run's end: its first lanes again, alike
            FloatVector p00 = FloatVector.fromArray(S, y, k).mul(a).add(c);
            FloatVector p01 = FloatVector.fromArray(S, y, stride + k).mul(a).add(c);
            FloatVector p10 = FloatVector.fromArray(S, y, 2 * stride + k).mul(a).add(c);
            FloatVector p11 = FloatVector.fromArray(S, y, 3 * stride + k).mul(a).add(c);
            p00.max(p01).max(p10.max(p11)).max(0f).intoArray(out, dst + k);
        }
    }

    @Override
    public void scatterColumns(float[] v, int o, int plane, float[] even, float[] odd, float[] two, float[] three,
                               int from, int to) {
        if (to - from < VL) {
            SCALAR.scatterColumns(v, o, plane, even, odd, two, three, from, to);
            return;
        }
        for (int next = from; next < to; next += VL) {
            int k = Math.min(next, to - VL); // the last vector ends at the run's end: its first lanes again, alike
            FloatVector v0 = FloatVector.fromArray(S, v, o + k);
            FloatVector v1 = FloatVector.fromArray(S, v, o + 4 * plane + k);
            FloatVector v2 = FloatVector.fromArray(S, v, o + 8 * plane + k);
            FloatVector v3 = FloatVector.fromArray(S, v, o + 12 * plane + k);
            v0.intoArray(even, k);
            v1.sub(v2).add(v3).intoArray(odd, k);
            v1.add(v2).sub(v0).intoArray(two, k);
            v3.neg().intoArray(three, k);
        }
    }

    @Override
    public void rowsInPlace(float[] l0, float[] l1, float[] l2, float[] l3, int from, int to) {
        int k = from;
        for (; k + VL <= to; k += VL) {
            FloatVector a0 = FloatVector.fromArray(S, l0, k);
            FloatVector a1 = FloatVector.fromArray(S, l1, k);
            FloatVector a2 = FloatVector.fromArray(S, l2, k);
            FloatVector a3 = FloatVector.fromArray(S, l3, k);
            a1.sub(a2).add(a3).intoArray(l1, k);
            a1.add(a2).sub(a0).intoArray(l2, k);
            a3.neg().intoArray(l3, k);
        }
        SCALAR.rowsInPlace(l0, l1, l2, l3, k, to);
    }

    @Override
    public void addShifted(float[] dst, int shift, float[] src, int from, int to) {
        int k = from;
        for (; k + VL <= to; k += VL) {
            FloatVector.fromArray(S, dst, k + shift).add(FloatVector.fromArray(S, src, k)).intoArray(dst, k + shift);
        }
        SCALAR.addShifted(dst, shift, src, k, to);
    }
}
