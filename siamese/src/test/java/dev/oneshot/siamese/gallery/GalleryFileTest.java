package dev.oneshot.siamese.gallery;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.json.Json;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.Tanh;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.ModelFingerprint;
import dev.oneshot.siamese.model.SiameseModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GalleryFileTest {
    static final List<String> NAMES = List.of("alice", "o\"neil, jr.\n", "bob", "ünïcode ✓", "carol");

    @TempDir
    Path dir;

    /** A tiny model over [n, 6] inputs (not images: the card's input is unused here), d = 4. */
    static SiameseModel twin(long seed, boolean normalize) {
        SeededRandom rng = new SeededRandom(seed);
        return SiameseModel.of(new Sequential(new Linear(6, 8, true, rng), new Tanh(), new Linear(8, 4, true, rng)),
                ModelCard.builder(InputSpec.square(4)).normalized(normalize).build());
    }

    /** The same network with Koch's head. */
    static SiameseModel withHead(long seed, BinaryVerificationHead head) {
        SiameseModel m = twin(seed, false);
        return SiameseModel.withHead(m.embeddingNet(), head, m.card());
    }

    /** Enrolls 1–3 random images per name; identity i's images are drawn around a centre. */
    static void fill(Gallery g, long seed) {
        for (int i = 0; i < NAMES.size(); i++) {
            int n = 1 + i % 3;
            g.enroll(NAMES.get(i), Tensor.randn(seed + i, n, 6));
        }
    }

    private void assertSameAnswers(Gallery a, Gallery b) {
        Tensor queries = Tensor.randn(99, 40, 6);
        for (int q = 0; q < 40; q++) {
            Tensor one = queries.sliceRows(q, q + 1);
            assertEquals(a.identify(one, 3), b.identify(one, 3), "query " + q);
            assertEquals(a.identify(one), b.identify(one), "query " + q);
        }
        assertEquals(a.identifyAll(queries), b.identifyAll(queries));
    }

    @Test
    void saveLoadIdentifyGivesIdenticalAnswersForEveryPolicy() throws Exception {
        for (Policy policy : Policy.values()) {
            for (boolean normalize : new boolean[] {false, true}) {
                SiameseModel net = twin(3, normalize);
                Gallery g = Gallery.of(net, GalleryOptions.squaredL2(0.5).withPolicy(policy));
                fill(g, 10);
                g.remove("bob");
                g.enroll("dave", Tensor.randn(77, 2, 6));
                Path file = dir.resolve("g-" + policy + normalize + ".safetensors");
                GalleryFile.save(file, g);
                Gallery back = GalleryFile.load(file, net);
                assertEquals(g.identities(), back.identities());
                assertEquals(g.imageCount(), back.imageCount());
                assertEquals(g.options(), back.options());
                assertEquals(g.fingerprint(), back.fingerprint());
                assertSameAnswers(g, back);
            }
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void fileLayoutIsDocumented() throws Exception {
        SiameseModel net = twin(3, true);
        Gallery g = Gallery.of(net, GalleryOptions.squaredL2(0.25));
        g.enroll("alice", Tensor.randn(1, 2, 6));
        g.enroll("bob", Tensor.randn(2, 1, 6));
        Path file = dir.resolve("g.safetensors");
        GalleryFile.save(file, g);
        SafetensorsFile f = Safetensors.read(file);
        assertArrayEquals(new int[] {3, 4}, f.get("embeddings").shape());
        assertArrayEquals(new int[] {0, 0, 1}, f.get("labels").int32Values());
        Map<String, String> m = f.metadata();
        assertEquals("[\"alice\",\"bob\"]", m.get("gallery.identities"));
        assertEquals("4", m.get("gallery.dim"));
        assertEquals("SQUARED_L2", m.get("gallery.metric"));
        assertEquals("true", m.get("gallery.normalized"));
        assertEquals("NEAREST_IMAGE", m.get("gallery.policy"));
        assertEquals("0.25", m.get("gallery.tau"));
        assertEquals("2", m.get("gallery.format_version"));
        assertEquals(net.fingerprint(), m.get("gallery.model_sha256"));
        assertEquals(ModelFingerprint.of(net.stateDict()), net.fingerprint());
        assertTrue(net.stateDict().containsKey("embedding.0.weight"), "names as the model file stores them");
    }

    @Test
    void loadingWithAnotherModelIsRefusedNamingBothFingerprints() throws Exception {
        SiameseModel net = twin(3, false);
        Gallery g = Gallery.of(net, GalleryOptions.squaredL2(1));
        fill(g, 1);
        Path file = dir.resolve("g.safetensors");
        GalleryFile.save(file, g);
        SiameseModel other = twin(4, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GalleryFile.load(file, other));
        assertTrue(e.getMessage().contains(g.fingerprint()), e.getMessage());
        assertTrue(e.getMessage().contains(other.fingerprint()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GalleryFile.load(file, twin(3, true)));
    }

    @Test
    void enrollingAfterTheModelChangedIsRefused() throws Exception {
        SiameseModel net = twin(3, false);
        Gallery g = Gallery.of(net, GalleryOptions.squaredL2(1));
        fill(g, 1);
        Path file = dir.resolve("g.safetensors");
        GalleryFile.save(file, g);
        Gallery back = GalleryFile.load(file, net);
        String before = back.fingerprint();
        net.parameters().get(0).data()[0] += 0.5f; // "trained further"
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> back.enroll("eve", Tensor.randn(5, 1, 6)));
        assertTrue(e.getMessage().contains(before), e.getMessage());
        assertTrue(e.getMessage().contains(net.fingerprint()), e.getMessage());
        assertEquals(NAMES, back.identities());
    }

    /** A gallery of another dimension than the model's embeddings is refused, naming both. */
    @Test
    void aGalleryOfAnotherDimensionIsRefused() throws Exception {
        Gallery g = Gallery.ofEmbeddings(5, false, GalleryOptions.squaredL2(1));
        g.enrollEmbedding("alice", new float[] {1, 2, 3, 4, 5});
        Path file = dir.resolve("five.safetensors");
        GalleryFile.save(file, g);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GalleryFile.load(file, twin(3, false)));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    /** Version 1 files (before model cards) hashed the embedding network under its own names: they still load. */
    @Test
    void aVersionOneGalleryLoadsWithItsModel() throws Exception {
        SiameseModel net = twin(3, false);
        Gallery g = Gallery.of(net, GalleryOptions.squaredL2(1));
        fill(g, 1);
        Path file = dir.resolve("v2.safetensors");
        GalleryFile.save(file, g);
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = new java.util.LinkedHashMap<>(f.metadata());
        meta.put("gallery.format_version", "1");
        meta.put("gallery.model_sha256", ModelFingerprint.of(net.embeddingNet().stateDict()));
        Path v1 = dir.resolve("v1.safetensors");
        Safetensors.write(v1, f.tensors().values(), meta);
        Gallery back = GalleryFile.load(v1, net);
        assertEquals(NAMES, back.identities());
        assertSameAnswers(g, back);
        meta.put("gallery.model_sha256", net.fingerprint()); // a v1 file holding a v2 fingerprint is not from this model
        Safetensors.write(v1, f.tensors().values(), meta);
        assertThrows(IllegalArgumentException.class, () -> GalleryFile.load(v1, net));
    }

    @Test
    void binaryHeadGalleryOfPrecomputedEmbeddingsRoundTrips() throws Exception {
        BinaryVerificationHead head = new BinaryVerificationHead(4, new SeededRandom(5));
        Gallery g = Gallery.ofEmbeddings(4, head, GalleryOptions.binaryHead(0.6));
        float[] rows = Tensor.randn(8, 10, 4).data();
        for (int i = 0; i < 10; i++) {
            g.enrollEmbedding("id" + i % 4, java.util.Arrays.copyOfRange(rows, 4 * i, 4 * i + 4));
        }
        Path file = dir.resolve("h.safetensors");
        GalleryFile.save(file, g);
        Gallery back = GalleryFile.loadEmbeddings(file, head);
        float[] queries = Tensor.randn(9, 20, 4).data();
        assertEquals(g.identifyEmbeddings(queries, 20), back.identifyEmbeddings(queries, 20));
        assertThrows(IllegalArgumentException.class,
                () -> GalleryFile.loadEmbeddings(file, new BinaryVerificationHead(4, new SeededRandom(6))));
        assertThrows(IllegalArgumentException.class, () -> GalleryFile.loadEmbeddings(file));
    }

    @Test
    void namesSurviveJson() {
        assertEquals("[\"alice\",\"o\\\"neil, jr.\\n\",\"bob\",\"ünïcode ✓\",\"carol\"]", Json.write(NAMES));
        assertEquals(NAMES, GalleryFile.names(Json.write(NAMES)));
        assertEquals(List.of(), GalleryFile.names(" [ ] "));
        assertEquals(List.of("a\u0001/"), GalleryFile.names("[\"a\\u0001\\/\"]"));
        assertThrows(IllegalArgumentException.class, () -> GalleryFile.names("[\"a\",]"));
        assertThrows(IllegalArgumentException.class, () -> GalleryFile.names("[\"a\"] x"));
        assertEquals("'gallery.identities' is not a JSON array of strings: unexpected ':' after the end of the JSON value"
                + " at character 3", assertThrows(IllegalArgumentException.class, () -> GalleryFile.names("\"a\":1"))
                .getMessage());
        assertEquals("'gallery.identities' must be a JSON array of strings, got an object",
                assertThrows(IllegalArgumentException.class, () -> GalleryFile.names("{}")).getMessage());
        assertEquals("'gallery.identities' must be a JSON array of strings, element 1 is 2",
                assertThrows(IllegalArgumentException.class, () -> GalleryFile.names("[\"a\",2]")).getMessage());
    }

    /** Files written by the gallery's earlier JSON code (the fuzz seeds) read back with the same names. */
    @Test
    void galleryFilesWrittenBeforeStillLoad() throws Exception {
        Path seeds = Path.of(GalleryFileTest.class.getResource("GalleryFileFuzzTestInputs/loadGallery").toURI());
        assertEquals(List.of("alice", "bob \"b\""), GalleryFile.loadEmbeddings(seeds.resolve("three_rows"), null).identities());
        assertEquals(List.of(), GalleryFile.loadEmbeddings(seeds.resolve("empty"), null).identities());
    }

    /** The fingerprint recipe, recomputed by hand for a one-tensor state dict. */
    @Test
    void fingerprintRecipe() throws Exception {
        Tensor t = Tensor.fromArray(new float[] {1f, -2f}, 2);
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update("w\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var b = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(2).putFloat(1f).putFloat(-2f);
        sha.update(b.array());
        assertEquals(java.util.HexFormat.of().formatHex(sha.digest()), ModelFingerprint.of(Map.of("w", t)));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ModelFingerprint.of(Map.of()));
    }
}
