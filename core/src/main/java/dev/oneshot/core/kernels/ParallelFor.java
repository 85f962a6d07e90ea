package dev.oneshot.core.kernels;

import java.util.function.IntConsumer;

/**
 * Independent items on the kernels' threads ({@link Gemm#setThreads}): for code outside the
 * kernels whose work splits into items that share nothing — an augmentation warping each image
 * of a batch from draws made beforehand, in order. The items are split into contiguous ranges, a
 * few per thread; each item runs on one thread, so whatever it computes from its index alone is
 * the same for any thread count.
 */
public final class ParallelFor {
    private ParallelFor() {
    }

    /** body(i) for every i in [0, n), in no particular order and possibly at once; returns when all have run. */
    public static void range(int n, IntConsumer body) {
        int parts = Math.min(n, Elementwise.PARTS_PER_THREAD * Parallel.threads());
        if (parts <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        int chunk = (n + parts - 1) / parts;
        Parallel.run(parts, part -> {
            for (int i = part * chunk; i < Math.min(n, (part + 1) * chunk); i++) {
                body.accept(i);
            }
        });
    }
}
