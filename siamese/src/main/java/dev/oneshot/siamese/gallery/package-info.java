/**
 * The precomputed gallery: enrol each person once (one forward pass per image), store the
 * embeddings, and recognise a query by embedding only the query and searching the stored
 * embeddings — no retraining to add anyone.
 *
 * <ul>
 *   <li>{@link dev.oneshot.siamese.gallery.Gallery} — the interface: enrol / remove / identify
 *       (top-1, top-k, batch) / verify; {@link dev.oneshot.siamese.gallery.ExactGallery}, the
 *       in-memory implementation, read-write locked (the {@code oneshot-gallery-lucene} module has
 *       an HNSW one).</li>
 *   <li>{@link dev.oneshot.siamese.gallery.GalleryModel} — the model side any gallery shares:
 *       embedding, fingerprint, dimension checks, scores.</li>
 *   <li>{@link dev.oneshot.siamese.model.Metric} — squared L2 (lower = closer, known iff
 *       d ≤ τ) or the Koch head's probability (higher = closer, known iff p ≥ τ).</li>
 *   <li>{@link dev.oneshot.siamese.gallery.Policy} — nearest image or class-mean prototype.</li>
 *   <li>{@link dev.oneshot.siamese.gallery.GalleryFile} — safetensors persistence, bound to the
 *       model by {@link dev.oneshot.siamese.model.ModelFingerprint}.</li>
 * </ul>
 * The in-memory search is exact brute force over chunked rows with the fused distance + top-k kernels of
 * {@code dev.oneshot.core.kernels.DistanceKernels} (one query) or Gemm (many queries).
 */
package dev.oneshot.siamese.gallery;
