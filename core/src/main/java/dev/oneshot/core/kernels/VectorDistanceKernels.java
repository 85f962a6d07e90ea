package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The squared-L2 gallery scan with the JDK Vector API, bit for bit the keys of
 * {@link DistanceKernels#squaredL2Bounded}: its canonical order has 16 partial sums, lane l summing
 * the elements t ≡ l (mod 16), so one 512-bit vector (or two 256-bit ones) of partial sums
 * follows it exactly: lane-wise subtract, multiply, add (each rounded, no fused multiply-add);
 * the tail (d mod 16 elements) goes to partial sum 0 and the 16 sums are combined by
 * {@link DistanceKernels#tree}. Loaded by {@link VectorSupport#load} only when
 * {@code jdk.incubator.vector} is present.
 */
final class VectorDistanceKernels implements DistanceKernels.ScanPath {
    private static final VectorSpecies<Float> S = KernelSpecies.FLOAT;
    private static final int VL = S.length();
    private static final int LANES = DistanceKernels.LANES;
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[LANES]);

    @Override
    public void scanSquaredL2(float[][] chunks, int[][] labels, int chunkRows, int from, int to, int dim,
                              float[] query, int qo, TopK top) {
        float[] sums = SUMS.get();
        int row = from;
        while (row < to) {
            int c = row / chunkRows;
            int r = row - c * chunkRows;
            int end = Math.min(to - c * chunkRows, chunkRows);
            float[] chunk = chunks[c];
            int[] lab = labels[c];
            for (; r < end; r++, row++) {
                float bound = top.bound();
                float key = VL == LANES ? bounded16(query, qo, chunk, r * dim, dim, bound, sums)
                        : DistanceKernels.squaredL2Bounded(query, qo, chunk, r * dim, dim, bound);
                if (!(key > bound)) { // also lets NaN through to offer, which ranks it last
                    top.offer(key, row, lab[r]);
                }
            }
        }
    }

    /**
     * {@link DistanceKernels#squaredL2Bounded} with one 16-lane vector of partial sums. The 64-element
     * step is written out (4 vectors) and this method is kept out of its caller's loop: inlined
     * into the row loop, C2 (JDK 17) left the vectors boxed, 850 bytes allocated per row.
     */
    private static float bounded16(float[] a, int ao, float[] b, int bo, int d, float bound, float[] sums) {
        FloatVector acc = FloatVector.zero(S);
        int d16 = d & -LANES;
        int t = 0;
        for (; t + DistanceKernels.CHECK_EVERY <= d16; t += DistanceKernels.CHECK_EVERY) {
            FloatVector x0 = FloatVector.fromArray(S, a, ao + t).sub(FloatVector.fromArray(S, b, bo + t));
            FloatVector x1 = FloatVector.fromArray(S, a, ao + t + 16).sub(FloatVector.fromArray(S, b, bo + t + 16));
            FloatVector x2 = FloatVector.fromArray(S, a, ao + t + 32).sub(FloatVector.fromArray(S, b, bo + t + 32));
            FloatVector x3 = FloatVector.fromArray(S, a, ao + t + 48).sub(FloatVector.fromArray(S, b, bo + t + 48));
            acc = acc.add(x0.mul(x0));
            acc = acc.add(x1.mul(x1));
            acc = acc.add(x2.mul(x2));
            acc = acc.add(x3.mul(x3));
            if (t + DistanceKernels.CHECK_EVERY < d) {
                acc.intoArray(sums, 0);
                float partial = tree(sums);
                if (partial > bound) {
                    return partial;
                }
            }
        }
        for (; t < d16; t += LANES) { // fewer than 64 elements left in whole vectors
            FloatVector x = FloatVector.fromArray(S, a, ao + t).sub(FloatVector.fromArray(S, b, bo + t));
            acc = acc.add(x.mul(x));
        }
        acc.intoArray(sums, 0);
        float s0 = sums[0];
        for (; t < d; t++) {
            float x = a[ao + t] - b[bo + t];
            s0 += x * x;
        }
        sums[0] = s0;
        return tree(sums);
    }

    @Override
    public float sum(float[] x) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i + 4 * VL <= x.length; i += 4 * VL) {
            s0 = s0.add(FloatVector.fromArray(S, x, i));
            s1 = s1.add(FloatVector.fromArray(S, x, i + VL));
            s2 = s2.add(FloatVector.fromArray(S, x, i + 2 * VL));
            s3 = s3.add(FloatVector.fromArray(S, x, i + 3 * VL));
        }
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < x.length; i++) {
            s += x[i];
        }
        return s;
    }

    private static float tree(float[] s) {
        return DistanceKernels.tree(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
                s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15]);
    }
}
