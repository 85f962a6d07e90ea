package dev.oneshot.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a thread-count setting (system property or environment variable) is read. */
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
}
