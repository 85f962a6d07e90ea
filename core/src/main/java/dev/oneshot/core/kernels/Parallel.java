package dev.oneshot.core.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The small shared thread pool used by the kernels. Work is split into independent parts;
 * the calling thread and the pool's daemon threads claim them one by one (see {@link #run}).
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

    /**
     * Runs {@code body.accept(part)} for part = 0..parts-1, in parallel, and waits for all.
     * The calling thread and up to threads − 1 pool threads claim parts one at a time from a
     * shared counter until none are left, so a part may run on any of them: each part must
     * compute the same thing whichever thread runs it (the kernels' parts do: thread-local
     * scratch only). A caller whose helper is slow to start (a busy machine) runs the parts
     * itself instead of waiting, and more parts than threads even out uneven parts.
     */
    static void run(int parts, IntConsumer body) {
        if (parts <= 1) {
            if (parts == 1) {
                body.accept(0);
            }
            return;
        }
        int helpers = Math.min(parts, threads) - 1;
        if (helpers < 1) {
            for (int part = 0; part < parts; part++) {
                body.accept(part);
            }
            return;
        }
        Claim claim = new Claim(parts, body);
        ForkJoinPool p = pool(helpers);
        for (int t = 0; t < helpers; t++) {
            p.execute(claim);
        }
        claim.run();
        claim.await();
    }

    /** The parts of one {@link #run} call: a counter to claim them and a latch for their completion. */
    private static final class Claim implements Runnable {
        private final int parts;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> error = new AtomicReference<>();

        Claim(int parts, IntConsumer body) {
            this.parts = parts;
            this.body = body;
            this.done = new CountDownLatch(parts);
        }

        /** Runs parts until none are left unclaimed (a helper that starts late finds none and returns). */
        @Override
        public void run() {
            for (int part = next.getAndIncrement(); part < parts; part = next.getAndIncrement()) {
                try {
                    body.accept(part);
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        }

        /** Waits until every part has finished, then rethrows the first failure. */
        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the parts are running: wait for them all the same
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable e = error.get();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error r) {
                throw r;
            }
            if (e != null) {
                throw new IllegalStateException(e);
            }
        }
    }
}
