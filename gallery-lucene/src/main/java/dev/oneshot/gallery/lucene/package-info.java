/**
 * The gallery in an Apache Lucene index folder, for galleries too large to scan:
 * <ul>
 *   <li>{@link dev.oneshot.gallery.lucene.LuceneGallery} — a {@link dev.oneshot.siamese.gallery.Gallery}
 *       whose queries walk Lucene's HNSW graph ({@code KnnFloatVectorQuery}) for candidates and
 *       re-rank them exactly; every enrolment committed before it returns; the model fingerprint
 *       checked on open.</li>
 *   <li>{@link dev.oneshot.gallery.lucene.LuceneScale} — squared L2 distance ↔ Lucene's EUCLIDEAN
 *       score 1 / (1 + d²), and τ as a score bound.</li>
 *   <li>{@link dev.oneshot.gallery.lucene.HnswSettings} — the graph's M and beam width, the
 *       candidates per query.</li>
 *   <li>{@link dev.oneshot.gallery.lucene.ClusteredVectors}, {@link dev.oneshot.gallery.lucene.HnswBench}
 *       — the synthetic embeddings and the HNSW-versus-scan measurement of {@code oneshot bench --only hnsw}
 *       and the JMH suite.</li>
 * </ul>
 */
package dev.oneshot.gallery.lucene;
