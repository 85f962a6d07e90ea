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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills (SIGKILL, via {@link ProcessHandle#destroyForcibly()}) a separate JVM that saves a gallery
 * and a model file in a loop ({@link CrashSaver}), at seeded random moments, 52 times (two
 * lanes of 26, each in its own directory, run side by side). After every kill both files must
 * load and be byte-for-byte one complete version (the version is a pure function of a sequence
 * number the file itself names), never older than the last save the child acknowledged; the
 * directory must hold nothing but the two files and at most one temporary file per file — a
 * SIGKILL mid-write cannot clean up, but the next save of that file sweeps it — and none after
 * a final clean save.
 */
class CrashDuringSaveTest {
    /** Children killed in parallel, each in its own directory (the machine has two cores). */
    static final int LANES = 2;
    static final int KILLS_PER_LANE = 26;
    static final Pattern TMP = Pattern.compile("\\.(gallery|model)\\.safetensors\\.[0-9a-f]{16}\\.tmp");

    /** One directory, its child processes one after the other, and what they acknowledged. */
    private static final class Lane {
        final int id;
        final Path dir;
        final Path scratch;
        final Path stderr;
        final Random rnd;
        long lastAckG = -1;
        long lastAckM = -1;
        int kills;
        int midWriteKills; // kills after which a temporary file was found

        Lane(Path tmp, int id) throws IOException {
            this.id = id;
            this.dir = Files.createDirectories(tmp.resolve("live" + id));
            this.scratch = Files.createDirectories(tmp.resolve("expected" + id));
            this.stderr = tmp.resolve("child" + id + ".err");
            this.rnd = new Random(20261128L + id);
        }
    }

    @Test
    void sigkillDuringSavesLeavesAnAcknowledgedOrNewerCompleteVersion(@TempDir Path tmp) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(LANES);
        List<Future<Lane>> lanes = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            Lane lane = new Lane(tmp, i);
            lanes.add(pool.submit(() -> {
                for (int run = 0; run < KILLS_PER_LANE; run++) {
                    killOnce(lane, run);
                }
                return lane;
            }));
        }
        pool.shutdown();
        int kills = 0;
        int midWrite = 0;
        for (Future<Lane> f : lanes) {
            Lane lane = f.get();
            kills += lane.kills;
            midWrite += lane.midWriteKills;
            // A clean save of each file afterwards sweeps whatever the last kill left.
            GalleryFile.save(lane.dir.resolve(CrashSaver.GALLERY), CrashSaver.gallery(lane.lastAckG + 1));
            ModelFile.save(lane.dir.resolve(CrashSaver.MODEL), CrashSaver.model(lane.lastAckG + 1),
                    CrashSaver.provenance(lane.lastAckG + 1));
            assertEquals(0, checkDirectory(lane.dir), "temporary files left after a clean save in lane " + lane.id);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.out.printf("CrashDuringSaveTest: %d kills in %d s (%d lanes), %d landed mid-write (left a temp file)%n",
                kills, seconds, LANES, midWrite);
        assertEquals(LANES * KILLS_PER_LANE, kills);
        assertTrue(midWrite > 0, "no kill landed mid-write: the test no longer exercises the temp-file path");
    }

    /** Starts a child saving in the lane's directory, kills it at a seeded moment, checks the files. */
    private static void killOnce(Lane lane, int run) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("java.class.path");
        long firstSeq = 1_000L * (run + 1);
        Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", cp, CrashSaver.class.getName(), lane.dir.toString(), Long.toString(firstSeq))
                .redirectError(ProcessBuilder.Redirect.appendTo(lane.stderr.toFile()))
                .start();
        AtomicLong ackG = new AtomicLong(-1);
        AtomicLong ackM = new AtomicLong(-1);
        CountDownLatch firstAck = new CountDownLatch(1);
        Thread reader = new Thread(() -> readAcks(p, ackG, ackM, firstAck), "acks-" + lane.id + "-" + run);
        reader.start();
        try {
            if (!firstAck.await(30, TimeUnit.SECONDS)) {
                fail("lane " + lane.id + ": child run " + run + " acknowledged nothing in 30 s (alive=" + p.isAlive()
                        + "): " + tail(lane.stderr));
            }
            Thread.sleep(lane.rnd.nextInt(350));
            assertTrue(p.isAlive(), () -> "the child died on its own: " + tail(lane.stderr));
        } finally {
            // SIGKILL only: Process.destroyForcibly() would also close our end of the child's stdout and
            // drop acknowledgements not read yet (a save on disk newer than any ack read: a false failure).
            p.toHandle().destroyForcibly();
            p.waitFor();
            reader.join(10_000);
        }
        lane.kills++;
        // Every printed ack was printed after its save returned: it must be on disk, or newer.
        lane.lastAckG = Math.max(lane.lastAckG, ackG.get());
        lane.lastAckM = Math.max(lane.lastAckM, ackM.get());
        long maxAck = Math.max(lane.lastAckG, lane.lastAckM);

        long g = checkGallery(lane.dir.resolve(CrashSaver.GALLERY), lane.scratch);
        long m = checkModel(lane.dir.resolve(CrashSaver.MODEL), lane.scratch);
        assertTrue(g >= lane.lastAckG, "gallery on disk is version " + g + " but " + lane.lastAckG + " was acknowledged");
        assertTrue(m >= lane.lastAckM || lane.lastAckM < 0, "model on disk is " + m + " but " + lane.lastAckM
                + " was acknowledged");
        // At most the one save in flight can be newer than the acknowledgements.
        assertTrue(g <= maxAck + 1 && m <= maxAck + 1, "on disk g=" + g + " m=" + m + " but the newest ack is " + maxAck);
        // Each save sweeps the temporaries of killed writers of its target: at most the last kill's remains.
        if (checkDirectory(lane.dir) > 0) {
            lane.midWriteKills++;
        }
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
        Gallery loaded = GalleryFile.loadEmbeddings(file);
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

    /**
     * Nothing but the two files and at most one leaked temporary per file (older ones are swept
     * by the next save of the same file); returns the number of temporaries.
     */
    private static int checkDirectory(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        int tmp = 0;
        for (String n : names) {
            var m = TMP.matcher(n);
            if (m.matches()) {
                tmp++;
                String target = m.group(1);
                assertEquals(1, names.stream().filter(x -> x.startsWith("." + target + ".") && x.endsWith(".tmp")).count(),
                        "more than one temporary file of " + target + " (stale ones must be swept): " + names);
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
