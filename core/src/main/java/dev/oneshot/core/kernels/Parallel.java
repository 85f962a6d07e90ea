package dev.oneshot.core.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntConsumer;

/**
 * The small shared thread pool used by the kernels. Work is split into a few independent
 * parts; the calling thread runs part 0 itself and the pool's daemon threads run the rest.
 *
 * <p>The thread count defaults to the number of available processors, can be set with the
 * system property {@code oneshot.threads} or else the environment variable
 * {@code ONESHOT_THREADS}, and changed at run time with {@link #setThreads}. The work split
 * depends only on the thread count, so the same count gives bit-identical results.
 */
final class Parallel {
    private static volatile int threads = defaultThreads();
    private static ForkJoinPool pool; // guarded by Parallel.class; created on first parallel call

    private Parallel() {
    }

    private static int defaultThreads() {
        int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
        String prop = System.getProperty("oneshot.threads");
        if (prop != null && !prop.isBlank()) {
            return parseThreads("system property oneshot.threads", prop, cpus);
        }
        String env = System.getenv("ONESHOT_THREADS");
        if (env != null && !env.isBlank()) {
            return parseThreads("environment variable ONESHOT_THREADS", env, cpus);
        }
        return cpus;
    }

    /** A positive integer, or the processor count with a warning naming the bad setting. */
    static int parseThreads(String source, String value, int fallback) {
        try {
            int t = Integer.parseInt(value.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println("oneshot: " + source + " must be a positive integer, got \"" + value
                + "\"; using " + fallback + " threads (the available processors)");
        return fallback;
    }

    static int threads() {
        return threads;
    }

    static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        threads = n;
    }

    private static synchronized ForkJoinPool pool(int workers) {
        if (pool == null || pool.getParallelism() < workers) {
            ForkJoinPool old = pool;
            pool = new ForkJoinPool(workers, p -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setName("oneshot-kernel-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);
            if (old != null) {
                old.shutdown(); // lets running tasks finish
            }
        }
        return pool;
    }

    /** Runs {@code body.accept(part)} for part = 0..parts-1, in parallel, and waits for all. */
    static void run(int parts, IntConsumer body) {
        if (parts <= 1) {
            body.accept(0);
            return;
        }
        ForkJoinPool p = pool(parts - 1);
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int part = t;
            tasks[t - 1] = p.submit(() -> body.accept(part));
        }
        RuntimeException error = null;
        try {
            body.accept(0);
        } catch (RuntimeException e) {
            error = e;
        }
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (RuntimeException e) {
                if (error == null) {
                    error = e;
                }
            }
        }
        if (error != null) {
            throw error;
        }
    }
}
