package dev.oneshot.siamese.gallery.contract;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.gallery.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every {@link Gallery} guarantees, held against each implementation through the interface
 * (a subclass says how to create, persist and reopen one): the same answers as the exact scan,
 * non-finite input refused, consistent answers while a writer enrolls and removes, every
 * acknowledged enrolment kept after SIGKILL, and hostile files refused with the path named.
 * The in-memory gallery runs it as {@code ExactGalleryContractTest}, the Lucene gallery in its module.
 */
public abstract class GalleryContract {
    /** A new empty gallery of precomputed squared-L2 embeddings, kept in the fresh folder {@code dir}. */
    protected abstract Gallery create(Path dir, int dim, boolean normalized, GalleryOptions options) throws IOException;

    /** Makes everything enrolled durable (a save; nothing for a gallery that commits every write). */
    protected abstract void persist(Path dir, Gallery g) throws IOException;

    /** Whether {@code dir} holds a persisted gallery. */
    protected abstract boolean exists(Path dir) throws IOException;

    /** Opens the gallery persisted in {@code dir}. */
    protected abstract Gallery reopen(Path dir) throws IOException;

    /** Writes by the concurrency test (each: three enrolments and, every other time, a removal). */
    protected int concurrentWrites() {
        return 1500;
    }

    /** Identities enrolled before the concurrency test's readers start. */
    protected int stableIdentities() {
        return 200;
    }

    /** Kills in the durability test. */
    protected int kills() {
        return 8;
    }

    // ------------------------------------------------------------------ shared data

    static final int DIM = 32;

    /** Identity {@code id}'s centre: far from every other (Gaussian ×10 in 32-d), seeded by id. */
    static float[] centre(int id) {
        SeededRandom r = new SeededRandom(1000 + id);
        float[] v = new float[DIM];
        for (int t = 0; t < DIM; t++) {
            v[t] = 10f * (float) r.nextGaussian();
        }
        return v;
    }

    static float[] near(float[] c, SeededRandom r, float noise) {
        float[] v = c.clone();
        for (int t = 0; t < DIM; t++) {
            v[t] += noise * (float) r.nextGaussian();
        }
        return v;
    }

    // ------------------------------------------------------------------ answers

    @Test
    public void answersAreThoseOfTheExactScan(@TempDir Path tmp) throws IOException {
        for (Policy policy : Policy.values()) {
            GalleryOptions o = GalleryOptions.squaredL2(400.0).withPolicy(policy);
            Gallery exact = Gallery.ofEmbeddings(DIM, false, o);
            try (Gallery g = create(tmp.resolve(policy.name()), DIM, false, o)) {
                SeededRandom r = new SeededRandom(7);
                for (int id = 0; id < 60; id++) {
                    float[] views = new float[4 * DIM];
                    for (int view = 0; view < 4; view++) {
                        System.arraycopy(near(centre(id), r, 3f), 0, views, view * DIM, DIM);
                    }
                    exact.enrollEmbeddings("id" + id, views, 4);
                    g.enrollEmbeddings("id" + id, views, 4);
                }
                assertEquals(exact.identities(), g.identities());
                assertEquals(240, g.imageCount());
                for (int q = 0; q < 100; q++) {
                    float[] query = near(centre(q % 60), r, 6f);
                    assertEquals(exact.identifyEmbedding(query), g.identifyEmbedding(query), policy + " query " + q);
                    assertEquals(exact.identifyEmbedding(query, 5), g.identifyEmbedding(query, 5), policy + " top-5 of " + q);
                }
                assertEquals(4, g.remove("id3"));
                exact.remove("id3");
                float[] query = centre(3);
                assertEquals(exact.identifyEmbedding(query), g.identifyEmbedding(query), policy + " after a removal");
                assertTrue(!"id3".equals(g.identifyEmbedding(query).nearest()));
            }
        }
    }

    @Test
    public void unknownBeyondTauAndEmptyGalleryAnswers(@TempDir Path tmp) throws IOException {
        try (Gallery g = create(tmp.resolve("g"), 2, false, GalleryOptions.squaredL2(2.0))) {
            assertEquals(new Match(null, Float.NaN, false), g.identifyEmbedding(new float[] {0, 0}));
            assertEquals(List.of(), g.identifyEmbedding(new float[] {0, 0}, 3));
            g.enrollEmbedding("a", new float[] {1, 1});
            assertEquals(new Match("a", 2f, true), g.identifyEmbedding(new float[] {0, 0}), "d = τ is known");
            Match beyond = g.identifyEmbedding(new float[] {0, -0.001f});
            assertEquals("a", beyond.nearest());
            assertTrue(!beyond.known() && beyond.score() > 2f, beyond.toString());
            assertEquals(Match.UNKNOWN, beyond.identity());
        }
    }

    // ------------------------------------------------------------------ non-finite input

    @Test
    public void nonFiniteInputIsRefusedAndChangesNothing(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("g");
        try (Gallery g = create(dir, 3, false, GalleryOptions.squaredL2(1.0))) {
            g.enrollEmbedding("a", new float[] {0, 0, 0});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.identifyEmbedding(new float[] {0, Float.NaN, 0}));
            assertEquals("Gallery.identifyEmbedding: query (3 values) has a non-finite value NaN at index 1", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.identifyEmbedding(new float[] {0, 0, Float.NaN}, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> g.identifyEmbeddings(new float[] {0, 0, 0, 1, Float.POSITIVE_INFINITY, 0}, 2));
            assertThrows(IllegalArgumentException.class, () -> g.verifyEmbeddings(new float[3], new float[] {Float.NaN, 0, 0}));
            IllegalArgumentException en = assertThrows(IllegalArgumentException.class,
                    () -> g.enrollEmbedding("b", new float[] {Float.NaN, 0, 0}));
            assertEquals("Gallery: an embedding for 'b' has a non-finite value NaN", en.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> g.enrollEmbeddings("a", new float[] {0, 0, 0, Float.NEGATIVE_INFINITY, 0, 0}, 2));
            assertThrows(IllegalArgumentException.class, () -> g.enrollEmbedding(Match.UNKNOWN, new float[3]));
            assertEquals(List.of("a"), g.identities(), "a refused enrolment added nothing");
            assertEquals(1, g.imageCount());
            persist(dir, g);
        }
        try (Gallery back = reopen(dir)) {
            assertEquals(List.of("a"), back.identities());
            assertEquals(1, back.imageCount());
        }
    }

    // ------------------------------------------------------------------ concurrency

    /**
     * Readers identify while a writer enrolls and removes. Queries are enrolled embeddings plus
     * tiny noise of identities far apart, so in every consistent state the right answer is unique:
     * an identity enrolled before the query began (and never removed) must come back, known.
     */
    @Test
    public void concurrentIdentifyWhileEnrollingAndRemovingSeesConsistentStates(@TempDir Path tmp) throws Exception {
        for (Policy policy : Policy.values()) {
            try (Gallery g = create(tmp.resolve(policy.name()), DIM, false, GalleryOptions.squaredL2(1.0).withPolicy(policy))) {
                concurrency(g);
            }
        }
    }

    private void concurrency(Gallery g) throws Exception {
        int stable = stableIdentities();
        int added = concurrentWrites();
        for (int i = 0; i < stable; i++) {
            g.enrollEmbedding("id" + i, centre(i));
        }
        AtomicInteger published = new AtomicInteger(stable);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger queries = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[3];
        for (int t = 0; t < threads.length; t++) {
            int seed = t;
            threads[t] = new Thread(() -> {
                SeededRandom r = new SeededRandom(seed);
                try {
                    start.await();
                    while (!done.get() || queries.get() < 3000) {
                        int id = (int) (r.nextDouble() * published.get());
                        float[] q = near(centre(id), r, 0.01f);
                        Match m = switch (queries.getAndIncrement() % 3) {
                            case 0 -> g.identifyEmbedding(q);
                            case 1 -> g.identifyEmbedding(q, 3).get(0);
                            default -> g.identifyEmbeddings(q, 1).get(0);
                        };
                        if (!m.known() || !m.nearest().equals("id" + id)) {
                            errors.add("query of id" + id + " gave " + m);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e.toString());
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (int i = stable; i < stable + added; i++) {
            g.enrollEmbedding("id" + i, centre(i));
            g.enrollEmbedding("id" + i, near(centre(i), new SeededRandom(i), 0.01f));
            g.enrollEmbedding("tmp" + i, centre(100_000 + i));
            published.set(i + 1);
            if (i % 2 == 0) {
                g.remove("tmp" + i);
            }
        }
        done.set(true);
        for (Thread t : threads) {
            t.join(120_000);
        }
        assertTrue(errors.isEmpty(), errors.size() + " bad answers, e.g. " + errors.peek());
        assertTrue(queries.get() >= 3000, "queries run: " + queries.get());
        assertEquals(stable + added + added / 2, g.identities().size());
    }

    // ------------------------------------------------------------------ durability after a kill

    /**
     * A separate JVM ({@link ContractEnroller}) enrolls {@code id0, id1, ...} one at a time and
     * acknowledges each after {@link #persist} returned; it is killed at seeded random moments and
     * restarted. After every kill the gallery opens, holds {@code id0 .. idk} in order with their
     * rows (each identity's first row is found at distance 0), and k ≥ the last acknowledged
     * identity (at most one more: the write in flight may have landed).
     */
    @Test
    public void everyAcknowledgedEnrolmentSurvivesAKill(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("gallery");
        Path stderr = tmp.resolve("child.err");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Random rnd = new Random(17_2026L);
        int lastAck = -1;
        for (int run = 0; run < kills(); run++) {
            Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), ContractEnroller.class.getName(),
                    getClass().getName(), dir.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start();
            AtomicInteger ack = new AtomicInteger(-1);
            CountDownLatch first = new CountDownLatch(1);
            Thread reader = new Thread(() -> readAcks(p, ack, first), "contract-acks-" + run);
            reader.start();
            try {
                if (!first.await(60, TimeUnit.SECONDS)) {
                    fail("child run " + run + " acknowledged nothing in 60 s (alive=" + p.isAlive() + "): "
                            + Files.readString(stderr));
                }
                Thread.sleep(rnd.nextInt(400));
                assertTrue(p.isAlive(), "the child died on its own: " + Files.readString(stderr));
            } finally {
                p.toHandle().destroyForcibly(); // SIGKILL; our end of its stdout stays open until read
                p.waitFor();
                reader.join(10_000);
            }
            lastAck = Math.max(lastAck, ack.get());
            try (Gallery g = reopen(dir)) {
                List<String> ids = g.identities();
                int last = ids.size() - 1;
                assertTrue(last >= lastAck, "run " + run + ": id" + lastAck + " was acknowledged but the gallery holds "
                        + "only up to id" + last);
                assertTrue(last <= lastAck + 1, "run " + run + ": the gallery holds id" + last + " but only id" + lastAck
                        + " was acknowledged");
                for (int n = 0; n <= last; n++) {
                    assertEquals("id" + n, ids.get(n), "run " + run + ": identity order");
                    float[] row = Arrays.copyOf(ContractEnroller.rows(n), ContractEnroller.DIM);
                    assertEquals(new Match("id" + n, 0f, true), g.identifyEmbedding(row), "run " + run + ": rows of id" + n);
                }
                assertEquals((last + 1) * ContractEnroller.ROWS_PER_ID, g.imageCount(), "run " + run + ": rows");
            }
        }
        assertTrue(lastAck >= kills(), "too few enrolments (" + (lastAck + 1) + ") to mean anything");
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

    // ------------------------------------------------------------------ hostile files

    /**
     * A persisted gallery's files damaged at seeded random: bytes flipped, a file cut short,
     * zeroed or deleted. Opening either refuses with an {@link IOException} or
     * {@link IllegalArgumentException} whose message starts with the folder or file it read, or
     * gives a gallery whose identities are among those enrolled and whose answer names one of them.
     */
    @Test
    public void damagedFilesAreRefusedWithThePathNamedOrStillAnswer(@TempDir Path tmp) throws IOException {
        Path good = tmp.resolve("good");
        List<String> enrolled = new ArrayList<>();
        try (Gallery g = create(good, DIM, false, GalleryOptions.squaredL2(1.0))) {
            for (int i = 0; i < 12; i++) {
                g.enrollEmbeddings("id" + i, concat(centre(i), centre(i)), 2);
                enrolled.add("id" + i);
            }
            persist(good, g);
        }
        Random rnd = new Random(4_2026L);
        int refused = 0;
        for (int trial = 0; trial < 60; trial++) {
            Path dir = tmp.resolve("t" + trial);
            copy(good, dir);
            List<Path> files = files(dir);
            Path victim = files.get(rnd.nextInt(files.size()));
            byte[] bytes = Files.readAllBytes(victim);
            switch (trial % 4) {
                case 0 -> {
                    for (int f = 0; f < 1 + rnd.nextInt(8) && bytes.length > 0; f++) {
                        bytes[rnd.nextInt(bytes.length)] ^= (byte) (1 + rnd.nextInt(255));
                    }
                    Files.write(victim, bytes);
                }
                case 1 -> Files.write(victim, Arrays.copyOf(bytes, bytes.length == 0 ? 0 : rnd.nextInt(bytes.length)));
                case 2 -> {
                    int from = bytes.length == 0 ? 0 : rnd.nextInt(bytes.length);
                    Arrays.fill(bytes, from, Math.min(bytes.length, from + 1 + rnd.nextInt(64)), (byte) 0);
                    Files.write(victim, bytes);
                }
                default -> Files.delete(victim);
            }
            Gallery g;
            try {
                g = reopen(dir);
            } catch (IOException | IllegalArgumentException e) {
                String msg = e.getMessage();
                assertTrue(msg != null && (msg.startsWith(dir.toString()) || msg.startsWith(victim.toString())),
                        "trial " + trial + " (" + victim.getFileName() + "): the message must start with the path: " + e);
                refused++;
                continue;
            }
            try (g) {
                assertTrue(enrolled.containsAll(g.identities()), "trial " + trial + ": identities " + g.identities());
                if (g.imageCount() > 0) {
                    Match m = g.identifyEmbedding(centre(0));
                    assertTrue(enrolled.contains(m.nearest()), "trial " + trial + ": answer " + m);
                }
            }
        }
        assertTrue(refused > 0, "no damage was ever noticed");
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The gallery's files (a lock file, which holds no data, is left alone). */
    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("write.lock"))
                    .sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals("write.lock")) {
                    Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
