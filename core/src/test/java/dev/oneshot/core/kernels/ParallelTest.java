package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a thread-count setting (system property or environment variable) is read, and how
 * {@link Parallel#run} hands out parts.
 */
class ParallelTest {
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void aPositiveIntegerIsTaken() {
        assertEquals(3, Parallel.parseThreads("test", " 3 ", 2));
        assertEquals(1, Parallel.parseThreads("test", "1", 8));
    }

    @Test
    void zeroNegativeOrNonNumericFallsBackToTheProcessorCount() {
        assertEquals(2, Parallel.parseThreads("test", "0", 2));
        assertEquals(2, Parallel.parseThreads("test", "-4", 2));
        assertEquals(2, Parallel.parseThreads("test", "two", 2));
        assertEquals(2, Parallel.parseThreads("test", "1.5", 2));
    }

    @Test
    void everyPartRunsExactlyOnceWithMorePartsThanThreadsAndNested() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int parts : new int[] {0, 1, 2, 7, 64}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, parts) * 5);
                Parallel.run(parts, part -> Parallel.run(5, inner -> runs.incrementAndGet(part * 5 + inner)));
                for (int i = 0; i < parts * 5; i++) {
                    assertEquals(1, runs.get(i), "part " + i + ", " + parts + " parts, " + threads + " threads");
                }
            }
        }
    }

    @Test
    void aFailingPartIsRethrownAfterTheOthersFinish() {
        Parallel.setThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.run(8, part -> {
            runs.incrementAndGet(part);
            if (part == 3) {
                throw boom;
            }
        }));
        assertSame(boom, thrown);
        for (int i = 0; i < 8; i++) {
            assertEquals(1, runs.get(i), "part " + i);
        }
    }

    @Test
    void noMoreThreadsRunPartsThanTheSettingAllows() {
        for (int threads : new int[] {3, 2, 1}) { // the pool sized for 3 stays, partly unused, at 2 and 1
            Parallel.setThreads(threads);
            boolean callerRan = false;
            for (int round = 0; round < 50; round++) {
                Set<Thread> seen = ConcurrentHashMap.newKeySet(); // the threads of this one call
                Parallel.run(16, part -> {
                    seen.add(Thread.currentThread());
                    busyMicros(20);
                });
                callerRan |= seen.contains(Thread.currentThread());
                assertTrue(seen.size() <= threads, seen.size() + " threads ran the parts of one call with the setting at " + threads);
            }
            assertTrue(callerRan, "the caller runs parts too");
        }
    }

    /**
     * Calls back to back (the helper still awake) and after pauses (the helper parked) each run
     * every part exactly once.
     */
    @Test
    void everyPartRunsOnceWithCallsBackToBackOrApart() throws InterruptedException {
        Parallel.setThreads(2);
        for (int round = 0; round < 300; round++) {
            int parts = 2 + round % 7;
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            Parallel.run(parts, runs::incrementAndGet);
            for (int i = 0; i < parts; i++) {
                assertEquals(1, runs.get(i), "part " + i + " of round " + round);
            }
            if (round % 3 == 0) {
                Thread.sleep(0, 200_000);
            }
        }
    }

    /** Two threads calling at once share the pool; neither loses a part. */
    @Test
    void concurrentCallersEachRunAllTheirParts() throws Exception {
        Parallel.setThreads(2);
        int calls = 200;
        int parts = 9;
        AtomicIntegerArray runs = new AtomicIntegerArray(2 * calls * parts);
        Thread[] callers = new Thread[2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int c = 0; c < 2; c++) {
            int caller = c;
            callers[c] = new Thread(() -> {
                for (int call = 0; call < calls; call++) {
                    int base = (caller * calls + call) * parts;
                    Parallel.run(parts, part -> runs.incrementAndGet(base + part));
                }
            });
            callers[c].setUncaughtExceptionHandler((t, e) -> failure.set(e));
            callers[c].start();
        }
        for (Thread t : callers) {
            t.join();
        }
        assertNull(failure.get());
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "part " + i % parts + " of call " + i / parts);
        }
    }

    private static void busyMicros(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
