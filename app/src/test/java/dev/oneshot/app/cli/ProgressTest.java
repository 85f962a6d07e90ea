package dev.oneshot.app.cli;

import dev.oneshot.siamese.train.TrainingListener.Step;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress line: which network of an ensemble is training, and an ETA that counts the ones still to come. */
class ProgressTest {
    private static Step step(long n, long total, double elapsed) {
        return new Step(n, total, (double) n / Math.max(1, total), 1e-3, 0.5, 0.1, 64, null, elapsed);
    }

    @Test
    void anEnsemblesEtaCountsTheNetworksStillToTrain() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 0, 3, 0);
        p.onStep(step(50, 100, 10));   // net 1: 10 s for 50 steps → 50 more steps + 2 × 100 = 50 s
        p.onStep(step(10, 100, 2));    // net 2 restarts at step 10: 90 more + 100 = 38 s
        p.onStep(step(100, 100, 20));  // net 2 done: net 3's 100 steps remain, 20 s
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("net 1/3  step 50/100") && lines[0].endsWith("ETA 0m50s"), lines[0]);
        assertTrue(lines[1].startsWith("net 2/3  step 10/100") && lines[1].endsWith("ETA 0m38s"), lines[1]);
        assertTrue(lines[2].startsWith("net 2/3  step 100/100") && lines[2].endsWith("ETA 0m20s"), lines[2]);
    }

    @Test
    void oneNetworkSaysNothingAboutNetworks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 0, 1, 0);
        p.onStep(step(50, 100, 10));
        String line = bytes.toString(StandardCharsets.UTF_8).trim();
        assertTrue(line.startsWith("step 50/100") && line.endsWith("ETA 0m10s"), line);
    }
}
