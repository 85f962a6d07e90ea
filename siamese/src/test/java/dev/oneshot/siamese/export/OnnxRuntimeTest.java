package dev.oneshot.siamese.export;

import ai.onnxruntime.OrtException;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.export.ExportModels.Named;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.model.SiameseModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every exported configuration runs in the real ONNX Runtime (1.22, test scope) and gives what
 * the Java model gives: max |ORT − Java| ≤ {@link #TOLERANCE} for batches of 1 and 7 through the
 * same file (the batch axis is dynamic). A file the runtime rejects fails here, at session creation.
 */
class OnnxRuntimeTest {
    /** The largest difference allowed between ONNX Runtime's and the Java model's outputs. */
    static final double TOLERANCE = 1e-5;
    static final int[] BATCHES = {1, 7};

    static List<Named> embeddingConfigs() {
        return ExportModels.embeddingConfigs();
    }

    static List<Named> headConfigs() {
        return ExportModels.headConfigs();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("embeddingConfigs")
    void embeddingGraphGivesWhatEmbedGives(Named config) throws OrtException {
        SiameseModel model = config.model();
        OnnxFile file = OnnxExport.embedding(model);
        try (OrtRunner ort = new OrtRunner(file.bytes())) {
            int d = model.embed(ExportModels.images(model, 1, 1)).size(1);
            var in = model.card().input();
            assertArrayEquals(new long[] {-1, in.channels(), in.height(), in.width()}, ort.shape(OnnxExport.IMAGES),
                    "the batch axis is dynamic, the rest is the card's input");
            assertArrayEquals(new long[] {-1, d}, ort.shape(OnnxExport.EMBEDDINGS));
            for (int n : BATCHES) {
                Tensor x = ExportModels.images(model, n, 1000 + n);
                float[] expected = model.embed(x).data();
                float[] actual = ort.run(Map.of(OnnxExport.IMAGES, x));
                assertEquals(n * d, actual.length, config + ": ORT output size for N = " + n);
                double diff = maxAbsDifference(expected, actual);
                System.out.printf("onnx export: %-55s N=%d  max |ORT − Java| = %.2e%n", config, n, diff);
                assertTrue(diff <= TOLERANCE, config + ", N = " + n + ": max |ORT − Java| = " + diff);
                if (model.card().normalized()) {
                    assertEquals(1.0, norm(actual, 0, d), 1e-5, config + ": the first ORT embedding has unit length");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headConfigs")
    void headGraphGivesTheHeadsProbability(Named config) throws OrtException {
        SiameseModel model = config.model();
        BinaryVerificationHead head = model.head().orElseThrow();
        try (OrtRunner ort = new OrtRunner(OnnxExport.head(model).bytes())) {
            assertArrayEquals(new long[] {-1}, ort.shape(OnnxExport.PROBABILITY));
            for (int n : BATCHES) {
                Tensor a = ExportModels.images(model, n, 2000 + n);
                Tensor b = ExportModels.images(model, n, 3000 + n);
                float[] expected = head.probability(model.embed(a), model.embed(b)).data();
                float[] actual = ort.run(Map.of(OnnxExport.IMAGES_A, a, OnnxExport.IMAGES_B, b));
                assertEquals(n, actual.length);
                if (n > 1) {
                    assertTrue(spread(expected) > 0.1, config + ": the probabilities differ from pair to pair (max − min = "
                            + spread(expected) + "), so the check discriminates");
                }
                double diff = maxAbsDifference(expected, actual);
                System.out.printf("onnx export: %-55s N=%d  max |ORT − Java| = %.2e%n", config, n, diff);
                assertTrue(diff <= TOLERANCE, config + ", N = " + n + ": max |ORT − Java| = " + diff);
            }
            // the same pair twice: |e − e| = 0, so p = σ(b), whatever the images
            Tensor a = ExportModels.images(model, 3, 4000);
            float[] same = ort.run(Map.of(OnnxExport.IMAGES_A, a, OnnxExport.IMAGES_B, a));
            double sigmoidB = 1 / (1 + Math.exp(-head.stateDict().get("fc.bias").data()[0]));
            for (float p : same) {
                assertEquals(sigmoidB, p, 1e-6);
            }
        }
    }

    @Test
    void theRuntimeReadsTheCardFromTheMetadata() throws OrtException {
        SiameseModel model = ExportModels.build(dev.oneshot.siamese.recipe.Recipes.omniglot(), 9);
        try (OrtRunner ort = new OrtRunner(OnnxExport.embedding(model).bytes())) {
            Map<String, String> meta = ort.metadata();
            assertEquals("oneshot", ort.producer());
            assertEquals("embedding", meta.get("oneshot.graph"));
            assertEquals("28", meta.get("oneshot.input.height"));
            assertEquals("28", meta.get("oneshot.input.width"));
            assertEquals("true", meta.get("oneshot.input.invert"), "Omniglot is read inverted");
            assertEquals("false", meta.get("oneshot.input.mirror_average"));
            assertEquals("false", meta.get("oneshot.normalized"), "the omniglot recipe keeps raw embeddings");
            assertEquals("64", meta.get("oneshot.embedding_dim"));
            assertEquals(model.card().threshold().tau(), Double.parseDouble(meta.get("oneshot.threshold")));
            assertEquals("omniglot", meta.get("oneshot.recipe"));
            assertEquals(model.fingerprint(), meta.get("oneshot.weights_sha256"));
            assertTrue(meta.get("oneshot.provenance").contains("\"seed\":9"), meta.get("oneshot.provenance"));
            assertEquals(dev.oneshot.core.json.Json.write(model.card().toJson()), meta.get("oneshot.card"));
        }
        SiameseModel withHead = ExportModels.headConfigs().get(0).model();
        try (OrtRunner ort = new OrtRunner(OnnxExport.head(withHead).bytes())) {
            assertEquals("verification-head", ort.metadata().get("oneshot.graph"));
            assertEquals(withHead.fingerprint(), ort.metadata().get("oneshot.weights_sha256"));
        }
    }

    @Test
    void anUnnormalisedUncalibratedModelSaysItsThresholdIsInfinite() throws OrtException {
        SiameseModel model = ExportModels.headConfigs().get(2).model();
        try (OrtRunner ort = new OrtRunner(OnnxExport.embedding(model).bytes())) {
            assertEquals(Double.POSITIVE_INFINITY, Double.parseDouble(ort.metadata().get("oneshot.threshold")));
            assertEquals("false", ort.metadata().get("oneshot.normalized"));
        }
    }

    static double maxAbsDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= max)) {
                max = d; // NaN propagates
            }
        }
        return max;
    }

    private static double spread(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return hi - lo;
    }

    private static double norm(float[] v, int row, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += (double) v[row * d + i] * v[row * d + i];
        }
        return Math.sqrt(s);
    }
}
