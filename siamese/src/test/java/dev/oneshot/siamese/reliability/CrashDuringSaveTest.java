package dev.oneshot.siamese.reliability;

import dev.oneshot.nn.persist.ModelFile;
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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills (SIGKILL, via {@link Process#destroyForcibly()}) a separate JVM that saves a gallery
 * and a model file in a loop ({@link CrashSaver}), at seeded random moments, many times. After
 * every kill both files must load and be byte-for-byte one complete version (the version is a
 * pure function of a sequence number the file itself names), never older than the last save
 * the child acknowledged; the directory must hold nothing but the two files and at most one
 * leaked temporary file per kill (a SIGKILL mid-write cannot clean up, but nothing may leak
 * on the normal path).
 */
class CrashDuringSaveTest {
    static final int KILLS = 24;
    static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(35);
    static final int MIN_KILLS = 8;
    static final Pattern TMP = Pattern.compile("\\.(gallery|model)\\.safetensors\\.[0-9a-f]+\\.tmp");

    @Test
    void sigkillDuringSavesLeavesAnAcknowledgedOrNewerCompleteVersion(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("live"));
        Path scratch = Files.createDirectories(tmp.resolve("expected"));
        Path stderr = tmp.resolve("child.err");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("java.class.path");
        Random rnd = new Random(20261128L);

        long lastAckG = -1;
        long lastAckM = -1;
        int kills = 0;
        int midWriteKills = 0; // kills after which a fresh temporary file was found
        int prevTmp = 0;
        long start = System.nanoTime();
        for (int run = 0; run < KILLS; run++) {
            if (System.nanoTime() - start > BUDGET_NANOS && kills >= MIN_KILLS) {
                break;
            }
            long firstSeq = 1_000L * (run + 1);
            Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", cp, CrashSaver.class.getName(), dir.toString(), Long.toString(firstSeq))
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start();
            AtomicLong ackG = new AtomicLong(-1);
            AtomicLong ackM = new AtomicLong(-1);
            CountDownLatch firstAck = new CountDownLatch(1);
            Thread reader = new Thread(() -> readAcks(p, ackG, ackM, firstAck), "acks-" + run);
            reader.start();
            try {
                if (!firstAck.await(20, TimeUnit.SECONDS)) {
                    fail("child run " + run + " acknowledged nothing in 20 s (alive=" + p.isAlive() + "): "
                            + tail(stderr));
                }
                Thread.sleep(rnd.nextInt(350));
                assertTrue(p.isAlive(), () -> "the child died on its own: " + tail(stderr));
            } finally {
                p.destroyForcibly();
                p.waitFor();
                reader.join(10_000);
            }
            kills++;
            // Every printed ack was printed after its save returned: it must be on disk, or newer.
            lastAckG = Math.max(lastAckG, ackG.get());
            lastAckM = Math.max(lastAckM, ackM.get());
            long maxAck = Math.max(lastAckG, lastAckM);

            long g = checkGallery(dir.resolve(CrashSaver.GALLERY), scratch);
            long m = checkModel(dir.resolve(CrashSaver.MODEL), scratch);
            assertTrue(g >= lastAckG, "gallery on disk is version " + g + " but " + lastAckG + " was acknowledged");
            assertTrue(m >= lastAckM || lastAckM < 0, "model on disk is " + m + " but " + lastAckM + " was acknowledged");
            // At most the one save in flight can be newer than the acknowledgements.
            assertTrue(g <= maxAck + 1 && m <= maxAck + 1,
                    "on disk g=" + g + " m=" + m + " but the newest ack is " + maxAck);

            int tmpFiles = checkDirectory(dir);
            assertTrue(tmpFiles <= kills, tmpFiles + " temporary files after " + kills + " kills");
            assertTrue(tmpFiles - prevTmp <= 1, "one kill leaked " + (tmpFiles - prevTmp) + " temporary files");
            if (tmpFiles > prevTmp) {
                midWriteKills++;
            }
            prevTmp = tmpFiles;
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.out.printf("CrashDuringSaveTest: %d kills in %d s, %d landed mid-write (left a temp file), "
                + "last acks gallery=%d model=%d%n", kills, seconds, midWriteKills, lastAckG, lastAckM);
        assertTrue(kills >= MIN_KILLS, "only " + kills + " kills");
    }

    private static void readAcks(Process p, AtomicLong ackG, AtomicLong ackM, CountDownLatch firstAck) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length != 2) {
                    continue; // a line cut by the kill: ignoring it only weakens the check
                }
                long seq;
                try {
                    seq = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (parts[0].equals("G")) {
                    ackG.set(seq);
                    firstAck.countDown();
                } else if (parts[0].equals("M")) {
                    ackM.set(seq);
                }
            }
        } catch (IOException ignored) {
            // the stream closes when the process dies
        }
    }

    /** Loads the gallery, reads its version from it, and compares the file with that version's bytes. */
    private static long checkGallery(Path file, Path scratch) throws IOException {
        Gallery loaded = GalleryFile.loadEmbeddings(file, null);
        long seq = CrashSaver.seqOfGallery(loaded);
        Gallery expected = CrashSaver.gallery(seq);
        assertEquals(expected.imageCount(), loaded.imageCount(), "gallery version " + seq + " row count");
        assertEquals(expected.identities(), loaded.identities(), "gallery version " + seq + " identities");
        Path want = scratch.resolve("gallery-" + seq + ".safetensors");
        GalleryFile.save(want, expected);
        assertTrue(Arrays.equals(Files.readAllBytes(want), Files.readAllBytes(file)),
                "gallery file is not byte-identical to version " + seq);
        Files.delete(want);
        return seq;
    }

    /** Loads the model (rebuilding it), reads its version from the provenance, compares bytes. */
    private static long checkModel(Path file, Path scratch) throws IOException {
        if (!Files.exists(file)) {
            return -1; // the very first run may be killed before its first model save
        }
        ModelFile.Contents c = ModelFile.read(file, new dev.oneshot.core.tensor.SeededRandom(0));
        long seq = Long.parseLong(c.provenance().get("test.seq"));
        var want = CrashSaver.model(seq);
        assertTrue(Arrays.equals(want.weight().data(), c.module().stateDict().get("weight").data()),
                "model weights are not version " + seq);
        assertTrue(Arrays.equals(ModelFile.load(file).stateDict().get("bias").data(), want.bias().data()),
                "model bias is not version " + seq);
        Path wantFile = scratch.resolve("model-" + seq + ".safetensors");
        ModelFile.save(wantFile, want, CrashSaver.provenance(seq));
        assertTrue(Arrays.equals(Files.readAllBytes(wantFile), Files.readAllBytes(file)),
                "model file is not byte-identical to version " + seq);
        Files.delete(wantFile);
        return seq;
    }

    /** Nothing but the two files and leaked temporaries; returns the number of temporaries. */
    private static int checkDirectory(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        int tmp = 0;
        for (String n : names) {
            if (TMP.matcher(n).matches()) {
                tmp++;
            } else if (!n.equals(CrashSaver.GALLERY) && !n.equals(CrashSaver.MODEL)) {
                fail("unexpected file in the save directory: " + n + " (all: " + names + ")");
            }
        }
        return tmp;
    }

    private static String tail(Path f) {
        try {
            String s = Files.exists(f) ? Files.readString(f) : "";
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
