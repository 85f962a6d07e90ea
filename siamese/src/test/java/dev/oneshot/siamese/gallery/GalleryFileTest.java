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
import dev.oneshot.siamese.twin.TwinNetwork;
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

    static TwinNetwork twin(long seed, boolean normalize) {
        SeededRandom rng = new SeededRandom(seed);
        return new TwinNetwork(new Sequential(new Linear(6, 8, true, rng), new Tanh(), new Linear(8, 4, true, rng)),
                normalize);
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
                TwinNetwork net = twin(3, normalize);
                Gallery g = Gallery.forModel(net, 4, GalleryOptions.squaredL2(0.5).withPolicy(policy));
                fill(g, 10);
                g.remove("bob");
                g.enroll("dave", Tensor.randn(77, 2, 6));
                Path file = dir.resolve("g-" + policy + normalize + ".safetensors");
                GalleryFile.save(file, g);
                Gallery back = GalleryFile.load(file, net, null);
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
        TwinNetwork net = twin(3, true);
        Gallery g = Gallery.forModel(net, 4, GalleryOptions.squaredL2(0.25));
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
        assertEquals("1", m.get("gallery.format_version"));
        assertEquals(ModelFingerprint.of(net, null), m.get("gallery.model_sha256"));
    }

    @Test
    void loadingWithAnotherModelIsRefusedNamingBothFingerprints() throws Exception {
        TwinNetwork net = twin(3, false);
        Gallery g = Gallery.forModel(net, 4, GalleryOptions.squaredL2(1));
        fill(g, 1);
        Path file = dir.resolve("g.safetensors");
        GalleryFile.save(file, g);
        TwinNetwork other = twin(4, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GalleryFile.load(file, other, null));
        assertTrue(e.getMessage().contains(g.fingerprint()), e.getMessage());
        assertTrue(e.getMessage().contains(ModelFingerprint.of(other, null)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GalleryFile.load(file, twin(3, true), null));
    }

    @Test
    void enrollingAfterTheModelChangedIsRefused() throws Exception {
        TwinNetwork net = twin(3, false);
        Gallery g = Gallery.forModel(net, 4, GalleryOptions.squaredL2(1));
        fill(g, 1);
        Path file = dir.resolve("g.safetensors");
        GalleryFile.save(file, g);
        Gallery back = GalleryFile.load(file, net, null);
        String before = back.fingerprint();
        net.parameters().get(0).data()[0] += 0.5f; // "trained further"
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> back.enroll("eve", Tensor.randn(5, 1, 6)));
        assertTrue(e.getMessage().contains(before), e.getMessage());
        assertTrue(e.getMessage().contains(ModelFingerprint.of(net, null)), e.getMessage());
        assertEquals(NAMES, back.identities());
    }

    @Test
    void binaryHeadGalleryOfPrecomputedEmbeddingsRoundTrips() throws Exception {
        BinaryVerificationHead head = new BinaryVerificationHead(4, new SeededRandom(5));
        Gallery g = Gallery.forEmbeddings(4, false, head, GalleryOptions.binaryHead(0.6));
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
        assertThrows(IllegalArgumentException.class, () -> GalleryFile.loadEmbeddings(file, null));
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
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ModelFingerprint.of(null, null));
    }
}
