package dev.oneshot.siamese.gallery;

import dev.oneshot.core.io.DType;
import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.io.StoredTensor;
import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.model.Metric;
import dev.oneshot.siamese.model.ModelFingerprint;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.oneshot.siamese.gallery.GalleryMetadata.bool;
import static dev.oneshot.siamese.gallery.GalleryMetadata.constant;
import static dev.oneshot.siamese.gallery.GalleryMetadata.number;
import static dev.oneshot.siamese.gallery.GalleryMetadata.positiveInt;
import static dev.oneshot.siamese.gallery.GalleryMetadata.required;

/**
 * A gallery in one safetensors file (written atomically: temp file, fsync, rename).
 *
 * <p><b>Tensors</b>: {@code embeddings} [n, d] F32 (every enrolled image, in enrolment order)
 * and {@code labels} [n] I32 (each row's index into the identity names).
 *
 * <p><b>Metadata</b> (strings):
 * <pre>
 *   oneshot.kind              "gallery"
 *   gallery.format_version    "2" (version "1" is read too, see below)
 *   gallery.identities        JSON array of the names, index = label, e.g. ["alice","bob"]
 *   gallery.dim               embedding dimension d, e.g. "128"
 *   gallery.metric            SQUARED_L2 | BINARY_HEAD_PROBABILITY
 *   gallery.normalized        "true" | "false" (the network L2-normalises its embeddings)
 *   gallery.policy            NEAREST_IMAGE | CLASS_MEAN_PROTOTYPE
 *   gallery.tau               τ as Double.toString (round-trips exactly)
 *   gallery.model_sha256      the {@link ModelFingerprint} of the model: {@link SiameseModel#fingerprint()},
 *                             or for precomputed embeddings that of the head's state dict (or of nothing)
 * </pre>
 * Version 1 files (written before model cards) hashed the embedding network's state dict under
 * its own names ({@code 0.weight}, not {@code embedding.0.weight}); they load for a model
 * without a head and are written back as version 2.
 * Prototypes are not stored: loading re-enrolls the rows in order, which rebuilds them
 * bitwise. Loading checks the fingerprint (and normalisation) against the model it is given
 * and refuses a mismatch, naming both fingerprints.
 *
 * <p>Loading a file that is not such a gallery fails with an {@link IOException} (the
 * safetensors layer: {@link dev.oneshot.core.io.SafetensorsFormatException}) or an
 * {@link IllegalArgumentException}; either message starts with the file's path and names the
 * field and the value found ({@code GalleryFileFuzzTest} holds it to that).
 */
public final class GalleryFile {
    /** The version written. Version 1 (before model cards) is read too, for models without a head. */
    public static final String FORMAT_VERSION = "2";
    static final String LEGACY_VERSION = "1";
    static final String KIND = "oneshot.kind";
    static final String VERSION = "gallery.format_version";
    static final String IDENTITIES = "gallery.identities";
    static final String DIM = "gallery.dim";
    static final String METRIC = "gallery.metric";
    static final String NORMALIZED = "gallery.normalized";
    static final String POLICY = "gallery.policy";
    static final String TAU = "gallery.tau";
    static final String FINGERPRINT = "gallery.model_sha256";

    private GalleryFile() {
    }

    /**
     * Saves a consistent snapshot of an in-memory gallery (taken under its read lock). Any other
     * {@link Gallery} keeps its own storage and is refused.
     */
    public static void save(Path file, Gallery gallery) throws IOException {
        if (!(gallery instanceof ExactGallery g)) {
            throw new IllegalArgumentException(file + ": GalleryFile saves the in-memory ExactGallery; a "
                    + (gallery == null ? "null gallery" : gallery.getClass().getSimpleName()) + " keeps its own storage");
        }
        float[] rows;
        int[] labels;
        List<String> names;
        g.lock.readLock().lock();
        try {
            rows = g.images.toArray();
            labels = g.images.labelsArray();
            names = g.ids.names();
        } finally {
            g.lock.readLock().unlock();
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KIND, "gallery");
        meta.put(VERSION, FORMAT_VERSION);
        meta.put(IDENTITIES, Json.write(names));
        meta.put(DIM, Integer.toString(g.dim()));
        meta.put(METRIC, g.options.metric().name());
        meta.put(NORMALIZED, Boolean.toString(g.normalized()));
        meta.put(POLICY, g.options.policy().name());
        meta.put(TAU, Double.toString(g.options.tau()));
        meta.put(FINGERPRINT, g.fingerprint());
        Safetensors.write(file, List.of(StoredTensor.ofFloat32("embeddings", rows, labels.length, g.dim()),
                StoredTensor.ofInt32("labels", labels, labels.length)), meta);
    }

    /**
     * Loads a gallery for {@code model}. Refused if the file's model fingerprint is not the
     * model's, or its normalisation differs.
     */
    public static ExactGallery load(Path file, SiameseModel model) throws IOException {
        return read(file, model, null);
    }

    /** Loads a gallery of precomputed squared-L2 embeddings (no network). */
    public static ExactGallery loadEmbeddings(Path file) throws IOException {
        return read(file, null, null);
    }

    /** Loads a gallery of precomputed embeddings scored by a Koch head (it must match the fingerprint). */
    public static ExactGallery loadEmbeddings(Path file, BinaryVerificationHead head) throws IOException {
        return read(file, null, head);
    }

    private static ExactGallery read(Path file, SiameseModel model, BinaryVerificationHead head) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        String version = meta.get(VERSION);
        if (!"gallery".equals(meta.get(KIND)) || !(FORMAT_VERSION.equals(version) || LEGACY_VERSION.equals(version))) {
            throw new IllegalArgumentException(file + ": not a gallery file of format version " + FORMAT_VERSION
                    + " or " + LEGACY_VERSION + " (" + KIND + "=" + meta.get(KIND) + ", " + VERSION + "=" + version + ")");
        }
        int dim = positiveInt(file, meta, DIM);
        boolean normalized = bool(file, meta, NORMALIZED);
        if (model != null && model.card().normalized() != normalized) {
            throw new IllegalArgumentException(file + ": the gallery was built with normalized=" + normalized
                    + " but the model's card says normalized=" + model.card().normalized());
        }
        String stored = required(file, meta, FINGERPRINT);
        Metric metric = constant(file, meta, METRIC, Metric.class);
        if (model != null && metric == Metric.BINARY_HEAD_PROBABILITY) {
            head = model.head().orElseThrow(() -> new IllegalArgumentException(file + ": the gallery scores with "
                    + "the binary head but the model has none"));
        }
        String given;
        if (LEGACY_VERSION.equals(version) && model != null) {
            if (model.head().isPresent()) {
                throw new IllegalArgumentException(file + ": a version " + LEGACY_VERSION + " gallery cannot be "
                        + "checked against a model with a head; enroll again with this version");
            }
            given = ModelFingerprint.of(model.embeddingNet().stateDict());
        } else {
            given = model != null ? model.fingerprint()
                    : ModelFingerprint.of(head != null ? head.stateDict() : Map.of());
        }
        if (!stored.equals(given)) {
            throw new IllegalArgumentException(file + ": refusing to load with a different model: the gallery's "
                    + "embeddings come from model sha256:" + stored + " but the given model is sha256:" + given);
        }
        GalleryOptions options;
        List<String> names;
        try {
            options = new GalleryOptions(metric,
                    constant(file, meta, POLICY, Policy.class), number(file, meta, TAU));
            names = names(required(file, meta, IDENTITIES));
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
                    : new IllegalArgumentException(file + ": gallery metadata: " + e.getMessage(), e);
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException(file + ": duplicate identity names in " + IDENTITIES);
        }
        if (!f.tensors().containsKey("embeddings") || !f.tensors().containsKey("labels")) {
            throw new IllegalArgumentException(file + ": a gallery needs tensors 'embeddings' and 'labels', the file has "
                    + f.tensors().keySet());
        }
        StoredTensor emb = f.get("embeddings");
        StoredTensor lab = f.get("labels");
        if (emb.dtype() != DType.F32 || lab.dtype() != DType.I32 || emb.shape().length != 2
                || emb.shape()[1] != dim || lab.shape().length != 1 || lab.shape()[0] != emb.shape()[0]) {
            throw new IllegalArgumentException(file + ": expected embeddings [n, " + dim + "] F32 and labels [n] I32, got "
                    + emb + " and " + lab);
        }
        float[] rows = emb.float32Values();
        int[] labels = lab.int32Values();
        if (model != null && model.embeddingDim() != dim) {
            throw new IllegalArgumentException(file + ": the gallery holds embeddings of dimension " + dim
                    + " but the model gives " + model.embeddingDim());
        }
        ExactGallery g = new ExactGallery(new GalleryModel(model, head, dim, normalized, options.metric()), options);
        for (String name : names) {
            g.ids.labelOrAdd(name);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new IllegalArgumentException(file + ": row " + i + " has label " + labels[i] + " but there are "
                        + names.size() + " identities");
            }
            g.images.add(rows, i * dim, labels[i]);
            if (g.prototypes != null) {
                g.prototypes.add(labels[i], rows, i * dim);
            }
        }
        if (g.images.size > 0 || !names.isEmpty()) {
            boolean[] seen = new boolean[names.size()];
            for (int l : labels) {
                seen[l] = true;
            }
            for (int i = 0; i < seen.length; i++) {
                if (!seen[i]) {
                    throw new IllegalArgumentException(file + ": identity '" + names.get(i) + "' has no embeddings");
                }
            }
        }
        return g;
    }

    /** The identity names from their JSON array text (any name survives: quotes, commas, newlines). */
    static List<String> names(String json) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + IDENTITIES + "' is not a JSON array of strings: " + e.getMessage(), e);
        }
        if (!(parsed instanceof List<?> list)) {
            throw new IllegalArgumentException("'" + IDENTITIES + "' must be a JSON array of strings, got "
                    + Json.describe(parsed));
        }
        List<String> names = new ArrayList<>(list.size());
        for (Object name : list) {
            if (!(name instanceof String s)) {
                throw new IllegalArgumentException("'" + IDENTITIES + "' must be a JSON array of strings, element "
                        + names.size() + " is " + Json.describe(name));
            }
            names.add(s);
        }
        return names;
    }
}
