package dev.oneshot.siamese.reliability;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryFile;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.gallery.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gallery under concurrent use: 8 threads identify (more threads than the machine's 2 cores)
 * while one thread enrolls {@code e0, e1, ...}, another removes {@code r0, r1, ...} (both in
 * order) and another saves the gallery to a file now and then. Identities {@code b*} are never
 * touched. Every embedding is a seeded random vector, so the query equal to identity X's
 * embedding is at distance ~0 from X and ~32 from anyone else.
 *
 * <p>Every answer must be consistent with a state the gallery really had during the call:
 * a base identity always finds itself; an enrollee whose enrolment had returned before the call
 * finds itself; a removee whose removal had not begun before the call returned finds itself,
 * and one removed before the call began is never found; any other answer is a real identity
 * at its true distance (no torn rows). Every saved file loads and holds such a state: a prefix
 * of the enrollees and all but a prefix of the removees. No exception anywhere; at the end no
 * enrolment is lost. (The gallery package's {@code GalleryConcurrencyTest} has 3 readers and
 * one writer that both enrolls and removes; this one separates the writers, oversubscribes the
 * cores, checks removals, distances and saved snapshots too, for both policies.)
 */
class GalleryUnderLoadTest {
    static final int DIM = 16;
    static final int BASE = 40;
    static final int ENROLL = 60;
    static final int REMOVE = 40;
    static final int IDENTIFIERS = 8;
    /**
     * Answers the identifying threads give between two writes: the writers wait for them, so
     * reads interleave with every write however the scheduler runs the threads.
     */
    static final int ANSWERS_PER_WRITE = 20;
    static final float SELF = 1e-3f;

    private static float[] embedding(String name) {
        SeededRandom r = new SeededRandom(name.hashCode() * 31L + name.length());
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    @Test
    void identifyWhileEnrollingRemovingAndSavingSeesOnlyCommittedStates(@TempDir Path tmp) throws Exception {
        for (Policy policy : Policy.values()) {
            run(policy, Files.createDirectories(tmp.resolve(policy.name())));
        }
    }

    private void run(Policy policy, Path tmp) throws Exception {
        Gallery g = Gallery.ofEmbeddings(DIM, false,
                GalleryOptions.squaredL2(Double.POSITIVE_INFINITY).withPolicy(policy));
        for (int i = 0; i < BASE; i++) {
            g.enrollEmbedding("b" + i, embedding("b" + i));
        }
        for (int i = 0; i < REMOVE; i++) {
            g.enrollEmbedding("r" + i, embedding("r" + i));
        }
        // enrolled[k]: e_k's enroll returned. removing[k]: r_k's remove was called. removed[k]: it returned.
        AtomicInteger enrolled = new AtomicInteger(0);
        AtomicInteger removing = new AtomicInteger(0);
        AtomicInteger removed = new AtomicInteger(0);
        AtomicBoolean done = new AtomicBoolean(false);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicLong answers = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);

        ExecutorService pool = Executors.newFixedThreadPool(IDENTIFIERS + 3);
        List<Future<?>> jobs = new ArrayList<>();
        jobs.add(pool.submit(() -> {
            go.await();
            for (int k = 0; k < ENROLL; k++) {
                awaitAnswers(answers, (long) k * ANSWERS_PER_WRITE);
                g.enrollEmbedding("e" + k, embedding("e" + k));
                enrolled.set(k + 1);
            }
            return null;
        }));
        jobs.add(pool.submit(() -> {
            go.await();
            for (int k = 0; k < REMOVE; k++) {
                awaitAnswers(answers, (long) k * ANSWERS_PER_WRITE);
                removing.set(k + 1);
                assertEquals(1, g.remove("r" + k), "r" + k + " had one image");
                removed.set(k + 1);
                Thread.yield();
            }
            return null;
        }));
        AtomicInteger saves = new AtomicInteger();
        jobs.add(pool.submit(() -> {
            go.await();
            Path file = tmp.resolve("g.safetensors");
            while (!done.get()) {
                GalleryFile.save(file, g);
                checkSnapshot(GalleryFile.loadEmbeddings(file).identities(), problems);
                saves.incrementAndGet();
            }
            return null;
        }));
        for (int t = 0; t < IDENTIFIERS; t++) {
            long seed = 77L + t;
            jobs.add(pool.submit(() -> {
                java.util.Random rnd = new java.util.Random(seed);
                go.await();
                while (!done.get()) {
                    identifyOnce(g, rnd, enrolled, removing, removed, problems);
                    answers.incrementAndGet();
                }
                return null;
            }));
        }
        go.countDown();
        jobs.get(0).get(60, TimeUnit.SECONDS);
        jobs.get(1).get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (saves.get() < 2 && System.nanoTime() < deadline) { // a save that began during the writes
            Thread.sleep(1);
        }
        done.set(true);
        for (Future<?> f : jobs) {
            f.get(60, TimeUnit.SECONDS); // rethrows any exception of any thread
        }
        pool.shutdown();
        assertTrue(problems.isEmpty(), problems.size() + " inconsistent answers, e.g. " + problems.peek());

        Set<String> want = new HashSet<>();
        for (int i = 0; i < BASE; i++) {
            want.add("b" + i);
        }
        for (int k = 0; k < ENROLL; k++) {
            want.add("e" + k);
        }
        assertEquals(want, new HashSet<>(g.identities()), "identities at the end (lost or stray enrolments)");
        assertEquals(BASE + ENROLL, g.imageCount());
        for (String id : want) {
            assertEquals(id, g.identifyEmbedding(embedding(id)).nearest());
        }
        System.out.printf("GalleryUnderLoadTest (%s): %d answers checked, %d saves reloaded%n", policy, answers.get(),
                saves.get());
        assertTrue(answers.get() > 1000 && saves.get() > 0, answers.get() + " answers, " + saves.get() + " saves");
    }

    /** Waits (up to 30 s) until at least {@code n} answers have been given. */
    private static void awaitAnswers(AtomicLong answers, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answers.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(0, 100_000);
        }
    }

    private static void identifyOnce(Gallery g, java.util.Random rnd, AtomicInteger enrolled, AtomicInteger removing,
            AtomicInteger removed, ConcurrentLinkedQueue<String> problems) {
        int kind = rnd.nextInt(3);
        String x = switch (kind) {
            case 0 -> "b" + rnd.nextInt(BASE);
            case 1 -> "e" + rnd.nextInt(ENROLL);
            default -> "r" + rnd.nextInt(REMOVE);
        };
        int k = Integer.parseInt(x.substring(1));
        float[] q = embedding(x);
        boolean mustBePresent = kind == 0 || (kind == 1 && k < enrolled.get());
        boolean mustBeAbsentBefore = kind == 2 && k < removed.get();
        Match m = rnd.nextBoolean() ? g.identifyEmbedding(q) : g.identifyEmbedding(q, 3).get(0);
        boolean mustBePresentAfter = kind == 2 && k >= removing.get();
        if (m.nearest().equals(x)) {
            if (!(m.score() <= SELF)) {
                problems.add(x + " found itself at distance " + m.score());
            }
            if (mustBeAbsentBefore) {
                problems.add(x + " found after its removal returned");
            }
            return;
        }
        if (mustBePresent || mustBePresentAfter) {
            problems.add(x + " must be enrolled but the answer was " + m.nearest() + " at " + m.score());
            return;
        }
        String y = m.nearest();
        if (!y.matches("[ber]\\d+")) {
            problems.add(x + ": answer " + y + " is no identity");
            return;
        }
        double d = distance(q, embedding(y));
        if (Math.abs(m.score() - d) > 1e-3 * Math.max(1, d)) {
            problems.add(x + ": answer " + y + " at " + m.score() + " but its true distance is " + d + " (a torn row?)");
        }
    }

    /** A saved gallery holds every base id, a prefix of e0.., and r_k.. for some k (all others removed). */
    private static void checkSnapshot(List<String> ids, ConcurrentLinkedQueue<String> problems) {
        Set<String> s = new HashSet<>(ids);
        int e = 0;
        while (s.contains("e" + e)) {
            e++;
        }
        int r = 0;
        while (r < REMOVE && !s.contains("r" + r)) {
            r++;
        }
        int expected = BASE + e + (REMOVE - r);
        for (int i = 0; i < BASE; i++) {
            if (!s.contains("b" + i)) {
                problems.add("saved file lacks b" + i);
            }
        }
        for (int i = r; i < REMOVE; i++) {
            if (!s.contains("r" + i)) {
                problems.add("saved file lacks r" + i + " but holds r" + r);
            }
        }
        if (ids.size() != expected) {
            problems.add("saved file holds " + ids.size() + " identities, a consistent state would hold " + expected
                    + " (e0..e" + (e - 1) + ", r" + r + "..): " + ids);
        }
    }
}
