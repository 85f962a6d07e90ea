package dev.oneshot.siamese.reliability;

import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Enrolment survives SIGKILL: a separate JVM ({@link CrashEnroller}) enrolls identities one by
 * one into a gallery file, acknowledging each after its save; it is killed at seeded random
 * moments, restarted, and carries on from the file. After every kill the file loads, holds
 * {@code id0 .. idk} in order with exactly their embeddings, k ≥ the last acknowledged identity
 * (at most one more: the save in flight may have landed), and at most one temporary file
 * (the next save sweeps it).
 */
class EnrollCrashTest {
    static final int KILLS = 20;

    @Test
    void everyAcknowledgedIdentityIsOnDiskAndTheFileAlwaysLoads(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("gallery.safetensors");
        Path stderr = tmp.resolve("child.err");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Random rnd = new Random(8_2026L);
        int lastAck = -1;
        int midWrite = 0;
        for (int run = 0; run < KILLS; run++) {
            Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), CrashEnroller.class.getName(), file.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start();
            AtomicInteger ack = new AtomicInteger(-1);
            CountDownLatch first = new CountDownLatch(1);
            Thread reader = new Thread(() -> readAcks(p, ack, first), "enroll-acks-" + run);
            reader.start();
            try {
                if (!first.await(30, TimeUnit.SECONDS)) {
                    fail("child run " + run + " acknowledged nothing in 30 s (alive=" + p.isAlive() + "): "
                            + Files.readString(stderr));
                }
                Thread.sleep(rnd.nextInt(300));
                assertTrue(p.isAlive(), "the child died on its own");
            } finally {
                // SIGKILL only: Process.destroyForcibly() would also close our end of the child's stdout and
                // drop acknowledgements not read yet (a save on disk newer than any ack read: a false failure).
                p.toHandle().destroyForcibly();
                p.waitFor();
                reader.join(10_000);
            }
            lastAck = Math.max(lastAck, ack.get());
            Gallery g = GalleryFile.loadEmbeddings(file);
            List<String> ids = g.identities();
            int last = ids.size() - 1;
            assertTrue(last >= lastAck, "run " + run + ": identity id" + lastAck + " was acknowledged but the file "
                    + "holds only up to id" + last);
            assertTrue(last <= lastAck + 1, "run " + run + ": the file holds id" + last + " but only id" + lastAck
                    + " was acknowledged (one save at most can land unacknowledged)");
            for (int n = 0; n <= last; n++) {
                assertEquals("id" + n, ids.get(n), "run " + run + ": identity order");
            }
            assertEquals((last + 1) * CrashEnroller.ROWS_PER_ID, g.imageCount(), "run " + run + ": rows");
            checkEmbeddings(file, last);
            int temps = temporaries(tmp);
            assertTrue(temps <= 1, "run " + run + ": " + temps + " temporary files (stale ones must be swept)");
            midWrite += temps;
        }
        System.out.printf("EnrollCrashTest: %d kills, %d identities acknowledged, %d kills left a temp file%n",
                KILLS, lastAck + 1, midWrite);
        assertTrue(lastAck >= KILLS, "too few enrolments (" + (lastAck + 1) + ") to mean anything");
    }

    /** The stored rows are exactly identity n's rows, in order (read through the raw file). */
    private static void checkEmbeddings(Path file, int last) throws IOException {
        float[] stored = dev.oneshot.core.io.Safetensors.read(file).get("embeddings").float32Values();
        int per = CrashEnroller.ROWS_PER_ID * CrashEnroller.DIM;
        for (int n = 0; n <= last; n++) {
            float[] got = new float[per];
            System.arraycopy(stored, n * per, got, 0, per);
            assertArrayEquals(CrashEnroller.rows(n), got, "embeddings of id" + n);
        }
    }

    private static int temporaries(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        return (int) names.stream().filter(n -> n.startsWith(".gallery.safetensors.") && n.endsWith(".tmp")).count();
    }

    private static void readAcks(Process p, AtomicInteger ack, CountDownLatch first) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && parts[0].equals("E")) {
                    try {
                        ack.set(Integer.parseInt(parts[1]));
                        first.countDown();
                    } catch (NumberFormatException cut) {
                        // a line cut by the kill: ignoring it only weakens the check
                    }
                }
            }
        } catch (IOException closed) {
            // the stream closes when the process dies
        }
    }
}
