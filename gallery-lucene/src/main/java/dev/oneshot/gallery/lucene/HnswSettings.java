package dev.oneshot.gallery.lucene;

/**
 * How the HNSW graph is built and searched.
 *
 * @param maxConn    M: the neighbours each node keeps per layer (Lucene's default 16)
 * @param beamWidth  the candidates considered while inserting a node (Lucene's default 100)
 * @param candidates the k given to each {@code KnnFloatVectorQuery}: the nearest rows the graph
 *                   search returns (its beam), which the gallery then re-ranks exactly; at
 *                   least the k of the caller. 0 = {@link #AUTO}: grow with the gallery as
 *                   max(32, ⌈32·√(n / 100,000)⌉) for n enrolled rows (32 at 100,000, 102 at
 *                   1,000,000; measured with 32 and 100: recall@1 1.0 and 0.996, docs/benchmarks.md)
 * @param ramBufferMb the writer's buffer before it flushes a segment (one segment per flush:
 *                   a bigger buffer builds fewer, larger graphs)
 */
public record HnswSettings(int maxConn, int beamWidth, int candidates, double ramBufferMb) {
    public HnswSettings {
        if (maxConn < 2 || maxConn > 512) {
            throw new IllegalArgumentException("HnswSettings: maxConn must be in [2, 512], got " + maxConn);
        }
        if (beamWidth < 1 || beamWidth > 3200) {
            throw new IllegalArgumentException("HnswSettings: beamWidth must be in [1, 3200], got " + beamWidth);
        }
        if (candidates < 0) {
            throw new IllegalArgumentException("HnswSettings: candidates must be >= 1, or 0 for automatic, got "
                    + candidates);
        }
        if (!(ramBufferMb >= 1 && ramBufferMb <= 2000)) {
            throw new IllegalArgumentException("HnswSettings: ramBufferMb must be in [1, 2000], got " + ramBufferMb);
        }
    }

    /** Candidates that grow with the gallery (see {@code candidates}). */
    public static final int AUTO = 0;

    /** M 16, beam width 100, {@link #AUTO} candidates per query, a 256 MB buffer. */
    public static HnswSettings defaults() {
        return new HnswSettings(16, 100, AUTO, 256);
    }

    /** The candidates for a gallery of {@code rows} rows: the set number, or the automatic one. */
    public int candidatesFor(long rows) {
        if (candidates != AUTO) {
            return candidates;
        }
        return (int) Math.max(32, Math.ceil(32 * Math.sqrt(rows / 100_000.0)));
    }

    public HnswSettings withCandidates(int c) {
        return new HnswSettings(maxConn, beamWidth, c, ramBufferMb);
    }

    public HnswSettings withRamBufferMb(double mb) {
        return new HnswSettings(maxConn, beamWidth, candidates, mb);
    }
}
