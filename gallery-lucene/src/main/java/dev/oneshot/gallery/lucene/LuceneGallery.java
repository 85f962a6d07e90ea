package dev.oneshot.gallery.lucene;

import dev.oneshot.core.kernels.DistanceKernels;
import dev.oneshot.core.kernels.TopK;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryModel;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Identities;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.gallery.Policy;
import dev.oneshot.siamese.gallery.Verification;
import dev.oneshot.siamese.model.Metric;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.twin.InputCheck;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FloatVectorSimilarityQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static dev.oneshot.siamese.gallery.GalleryMetadata.bool;
import static dev.oneshot.siamese.gallery.GalleryMetadata.constant;
import static dev.oneshot.siamese.gallery.GalleryMetadata.number;
import static dev.oneshot.siamese.gallery.GalleryMetadata.positiveInt;
import static dev.oneshot.siamese.gallery.GalleryMetadata.required;
import static dev.oneshot.siamese.gallery.GalleryMetadata.nonNegativeLong;

/**
 * A {@link Gallery} in an Apache Lucene index folder, searched approximately by Lucene's HNSW
 * graph ({@link KnnFloatVectorQuery}) and re-ranked exactly.
 *
 * <p><b>Documents</b>: one per enrolled image — {@code identity} (indexed term and sorted doc
 * value), {@code seq} (the enrolment sequence number: the image's place in enrolment order) and
 * the embedding as a {@link KnnFloatVectorField} {@code image} with the EUCLIDEAN similarity.
 * Under {@link Policy#CLASS_MEAN_PROTOTYPE} each identity has one more document: its prototype
 * (the running mean, updated as m ← m + (x − m)/count in float exactly as the in-memory gallery
 * does, re-normalised when the model normalises) in a vector field {@code proto}, the raw mean
 * and count stored beside it, keyed by {@code proto_of}; only prototypes are searched then.
 *
 * <p><b>Search</b>: the graph returns the {@link HnswSettings#candidates} nearest rows (at least
 * 4·k under the nearest-image policy, doubled while fewer than k distinct identities come back);
 * their squared distances are recomputed exactly from the stored vectors with the same kernel as
 * the in-memory gallery, and the k best distinct identities are kept (ties by enrolment order).
 * So a reported distance is bitwise the in-memory gallery's whenever the graph found the row;
 * the answer differs only when the graph misses the true nearest row (recall &lt; 1). Known
 * means d ≤ τ, decided on the exact d. {@link #identifyWithinTau} asks Lucene for every row whose
 * score passes τ converted to Lucene's scale ({@link LuceneScale}).
 *
 * <p><b>Metadata</b> travels in the commit's user data: {@code oneshot.kind = gallery-lucene},
 * format version, dimension, metric (squared L2 only: Lucene's graph cannot search the Koch
 * head's weighted L1), normalisation, policy, τ, the model fingerprint (checked on open), the
 * next sequence number and the graph's M and beam width.
 *
 * <p><b>Durability</b>: every enrol and remove commits (Lucene fsyncs the new files and then
 * publishes the commit point atomically) before it returns, so a kill never loses an enrolment
 * that returned and never leaves a half-written one. Opening verifies every file's checksum
 * ({@code checkIntegrity}), so a damaged index is refused rather than searched. An I/O failure
 * while writing rolls the writer back and closes the gallery: reopen it.
 *
 * <p><b>Threads</b>: writes are serialised; searches hold a searcher from a
 * {@link SearcherManager} that is refreshed only after a write has committed, so every answer
 * sees the gallery before or after each enrolment or removal, never in between. One process
 * holds the index at a time (Lucene's write lock).
 *
 * <p>I/O failures surface as {@link UncheckedIOException} from the {@link Gallery} methods.
 */
public final class LuceneGallery implements Gallery {
    /** The kind marker in the commit's user data. */
    public static final String KIND_VALUE = "gallery-lucene";
    /** The format written and read. */
    public static final String FORMAT_VERSION = "1";
    static final String KIND = "oneshot.kind";
    static final String VERSION = "gallery.format_version";
    static final String DIM = "gallery.dim";
    static final String METRIC = "gallery.metric";
    static final String NORMALIZED = "gallery.normalized";
    static final String POLICY = "gallery.policy";
    static final String TAU = "gallery.tau";
    static final String FINGERPRINT = "gallery.model_sha256";
    static final String NEXT_SEQ = "gallery.next_seq";
    static final String HNSW_M = "hnsw.max_conn";
    static final String HNSW_BEAM = "hnsw.beam_width";

    static final String F_IDENTITY = "identity";
    static final String F_SEQ = "seq";
    static final String F_IMAGE = "image";
    static final String F_PROTO = "proto";
    static final String F_PROTO_OF = "proto_of";
    static final String F_PROTO_SEQ = "proto_seq";
    static final String F_MEAN = "mean";
    static final String F_COUNT = "count";
    /** Lucene's longest term and sorted doc value, in UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 32766;
    /** Lucene99's largest vector dimension. */
    static final int MAX_DIM = 1024;

    private final Path dir;
    private final Directory directory;
    private final GalleryModel model;
    private final GalleryOptions options;
    private final boolean prototypes;
    private final String searched;
    private final int maxConn;
    private final int beamWidth;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private volatile int candidates;

    /** Guarded by {@code this} (every write is synchronized). */
    private final LinkedHashMap<String, Ident> idents;
    private long nextSeq;
    private boolean closed;
    /** The identity names in enrolment order, rebuilt on demand after an identity comes or goes. */
    private volatile List<String> namesCache;
    private volatile int images;

    /** An identity's state: first sequence number, images, and (prototype policy) the mean and its count. */
    private static final class Ident {
        final long firstSeq;
        int images;
        float[] mean;
        int count;

        Ident(long firstSeq) {
            this.firstSeq = firstSeq;
        }
    }

    private LuceneGallery(Path dir, Directory directory, GalleryModel model, GalleryOptions options, int maxConn,
                          int beamWidth, HnswSettings settings, IndexWriter writer, SearcherManager searchers,
                          LinkedHashMap<String, Ident> idents, long nextSeq) {
        this.dir = dir;
        this.directory = directory;
        this.model = model;
        this.options = options;
        this.prototypes = options.policy() == Policy.CLASS_MEAN_PROTOTYPE;
        this.searched = prototypes ? F_PROTO : F_IMAGE;
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
        this.candidates = settings.candidates();
        this.writer = writer;
        this.searchers = searchers;
        this.idents = idents;
        this.nextSeq = nextSeq;
        count();
    }

    // ------------------------------------------------------------------ create and open

    /**
     * A new gallery index in {@code dir} (created if absent; refused unless it is a new or empty
     * folder) for {@code model}, committed at once with its metadata.
     */
    public static LuceneGallery create(Path dir, SiameseModel model, GalleryOptions options) throws IOException {
        return create(dir, GalleryModel.of(model, options.metric()), options, HnswSettings.defaults());
    }

    /** As {@link #create(Path, SiameseModel, GalleryOptions)} with other graph settings. */
    public static LuceneGallery create(Path dir, SiameseModel model, GalleryOptions options, HnswSettings hnsw)
            throws IOException {
        return create(dir, GalleryModel.of(model, options.metric()), options, hnsw);
    }

    /** A new gallery index of precomputed squared-L2 embeddings of width {@code dim} (no network). */
    public static LuceneGallery createForEmbeddings(Path dir, int dim, boolean normalized, GalleryOptions options)
            throws IOException {
        return createForEmbeddings(dir, dim, normalized, options, HnswSettings.defaults());
    }

    /** As {@link #createForEmbeddings(Path, int, boolean, GalleryOptions)} with other graph settings. */
    public static LuceneGallery createForEmbeddings(Path dir, int dim, boolean normalized, GalleryOptions options,
                                                    HnswSettings hnsw) throws IOException {
        if (options.metric() != Metric.SQUARED_L2) {
            throw new IllegalArgumentException(dir + ": a Lucene gallery searches squared L2 only, not " + options.metric());
        }
        return create(dir, GalleryModel.ofEmbeddings(dim, normalized), options, hnsw);
    }

    private static LuceneGallery create(Path dir, GalleryModel model, GalleryOptions options, HnswSettings hnsw)
            throws IOException {
        if (options.metric() != Metric.SQUARED_L2) {
            throw new IllegalArgumentException(dir + ": a Lucene gallery searches squared L2 only (HNSW cannot "
                    + "search the binary head's weighted L1), not " + options.metric());
        }
        if (model.dim() > MAX_DIM) {
            throw new IllegalArgumentException(dir + ": Lucene indexes vectors of at most " + MAX_DIM
                    + " dimensions; the embeddings have " + model.dim());
        }
        if (exists(dir)) {
            throw new IllegalArgumentException(dir + ": already holds an index; open it instead");
        }
        if (Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + ": is a folder with other files; a new gallery index "
                            + "needs an empty or new folder");
                }
            }
        }
        Files.createDirectories(dir);
        Directory d = FSDirectory.open(dir);
        IndexWriter w = null;
        try {
            w = new IndexWriter(d, config(hnsw.maxConn(), hnsw.beamWidth(), hnsw.ramBufferMb())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE));
            w.setLiveCommitData(meta(model, options, 0, hnsw.maxConn(), hnsw.beamWidth()).entrySet());
            w.commit();
            return new LuceneGallery(dir, d, model, options, hnsw.maxConn(), hnsw.beamWidth(), hnsw, w,
                    new SearcherManager(w, true, false, null), new LinkedHashMap<>(), 0);
        } catch (IOException | RuntimeException e) {
            closeQuietly(w, d);
            throw e;
        }
    }

    /** Whether {@code dir} holds a Lucene index (a gallery or not). */
    public static boolean exists(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Directory d = FSDirectory.open(dir)) {
            return DirectoryReader.indexExists(d);
        }
    }

    /**
     * Opens the gallery index in {@code dir} for {@code model}: refused if the index's model
     * fingerprint, normalisation or dimension is not the model's, or if any file fails its checksum.
     */
    public static LuceneGallery open(Path dir, SiameseModel model) throws IOException {
        return open(dir, model, HnswSettings.defaults());
    }

    /** As {@link #open(Path, SiameseModel)}, searching with {@code hnsw}'s candidates and buffer (M and beam width are the index's). */
    public static LuceneGallery open(Path dir, SiameseModel model, HnswSettings hnsw) throws IOException {
        return read(dir, model, hnsw);
    }

    /** Opens a gallery index of precomputed squared-L2 embeddings (no network). */
    public static LuceneGallery openEmbeddings(Path dir) throws IOException {
        return read(dir, null, HnswSettings.defaults());
    }

    /** As {@link #openEmbeddings(Path)} with {@code hnsw}'s candidates and buffer. */
    public static LuceneGallery openEmbeddings(Path dir, HnswSettings hnsw) throws IOException {
        return read(dir, null, hnsw);
    }

    private static LuceneGallery read(Path dir, SiameseModel model, HnswSettings hnsw) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException(dir + ": no such gallery index folder");
        }
        Directory d = FSDirectory.open(dir);
        IndexWriter w = null;
        SearcherManager sm = null;
        try {
            if (!DirectoryReader.indexExists(d)) {
                throw new IOException(dir + ": not a gallery index (no Lucene commit in the folder)");
            }
            Map<String, String> meta = SegmentInfos.readLatestCommit(d).getUserData();
            if (!KIND_VALUE.equals(meta.get(KIND)) || !FORMAT_VERSION.equals(meta.get(VERSION))) {
                throw new IllegalArgumentException(dir + ": not a gallery index of format version " + FORMAT_VERSION
                        + " (" + KIND + "=" + meta.get(KIND) + ", " + VERSION + "=" + meta.get(VERSION) + ")");
            }
            int dim = positiveInt(dir, meta, DIM);
            boolean normalized = bool(dir, meta, NORMALIZED);
            Metric metric = constant(dir, meta, METRIC, Metric.class);
            if (metric != Metric.SQUARED_L2) {
                throw new IllegalArgumentException(dir + ": gallery metadata '" + METRIC + "' must be SQUARED_L2, got '"
                        + metric + "'");
            }
            GalleryOptions options;
            try {
                options = new GalleryOptions(metric, constant(dir, meta, POLICY, Policy.class), number(dir, meta, TAU));
            } catch (IllegalArgumentException e) {
                throw e.getMessage() != null && e.getMessage().startsWith(dir.toString()) ? e
                        : new IllegalArgumentException(dir + ": gallery metadata: " + e.getMessage(), e);
            }
            String stored = required(dir, meta, FINGERPRINT);
            GalleryModel gm;
            if (model != null) {
                if (model.card().normalized() != normalized) {
                    throw new IllegalArgumentException(dir + ": the gallery was built with normalized=" + normalized
                            + " but the model's card says normalized=" + model.card().normalized());
                }
                gm = GalleryModel.of(model, metric);
                if (gm.dim() != dim) {
                    throw new IllegalArgumentException(dir + ": the gallery holds embeddings of dimension " + dim
                            + " but the model gives " + gm.dim());
                }
            } else {
                gm = GalleryModel.ofEmbeddings(dim, normalized);
            }
            if (!stored.equals(gm.fingerprint())) {
                throw new IllegalArgumentException(dir + ": refusing to open with a different model: the gallery's "
                        + "embeddings come from model sha256:" + stored + " but the given model is sha256:"
                        + gm.fingerprint());
            }
            long nextSeq = nonNegativeLong(dir, meta, NEXT_SEQ);
            int m = positiveInt(dir, meta, HNSW_M);
            int beam = positiveInt(dir, meta, HNSW_BEAM);
            w = new IndexWriter(d, config(m, beam, hnsw.ramBufferMb()).setOpenMode(IndexWriterConfig.OpenMode.APPEND));
            sm = new SearcherManager(w, true, false, null);
            LinkedHashMap<String, Ident> idents = new LinkedHashMap<>();
            IndexSearcher s = sm.acquire();
            try {
                nextSeq = Math.max(nextSeq, scan(dir, s, dim, options.policy() == Policy.CLASS_MEAN_PROTOTYPE, idents));
            } finally {
                sm.release(s);
            }
            return new LuceneGallery(dir, d, gm, options, m, beam, hnsw, w, sm, idents, nextSeq);
        } catch (IOException | RuntimeException e) {
            if (sm != null) {
                try {
                    sm.close();
                } catch (IOException | RuntimeException ignored) {
                    // the first failure is the one reported
                }
            }
            if (w != null) {
                try {
                    w.rollback(); // nothing of ours is pending: leave the index exactly as found
                } catch (IOException | RuntimeException ignored) {
                    // as above
                }
            }
            closeQuietly(null, d);
            String msg = e.getMessage();
            if (msg != null && msg.startsWith(dir.toString())) {
                throw e;
            }
            throw new IOException(dir + ": not a readable gallery index: " + e, e);
        }
    }

    /**
     * Verifies every segment's checksums and rebuilds the identity table (enrolment order by first
     * sequence number; prototypes from their stored means). Returns one past the largest sequence number.
     */
    private static long scan(Path dir, IndexSearcher s, int dim, boolean protos, LinkedHashMap<String, Ident> out)
            throws IOException {
        Map<String, Ident> found = new HashMap<>();
        long next = 0;
        for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
            LeafReader leaf = ctx.reader();
            leaf.checkIntegrity();
            Bits live = leaf.getLiveDocs();
            SortedDocValues names = leaf.getSortedDocValues(F_IDENTITY);
            NumericDocValues seqs = leaf.getNumericDocValues(F_SEQ);
            if (seqs != null) {
                FloatVectorValues vectors = leaf.getFloatVectorValues(F_IMAGE);
                if (names == null || vectors == null || vectors.dimension() != dim) {
                    throw new IllegalArgumentException(dir + ": segment " + ctx.ord + " has images without an "
                            + "identity or vectors of dimension " + dim);
                }
                for (int doc = seqs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = seqs.nextDoc()) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    if (!names.advanceExact(doc)) {
                        throw new IllegalArgumentException(dir + ": an image (segment " + ctx.ord + ", doc " + doc
                                + ") has no identity");
                    }
                    String name = names.lookupOrd(names.ordValue()).utf8ToString();
                    long seq = seqs.longValue();
                    next = Math.max(next, seq + 1);
                    Ident id = found.get(name);
                    if (id == null || id.firstSeq > seq) {
                        Ident fresh = new Ident(seq);
                        if (id != null) {
                            fresh.images = id.images;
                            fresh.mean = id.mean;
                            fresh.count = id.count;
                        }
                        found.put(name, fresh);
                        id = fresh;
                    }
                    id.images++;
                }
            }
            NumericDocValues protoSeqs = leaf.getNumericDocValues(F_PROTO_SEQ);
            if (protos && protoSeqs != null) {
                StoredFields stored = leaf.storedFields();
                for (int doc = protoSeqs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = protoSeqs.nextDoc()) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document p = stored.document(doc);
                    String name = p.get(F_PROTO_OF);
                    BytesRef mean = p.getBinaryValue(F_MEAN);
                    Number count = p.getField(F_COUNT) == null ? null : p.getField(F_COUNT).numericValue();
                    if (name == null || mean == null || mean.length != 4 * dim || count == null || count.intValue() < 1) {
                        throw new IllegalArgumentException(dir + ": a prototype (segment " + ctx.ord + ", doc " + doc
                                + ") lacks its identity, a mean of " + dim + " floats or a count");
                    }
                    Ident id = found.computeIfAbsent(name, n -> new Ident(Long.MAX_VALUE));
                    id.mean = floats(mean, dim);
                    id.count = count.intValue();
                }
            }
        }
        List<Map.Entry<String, Ident>> order = new ArrayList<>(found.entrySet());
        order.sort(Comparator.comparingLong(e -> e.getValue().firstSeq));
        for (Map.Entry<String, Ident> e : order) {
            Ident id = e.getValue();
            if (id.images == 0) {
                throw new IllegalArgumentException(dir + ": identity '" + e.getKey() + "' has a prototype but no images");
            }
            if (protos && id.mean == null) {
                throw new IllegalArgumentException(dir + ": identity '" + e.getKey() + "' has no prototype");
            }
            out.put(e.getKey(), id);
        }
        return next;
    }

    private static IndexWriterConfig config(int maxConn, int beamWidth, double ramBufferMb) {
        KnnVectorsFormat format = new Lucene99HnswVectorsFormat(maxConn, beamWidth);
        Codec codec = new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
        return new IndexWriterConfig().setCodec(codec).setRAMBufferSizeMB(ramBufferMb).setCommitOnClose(false);
    }

    private static Map<String, String> meta(GalleryModel model, GalleryOptions options, long nextSeq, int m, int beam) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KIND, KIND_VALUE);
        meta.put(VERSION, FORMAT_VERSION);
        meta.put(DIM, Integer.toString(model.dim()));
        meta.put(METRIC, options.metric().name());
        meta.put(NORMALIZED, Boolean.toString(model.normalized()));
        meta.put(POLICY, options.policy().name());
        meta.put(TAU, Double.toString(options.tau()));
        meta.put(FINGERPRINT, model.fingerprint());
        meta.put(NEXT_SEQ, Long.toString(nextSeq));
        meta.put(HNSW_M, Integer.toString(m));
        meta.put(HNSW_BEAM, Integer.toString(beam));
        return meta;
    }

    // ------------------------------------------------------------------ enrolment

    @Override
    public int enroll(String id, Tensor images) {
        InputCheck.requireFinite("Gallery.enroll('" + id + "'): images", images);
        model.checkUnchanged();
        float[] rows = model.embed(images);
        return enrollRows(id, rows, rows.length / model.dim());
    }

    @Override
    public void enrollEmbedding(String id, float[] embedding) {
        model.checkDim("the embedding for '" + id + "'", embedding.length);
        enrollRows(id, embedding, 1);
    }

    @Override
    public int enrollEmbeddings(String id, float[] rows, int n) {
        model.checkDim("each of the " + n + " embeddings for '" + id + "'", n > 0 ? rows.length / n : -1);
        if ((long) n * model.dim() != rows.length) {
            throw new IllegalArgumentException("Gallery: " + rows.length + " floats are not " + n + " rows of "
                    + model.dim());
        }
        return enrollRows(id, rows, n);
    }

    private synchronized int enrollRows(String id, float[] rows, int n) {
        check(id, rows);
        ensureOpen();
        try {
            addRows(id, rows, n);
            commit(nextSeq);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
        return n;
    }

    /**
     * Enrolls several identities at once, each with its rows [n·dim] (n = length / dim), in one
     * commit: all of them or, if the call fails, none. Returns the number of images added.
     */
    public synchronized int enrollAll(Map<String, float[]> rowsById) {
        int dim = model.dim();
        for (Map.Entry<String, float[]> e : rowsById.entrySet()) {
            float[] rows = e.getValue();
            if (rows.length == 0 || rows.length % dim != 0) {
                throw new IllegalArgumentException("Gallery: " + rows.length + " floats for '" + e.getKey()
                        + "' are not rows of " + dim);
            }
            check(e.getKey(), rows);
        }
        ensureOpen();
        int total = 0;
        try {
            for (Map.Entry<String, float[]> e : rowsById.entrySet()) {
                int n = e.getValue().length / dim;
                addRows(e.getKey(), e.getValue(), n);
                total += n;
            }
            commit(nextSeq);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
        return total;
    }

    private static void check(String id, float[] rows) {
        Identities.checkName(id);
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("Gallery: identity name of " + id.getBytes(StandardCharsets.UTF_8).length
                    + " UTF-8 bytes is longer than Lucene's " + MAX_NAME_BYTES);
        }
        for (float v : rows) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("Gallery: an embedding for '" + id + "' has a non-finite value " + v);
            }
        }
    }

    /** Adds the rows (not committed yet) and updates the identity table; the caller commits. */
    private void addRows(String id, float[] rows, int n) throws IOException {
        int dim = model.dim();
        Ident old = idents.get(id);
        Ident next = new Ident(old != null ? old.firstSeq : nextSeq);
        next.images = (old != null ? old.images : 0) + n;
        List<Document> docs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Document doc = new Document();
            doc.add(new StringField(F_IDENTITY, id, Field.Store.NO));
            doc.add(new SortedDocValuesField(F_IDENTITY, new BytesRef(id)));
            doc.add(new NumericDocValuesField(F_SEQ, nextSeq + i));
            doc.add(new KnnFloatVectorField(F_IMAGE, Arrays.copyOfRange(rows, i * dim, (i + 1) * dim),
                    VectorSimilarityFunction.EUCLIDEAN));
            docs.add(doc);
        }
        Document proto = null;
        if (prototypes) {
            float[] mean = old != null ? old.mean.clone() : null;
            int count = old != null ? old.count : 0;
            for (int i = 0; i < n; i++) {
                if (mean == null) {
                    mean = Arrays.copyOfRange(rows, i * dim, (i + 1) * dim);
                    count = 1;
                } else {
                    int c = ++count;
                    for (int t = 0; t < dim; t++) {
                        mean[t] += (rows[i * dim + t] - mean[t]) / c;
                    }
                }
            }
            next.mean = mean;
            next.count = count;
            proto = protoDocument(id, next.firstSeq, mean, count, model.normalized());
        }
        writer.addDocuments(docs);
        if (proto != null) {
            writer.updateDocument(new Term(F_PROTO_OF, id), proto);
        }
        nextSeq += n;
        if (old == null) {
            namesCache = null;
        }
        idents.put(id, next);
        images += n;
    }

    private static Document protoDocument(String id, long firstSeq, float[] mean, int count, boolean normalized) {
        float[] searchedVector = mean.clone();
        if (normalized) {
            float sq = 0f;
            for (float v : searchedVector) {
                sq += v * v;
            }
            float inv = (float) (1.0 / Math.max(Math.sqrt(sq), 1e-12));
            for (int t = 0; t < searchedVector.length; t++) {
                searchedVector[t] *= inv;
            }
        }
        Document doc = new Document();
        doc.add(new StringField(F_IDENTITY, id, Field.Store.NO));
        doc.add(new SortedDocValuesField(F_IDENTITY, new BytesRef(id)));
        doc.add(new StringField(F_PROTO_OF, id, Field.Store.YES));
        doc.add(new NumericDocValuesField(F_PROTO_SEQ, firstSeq));
        doc.add(new KnnFloatVectorField(F_PROTO, searchedVector,
                VectorSimilarityFunction.EUCLIDEAN));
        doc.add(new StoredField(F_MEAN, bytes(mean)));
        doc.add(new StoredField(F_COUNT, count));
        return doc;
    }

    @Override
    public synchronized int remove(String id) {
        ensureOpen();
        Ident old = idents.get(id);
        if (old == null) {
            throw new NoSuchElementException("Gallery: no identity '" + id + "' is enrolled (" + idents.size()
                    + " identities)");
        }
        try {
            writer.deleteDocuments(new Term(F_IDENTITY, id));
            idents.remove(id);
            namesCache = null;
            images -= old.images;
            commit(nextSeq);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
        return old.images;
    }

    /** Commits (durable on return) and makes the new state visible to searches. */
    private void commit(long seq) throws IOException {
        writer.setLiveCommitData(meta(model, options, seq, maxConn, beamWidth).entrySet());
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    /** A failed write: roll back to the last commit and close; the exception goes on as unchecked. */
    private void fail(Exception e) {
        closed = true;
        try {
            searchers.close();
            writer.rollback();
        } catch (IOException | RuntimeException suppressed) {
            e.addSuppressed(suppressed);
        }
        closeQuietly(null, directory);
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw new UncheckedIOException(dir + ": the write failed; the gallery is closed (reopen it: every enrolment "
                + "that returned is there)", (IOException) e);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(dir + ": the gallery is closed");
        }
    }

    private void count() {
        int n = 0;
        for (Ident i : idents.values()) {
            n += i.images;
        }
        images = n;
    }

    // ------------------------------------------------------------------ search

    @Override
    public GalleryModel model() {
        return model;
    }

    @Override
    public Match identifyEmbedding(float[] query) {
        model.checkDim("the query", query.length);
        InputCheck.requireFinite("Gallery.identifyEmbedding: query", query);
        List<Match> top = search(query, 1, null);
        return top.isEmpty() ? new Match(null, Float.NaN, false) : top.get(0);
    }

    @Override
    public List<Match> identifyEmbedding(float[] query, int k) {
        return identifyEmbedding(query, k, null);
    }

    /**
     * The k ≥ 1 best distinct identities for a query embedding among {@code among} only (null:
     * all), best first: the graph search runs with a filter on the identity term.
     */
    public List<Match> identifyEmbedding(float[] query, int k, Collection<String> among) {
        model.checkDim("the query", query.length);
        InputCheck.requireFinite("Gallery.identifyEmbedding: query", query);
        if (k < 1) {
            throw new IllegalArgumentException("Gallery: k must be >= 1, got " + k);
        }
        Query filter = null;
        if (among != null) {
            List<BytesRef> terms = new ArrayList<>(among.size());
            for (String s : among) {
                terms.add(new BytesRef(s));
            }
            filter = new TermInSetQuery(F_IDENTITY, terms);
        }
        return search(query, k, filter);
    }

    @Override
    public List<Match> identifyEmbeddings(float[] queries, int m) {
        int dim = model.dim();
        if (m < 0 || (long) m * dim != queries.length) {
            throw new IllegalArgumentException("Gallery: " + queries.length + " floats are not " + m
                    + " queries of the gallery's dimension " + dim);
        }
        InputCheck.requireFinite("Gallery.identifyEmbeddings: queries", queries);
        List<Match> out = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            List<Match> top = search(Arrays.copyOfRange(queries, i * dim, (i + 1) * dim), 1, null);
            out.add(top.isEmpty() ? new Match(null, Float.NaN, false) : top.get(0));
        }
        return out;
    }

    /**
     * Every identity with a row within τ of the query, nearest first: Lucene collects the rows
     * whose score is at least {@link LuceneScale#scoreBound}(τ) ({@link FloatVectorSimilarityQuery}),
     * and the exact squared distance then keeps those with d ≤ τ.
     */
    public List<Match> identifyWithinTau(float[] query) {
        model.checkDim("the query", query.length);
        InputCheck.requireFinite("LuceneGallery.identifyWithinTau: query", query);
        float bound = LuceneScale.scoreBound(options.tau());
        IndexSearcher s = acquire();
        try {
            int n = s.getIndexReader().numDocs();
            if (n == 0) {
                return List.of();
            }
            TopDocs td = s.search(new FloatVectorSimilarityQuery(searched, query, bound, bound), n);
            List<Match> all = rerank(s, td.scoreDocs, query, Math.max(1, identities().size()));
            List<Match> known = new ArrayList<>();
            for (Match m : all) {
                if (m.known()) {
                    known.add(m);
                }
            }
            return known;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": search failed", e);
        } finally {
            release(s);
        }
    }

    private List<Match> search(float[] query, int k, Query filter) {
        IndexSearcher s = acquire();
        try {
            int docs = s.getIndexReader().numDocs();
            if (docs == 0) {
                return List.of();
            }
            int want = Math.max(candidatesFor(docs), prototypes ? k : 4 * k);
            while (true) {
                TopDocs td = s.search(new KnnFloatVectorQuery(searched, query, want, filter), want);
                List<Match> top = rerank(s, td.scoreDocs, query, k);
                if (top.size() >= k || td.scoreDocs.length < want || want >= docs) {
                    return top;
                }
                want = (int) Math.min(2L * want, docs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": search failed", e);
        } finally {
            release(s);
        }
    }

    /** The exact squared distances of the hits, best k distinct identities (ties by enrolment order). */
    private List<Match> rerank(IndexSearcher s, ScoreDoc[] hits, float[] query, int k) throws IOException {
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        int[] docs = new int[hits.length];
        for (int i = 0; i < hits.length; i++) {
            docs[i] = hits[i].doc;
        }
        Arrays.sort(docs);
        TopK top = new TopK(k);
        Map<String, Integer> labels = new HashMap<>();
        List<String> names = new ArrayList<>();
        String seqField = prototypes ? F_PROTO_SEQ : F_SEQ;
        int i = 0;
        while (i < docs.length) {
            LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(docs[i], leaves));
            int end = ctx.docBase + ctx.reader().maxDoc();
            FloatVectorValues vectors = ctx.reader().getFloatVectorValues(searched);
            SortedDocValues ids = ctx.reader().getSortedDocValues(F_IDENTITY);
            NumericDocValues seqs = ctx.reader().getNumericDocValues(seqField);
            for (; i < docs.length && docs[i] < end; i++) {
                int doc = docs[i] - ctx.docBase;
                if (vectors.docID() >= doc || vectors.advance(doc) != doc || !ids.advanceExact(doc)
                        || !seqs.advanceExact(doc)) {
                    throw new IOException(dir + ": hit " + docs[i] + " lacks its vector, identity or sequence number");
                }
                float d = DistanceKernels.squaredL2(query, 0, vectors.vectorValue(), 0, query.length);
                String name = ids.lookupOrd(ids.ordValue()).utf8ToString();
                Integer label = labels.get(name);
                if (label == null) {
                    label = names.size();
                    labels.put(name, label);
                    names.add(name);
                }
                top.offer(d, (int) Math.min(seqs.longValue(), Integer.MAX_VALUE), label);
            }
        }
        List<Match> out = new ArrayList<>(top.size());
        for (int j = 0; j < top.size(); j++) {
            float score = model.score(top.key(j));
            out.add(new Match(names.get(top.label(j)), score, options.metric().accepts(score, options.tau())));
        }
        return out;
    }

    private IndexSearcher acquire() {
        try {
            return searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot acquire a searcher", e);
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw new IllegalStateException(dir + ": the gallery is closed", e);
        }
    }

    private void release(IndexSearcher s) {
        try {
            searchers.release(s);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot release a searcher", e);
        }
    }

    @Override
    public Verification verify(Tensor imageA, Tensor imageB) {
        InputCheck.requireFinite("Gallery.verify: first image", imageA);
        InputCheck.requireFinite("Gallery.verify: second image", imageB);
        float[] both = model.embed(Tensor.concat(0, imageA, imageB));
        int dim = model.dim();
        if (both.length != 2 * dim) {
            throw new IllegalArgumentException("Gallery: verify takes one image each ([1, ...])");
        }
        return verifyEmbeddings(Arrays.copyOf(both, dim), Arrays.copyOfRange(both, dim, 2 * dim));
    }

    @Override
    public Verification verifyEmbeddings(float[] a, float[] b) {
        model.checkDim("the first embedding", a.length);
        model.checkDim("the second embedding", b.length);
        InputCheck.requireFinite("Gallery.verifyEmbeddings: first embedding", a);
        InputCheck.requireFinite("Gallery.verifyEmbeddings: second embedding", b);
        float score = model.score(model.key(a, b));
        return new Verification(options.metric().accepts(score, options.tau()), score);
    }

    // ------------------------------------------------------------------ description

    @Override
    public List<String> identities() {
        List<String> names = namesCache;
        if (names != null) {
            return names;
        }
        synchronized (this) {
            if (namesCache == null) {
                namesCache = List.copyOf(idents.keySet());
            }
            return namesCache;
        }
    }

    @Override
    public int imageCount() {
        return images;
    }

    @Override
    public int dim() {
        return model.dim();
    }

    @Override
    public boolean normalized() {
        return model.normalized();
    }

    @Override
    public GalleryOptions options() {
        return options;
    }

    @Override
    public String fingerprint() {
        return model.fingerprint();
    }

    /** The index folder. */
    public Path directory() {
        return dir;
    }

    /** The candidates each graph search returns before the exact re-ranking ({@link HnswSettings#AUTO}: by size). */
    public int candidates() {
        return candidates;
    }

    /** The candidates a search of a gallery of {@code rows} rows uses now. */
    int candidatesFor(long rows) {
        return new HnswSettings(maxConn, beamWidth, candidates, 1).candidatesFor(rows);
    }

    /**
     * Sets the candidates per graph search (≥ 1, or {@link HnswSettings#AUTO}): more is slower and
     * finds the true nearest row more often.
     */
    public void setCandidates(int c) {
        if (c < 0) {
            throw new IllegalArgumentException("LuceneGallery: candidates must be >= 1 or AUTO (0), got " + c);
        }
        candidates = c;
    }

    /** Merges the index into one segment (one graph per field), then commits: fewer graphs to search. */
    public synchronized void optimize() {
        ensureOpen();
        try {
            writer.forceMerge(1);
            commit(nextSeq);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Bytes on disk of the index's files. */
    public long sizeOnDisk() {
        try {
            long total = 0;
            for (String f : directory.listAll()) {
                try {
                    total += directory.fileLength(f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // merged away while listing
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the index", e);
        }
    }

    /** Closes the searchers, the writer (everything is committed already) and the folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        try {
            searchers.close();
        } catch (IOException e) {
            first = e;
        }
        try {
            writer.close();
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        try {
            directory.close();
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw new UncheckedIOException(dir + ": close failed", first);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    private static float[] floats(BytesRef r, int dim) {
        ByteBuffer b = ByteBuffer.wrap(r.bytes, r.offset, r.length).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[dim];
        for (int t = 0; t < dim; t++) {
            v[t] = b.getFloat();
        }
        return v;
    }

    private static void closeQuietly(IndexWriter w, Directory d) {
        try {
            if (w != null) {
                w.rollback();
            }
        } catch (IOException | RuntimeException ignored) {
            // the first failure is the one reported
        }
        try {
            d.close();
        } catch (IOException | RuntimeException ignored) {
            // as above
        }
    }
}
