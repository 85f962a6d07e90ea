package dev.oneshot.siamese.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
    @Test
    void benchReportsGemmBesideTheNaiveLoop() {
        Cli.Result r = Cli.run("bench", "--json");
        assertEquals(0, r.code(), r.err());
        for (String s : new String[] {"\"kernel\":\"gemm 1 thread\"", "\"kernel\":\"naive loop\"", "\"n\":512", "JMH"}) {
            assertTrue(r.out().contains(s), s + " in " + r.out());
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--size", "512");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("usage: oneshot bench"), r.err());
    }

    @Test
    void naiveLoopMultiplies() {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        BenchCommand.naive(2, a, b, c);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {19, 22, 43, 50}, c);
    }
}
