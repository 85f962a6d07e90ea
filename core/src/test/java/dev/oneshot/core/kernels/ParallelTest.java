package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * How a thread-count setting (system property or environment variable) is read, and how
 * {@link Parallel#run} hands out parts.
 */
class ParallelTest {

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
        int saved = Parallel.threads();
        try {
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
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void aFailingPartIsRethrownAfterTheOthersFinish() {
        int saved = Parallel.threads();
        try {
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
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
