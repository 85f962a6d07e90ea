package dev.oneshot.siamese.gallery;

import dev.oneshot.core.tensor.SeededRandom;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers identify while a writer enrolls and removes. Identities are far apart (random
 * vectors ×10 in 32-d) and queries are enrolled embeddings plus tiny noise, so in every
 * consistent state the right answer is unique: an identity enrolled before the query began
 * (and never removed) must come back, known, every time.
 */
class GalleryConcurrencyTest {
    static final int DIM = 32;
    static final int STABLE = 200;
    static final int ADDED = 1500;

    static float[] centre(int id) {
        SeededRandom r = new SeededRandom(1000 + id);
        float[] v = new float[DIM];
        for (int t = 0; t < DIM; t++) {
            v[t] = 10f * (float) r.nextGaussian();
        }
        return v;
    }

    static float[] near(float[] c, SeededRandom r) {
        float[] v = c.clone();
        for (int t = 0; t < DIM; t++) {
            v[t] += 0.01f * (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void concurrentIdentifyWhileEnrollingAndRemovingSeesConsistentStates() throws Exception {
        for (Policy policy : Policy.values()) {
            run(Gallery.ofEmbeddings(DIM, false, GalleryOptions.squaredL2(1.0).withPolicy(policy)));
        }
    }

    private void run(Gallery g) throws Exception {
        for (int i = 0; i < STABLE; i++) {
            g.enrollEmbedding("id" + i, centre(i));
        }
        AtomicInteger published = new AtomicInteger(STABLE); // ids below this are enrolled for good
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger queries = new AtomicInteger();
        int readers = 3;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[readers];
        for (int t = 0; t < readers; t++) {
            int seed = t;
            threads[t] = new Thread(() -> {
                SeededRandom r = new SeededRandom(seed);
                try {
                    start.await();
                    while (!done.get() || queries.get() < 3000) {
                        int upTo = published.get();
                        int id = (int) (r.nextDouble() * upTo);
                        float[] q = near(centre(id), r);
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
        for (int i = STABLE; i < STABLE + ADDED; i++) {
            g.enrollEmbedding("id" + i, centre(i));
            g.enrollEmbedding("id" + i, near(centre(i), new SeededRandom(i)));
            g.enrollEmbedding("tmp" + i, centre(100_000 + i)); // transient identities come and go
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
        List<String> ids = g.identities();
        assertEquals(STABLE + ADDED + ADDED / 2, ids.size());
    }
}
