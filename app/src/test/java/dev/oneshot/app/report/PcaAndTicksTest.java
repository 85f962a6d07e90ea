package dev.oneshot.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PcaAndTicksTest {
    @Test
    void pcaFindsTheLongAxisFirst() {
        // pairs of points on the line y = 2x, at z = ±0.1: PC 1 is (1, 2, 0)/√5, PC 2 the z axis
        int n = 50;
        float[] v = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double t = i / 2 - 12;
            v[i * 3] = (float) t;
            v[i * 3 + 1] = (float) (2 * t);
            v[i * 3 + 2] = (float) (0.1 * ((i % 2) * 2 - 1));
        }
        Pca.Projection p = Pca.project(v, n, 3);
        assertTrue(p.varianceX() > 0.99, "PC 1 carries nearly all variance: " + p.varianceX());
        for (int i = 0; i < n; i++) {
            double t = i / 2 - 12; // already centred
            assertEquals(Math.sqrt(5) * Math.abs(t), Math.abs(p.x()[i]), 1e-3);
            assertEquals(0.1, Math.abs(p.y()[i]), 1e-3);
        }
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Ticks.of(0, 1, 4), 1e-12);
        assertArrayEquals(new double[] {0, 200, 400}, Ticks.of(0, 599, 3), 1e-12);
        assertEquals("0.25", Ticks.format(0.25));
        assertEquals("400", Ticks.format(400));
    }
}
