package dev.oneshot.core.testing;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The contract every fuzz target checks (shared by the core, nn and siamese fuzz tests through
 * core's test jar): a reader given any bytes either returns a value or throws one of its
 * <em>documented</em> exception types, whose message names the input (file name) and says
 * something more; it never throws anything else, never runs out of memory or stack, and never
 * allocates more than a budget proportional to the input's size.
 *
 * <p>Allocation is measured with {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}
 * (bytes allocated by the calling thread, garbage or not; a call over budget is measured a
 * second time, warm, since the first call of a code path also loads classes), so a reader that allocates a 2 GiB
 * array because a header said so fails here even when the heap could hold it. Hangs: each call
 * runs on a worker thread and fails after {@link #TIME_LIMIT_SECONDS} (JUnit's {@code @Timeout}
 * is not used because, when fuzzing, it would limit the whole run, not one input).
 */
public final class FuzzContract {
    /** Fixed allowance for any call: buffers, exception objects, class loading, the fuzzer's own hooks. */
    public static final long BASE_ALLOWANCE = 4L << 20;

    /** Longest one input may take (the readers take microseconds; a slow shared CI machine gets slack). */
    public static final long TIME_LIMIT_SECONDS = 10;

    private static ExecutorService worker = newWorker();

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzContract() {
    }

    /** The code under test. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} and fails (with an {@link AssertionError}, which Jazzer reports as a
     * finding) unless it returned or threw an instance of one of {@code documented} whose
     * message contains {@code name}; and unless it allocated at most
     * {@link #BASE_ALLOWANCE} + {@code bytesPerInputByte} × {@code inputBytes} bytes.
     */
    @SafeVarargs
    public static void check(String name, long inputBytes, long bytesPerInputByte, Body body,
            Class<? extends Throwable>... documented) {
        check(name, BASE_ALLOWANCE, inputBytes, bytesPerInputByte, body, documented);
    }

    /** As {@link #check(String, long, long, Body, Class[])} with another fixed allowance than {@link #BASE_ALLOWANCE}. */
    @SafeVarargs
    public static void check(String name, long baseAllowance, long inputBytes, long bytesPerInputByte, Body body,
            Class<? extends Throwable>... documented) {
        long budget = baseAllowance + bytesPerInputByte * inputBytes;
        Measured m = measure(name, inputBytes, body);
        if (m.used > budget && !(m.thrown instanceof VirtualMachineError)) {
            // The first call of a code path also loads, links and instruments classes (and
            // formats their messages): measure once more, warm, before calling it a finding.
            m = measure(name, inputBytes, body);
        }
        Throwable thrown = m.thrown;
        long used = m.used;
        if (thrown instanceof VirtualMachineError fatal) { // OutOfMemoryError, StackOverflowError
            throw new AssertionError(name + ": " + fatal + " on a " + inputBytes + "-byte input", fatal);
        }
        if (thrown != null) {
            if (!isOneOf(thrown, documented)) {
                throw new AssertionError(name + ": undocumented exception " + thrown.getClass().getName() + " ("
                        + thrown.getMessage() + ") on a " + inputBytes + "-byte input", thrown);
            }
            String message = thrown.getMessage();
            if (message == null || !message.contains(name) || message.length() <= name.length() + 2) {
                throw new AssertionError(name + ": the message of " + thrown.getClass().getSimpleName()
                        + " must name the input and the problem, got: " + message, thrown);
            }
        }
        if (used > budget) {
            throw new AssertionError(name + ": allocated " + used + " bytes on a " + inputBytes
                     + "-byte input, budget " + budget + " (" + baseAllowance + " + " + bytesPerInputByte
                    + " per input byte)" + (thrown == null ? "" : "; it threw " + thrown), thrown);
        }
    }

    /** What one call threw (or null) and how many bytes its thread allocated. */
    private record Measured(Throwable thrown, long used) {
    }

    private static synchronized Measured measure(String name, long inputBytes, Body body) {
        Future<Measured> f = worker.submit(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            Throwable thrown = null;
            try {
                body.run();
            } catch (Throwable t) {
                thrown = t;
            }
            return new Measured(thrown, THREADS.getCurrentThreadAllocatedBytes() - before);
        });
        try {
            return f.get(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException hang) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the stuck thread is a daemon and is abandoned
            throw new AssertionError(name + ": no answer after " + TIME_LIMIT_SECONDS + " s on a " + inputBytes
                    + "-byte input (a hang?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted", e);
        } catch (ExecutionException impossible) { // the task catches every Throwable itself
            throw new AssertionError(name + ": " + impossible.getCause(), impossible.getCause());
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-target");
            t.setDaemon(true);
            return t;
        });
    }

    private static boolean isOneOf(Throwable t, Class<? extends Throwable>[] types) {
        for (Class<? extends Throwable> c : types) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
