package dev.oneshot.core.kernels;

/**
 * Element-by-element loops over large arrays, split between the kernel threads
 * ({@link Parallel}) in contiguous ranges. Every element is computed by exactly one thread,
 * from its own inputs only, so the results are bitwise the same for any thread count.
 *
 * <pre>  relu:          y = max(x, 0)                     (Math.max: relu(NaN) = NaN)
 *   reluBackward:  ∂L/∂x += ∂L/∂y · (x &gt; 0 ? 1 : 0)   (the mask without a branch, see reluSlope;
 *                  or ∂L/∂x = 0 + ... into a fresh buffer)
 *   zero:          a = 0</pre>
 */
public final class Elementwise {
    /** Below this many elements the work stays on the calling thread. */
    static final int PARALLEL_MIN = 1 << 15;

    /** Parts per thread: a few, so that a thread that finishes early (or starts late) takes more. */
    static final int PARTS_PER_THREAD = 4;

    /** Ranges start on multiples of this many floats (a 64-byte cache line), so no line is shared. */
    private static final int ALIGN = 16;

    private Elementwise() {
    }

    /** A loop over the elements [from, to). */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * y[i] = max(x[i], 0) for every i.
     *
     * @param x the input; not modified
     * @param y same length; modified (every entry written)
     */
    public static void relu(float[] x, float[] y) {
        split(x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        });
    }

    /**
     * gx[i] += gy[i] · (x[i] &gt; 0 ? 1 : 0) for every i: the ReLU input gradient.
     *
     * @param x  the ReLU's input; not modified
     * @param gy ∂L/∂y; not modified
     * @param gx ∂L/∂x; accumulated into
     */
    public static void reluBackward(float[] x, float[] gy, float[] gx) {
        split(x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                gx[i] += gy[i] * reluSlope(x[i]);
            }
        });
    }

    /**
     * gx[i] = 0 + gy[i] · (x[i] &gt; 0 ? 1 : 0): {@link #reluBackward} into a gradient buffer of
     * undefined contents, bit for bit what accumulating into zeros gives (0 + (−0) = +0).
     */
    public static void reluBackwardOverwrite(float[] x, float[] gy, float[] gx) {
        split(x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                gx[i] = 0f + gy[i] * reluSlope(x[i]);
            }
        });
    }

    /** a[i] = 0 for every i. */
    public static void zero(float[] a) {
        split(a.length, (from, to) -> java.util.Arrays.fill(a, from, to, 0f));
    }

    /**
     * 1f if x &gt; 0 (x not NaN), else 0f, from x's bits with integer arithmetic only: the branch
     * {@code x > 0f ? 1f : 0f} is taken at random on activations, and its mispredictions cost
     * more than the whole rest of the backward loop. x &gt; 0 exactly when its bits, read as an
     * int, lie in [1, 0x7f800000] (+tiny .. +∞; negatives have the sign bit set, NaNs lie above).
     */
    static float reluSlope(float x) {
        int t = Float.floatToRawIntBits(x) - 1;               // x > 0  ⇔  0 ≤ t < 0x7f800000
        int mask = ~(t >> 31) & ((t - 0x7f800000) >> 31);     // all ones exactly then
        return Float.intBitsToFloat(mask & 0x3f800000);       // 1f or 0f
    }

    /** Runs {@code body} over [0, length) in a few ranges per thread (one range when small). */
    static void split(int length, Range body) {
        int threads = Parallel.threads();
        int parts = length < PARALLEL_MIN || threads < 2 ? 1 : PARTS_PER_THREAD * threads;
        if (parts < 2) {
            body.run(0, length);
            return;
        }
        int chunk = ((length + parts - 1) / parts + ALIGN - 1) / ALIGN * ALIGN;
        Parallel.run(parts, part -> body.run(Math.min(length, part * chunk), Math.min(length, (part + 1) * chunk)));
    }
}
