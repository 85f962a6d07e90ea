package dev.oneshot.gallery.lucene;

import dev.oneshot.siamese.gallery.ExactGallery;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The HNSW-versus-exact-scan measurement behind {@code oneshot bench --only hnsw} and the JMH
 * suite: the same {@link ClusteredVectors} enrolled into a {@link LuceneGallery} (in a temporary
 * folder) and an {@link ExactGallery}; recall@1 is the share of queries whose answer (nearest
 * identity and its exact distance, so the same nearest row) is the exact scan's.
 */
public final class HnswBench implements AutoCloseable {
    /** Embedding width. */
    public static final int DIM = 128;
    /** Views enrolled per identity. */
    public static final int VIEWS = 10;
    /** Noise norm of a view (two views of one identity at d² ≈ 0.5, identities at ≈ 2). */
    public static final float NOISE = 0.5f;
    /** The build time's file beside a kept index. */
    public static final String BUILD_FILE = "build-seconds.txt";

    public final int rows;
    public final ClusteredVectors data;
    public final LuceneGallery lucene;
    public final ExactGallery exact;
    /** Seconds the index took to build (enrolment and merge), read back from the folder when it was built before. */
    public final double buildSeconds;
    private final Path dir;
    private final boolean temporary;

    /**
     * Builds both galleries of {@code rows} (a multiple of {@value #VIEWS}) vectors. The index is
     * built in {@code indexDir} (a fresh temporary folder, deleted on close, when null), all rows
     * in one commit with a writer buffer big enough for one segment (one graph), and merged to one
     * segment if the buffer flushed anyway; that time is {@link #buildSeconds}. When
     * {@code indexDir} already holds the index it is opened instead (the build time is read from
     * {@value #BUILD_FILE} beside it). The exact gallery is built in memory each time.
     */
    public HnswBench(int rows, HnswSettings settings, long seed, Path indexDir) throws IOException {
        if (rows < VIEWS || rows % VIEWS != 0) {
            throw new IllegalArgumentException("HnswBench: rows must be a positive multiple of " + VIEWS + ", got " + rows);
        }
        this.rows = rows;
        this.data = new ClusteredVectors(rows / VIEWS, DIM, NOISE, seed);
        this.temporary = indexDir == null;
        this.dir = temporary ? Files.createTempDirectory("oneshot-hnsw-") : indexDir;
        Path index = dir.resolve("index");
        Path buildFile = dir.resolve(BUILD_FILE);
        GalleryOptions options = GalleryOptions.squaredL2(1.0);
        this.exact = Gallery.ofEmbeddings(DIM, true, options);
        boolean reuse = LuceneGallery.exists(index) && Files.exists(buildFile);
        Map<String, float[]> all = reuse ? null : new LinkedHashMap<>();
        for (int id = 0; id < data.identities(); id++) {
            float[] v = data.views(id, VIEWS, seed);
            exact.enrollEmbeddings("id" + id, v, VIEWS);
            if (all != null) {
                all.put("id" + id, v);
            }
        }
        HnswSettings s = settings.withRamBufferMb(Math.min(1900, Math.max(settings.ramBufferMb(),
                64 + 2.5 * rows * DIM * 4 / 1e6)));
        if (reuse) {
            this.lucene = LuceneGallery.openEmbeddings(index, s);
            this.buildSeconds = Double.parseDouble(Files.readString(buildFile).trim());
        } else {
            LuceneGallery g = LuceneGallery.createForEmbeddings(index, DIM, true, options, s);
            long t0 = System.nanoTime();
            g.enrollAll(all);
            g.optimize();
            this.buildSeconds = (System.nanoTime() - t0) / 1e9;
            Files.writeString(buildFile, Double.toString(buildSeconds) + "\n");
            this.lucene = g;
        }
        if (lucene.imageCount() != rows) {
            throw new IllegalStateException(index + ": holds " + lucene.imageCount() + " rows, expected " + rows);
        }
    }

    /** As {@link #HnswBench(int, HnswSettings, long, Path)} in a temporary folder. */
    public HnswBench(int rows, HnswSettings settings, long seed) throws IOException {
        this(rows, settings, seed, null);
    }

    /** The exact answers to the queries (rows of {@code queries} [m·dim]). */
    public Match[] exactAnswers(float[] queries) {
        int m = queries.length / DIM;
        Match[] out = new Match[m];
        for (int q = 0; q < m; q++) {
            out[q] = exact.identifyEmbedding(Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM));
        }
        return out;
    }

    /** Share of queries whose Lucene answer equals the exact one (identity and distance). */
    public double recallAt1(float[] queries, Match[] exactAnswers) {
        int m = queries.length / DIM;
        int hit = 0;
        for (int q = 0; q < m; q++) {
            if (lucene.identifyEmbedding(Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM)).equals(exactAnswers[q])) {
                hit++;
            }
        }
        return (double) hit / m;
    }

    /** Mean ms per query over the queries, one thread, after one untimed pass over the first {@code warm}. */
    public static double meanQueryMs(Gallery g, float[] queries, int warm) {
        int m = queries.length / DIM;
        float[][] qs = new float[m][];
        for (int q = 0; q < m; q++) {
            qs[q] = Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
        }
        for (int q = 0; q < Math.min(warm, m); q++) {
            g.identifyEmbedding(qs[q]);
        }
        long t0 = System.nanoTime();
        for (float[] q : qs) {
            g.identifyEmbedding(q);
        }
        return (System.nanoTime() - t0) / 1e6 / m;
    }

    /** Bytes of the index on disk. */
    public long indexBytes() {
        return lucene.sizeOnDisk();
    }

    /** Closes the index and deletes its folder if it was a temporary one. */
    @Override
    public void close() {
        lucene.close();
        if (!temporary) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot delete the benchmark index", e);
        }
    }
}
