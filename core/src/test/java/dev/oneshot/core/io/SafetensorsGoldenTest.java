package dev.oneshot.core.io;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Byte-exact agreement with the reference implementation's own test vectors. */
class SafetensorsGoldenTest {
    /** The reference's test_serialization: attn.0, F32 [1,2,3] = 0..5, no metadata. */
    static final byte[] GOLDEN = bytes(
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
            116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
            58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
            101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
            0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64);

    @TempDir
    Path dir;

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static StoredTensor attn0() {
        return StoredTensor.ofFloat32("attn.0", new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3);
    }

    @Test
    void goldenVectorHeaderIsTheDocumentedOne() {
        String header = new String(GOLDEN, 8, 64, StandardCharsets.UTF_8);
        assertEquals("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", header);
    }

    @Test
    void writesTheGoldenVectorByteForByte() throws IOException {
        assertArrayEquals(GOLDEN, SafetensorsWriter.toBytes(List.of(attn0()), Map.of()));
        Path file = dir.resolve("golden.safetensors");
        Safetensors.write(file, List.of(attn0()), Map.of());
        assertArrayEquals(GOLDEN, Files.readAllBytes(file));
    }

    @Test
    void readsTheGoldenVector() throws IOException {
        Path file = dir.resolve("golden.safetensors");
        Files.write(file, GOLDEN);
        SafetensorsFile f = Safetensors.read(file);
        assertEquals(Map.of(), f.metadata());
        assertEquals(List.of("attn.0"), List.copyOf(f.tensors().keySet()));
        assertEquals(attn0(), f.get("attn.0"));
        Tensor t = f.tensor("attn.0");
        assertArrayEquals(new int[] {1, 2, 3}, t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());
    }

    /** The reference's test_serialization_forced_alignement: a 65-byte header padded to 72. */
    @Test
    void padsTheHeaderWithSpacesToAMultipleOf8() {
        StoredTensor t = StoredTensor.ofFloat32("attn0", new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3);
        byte[] out = SafetensorsWriter.toBytes(List.of(t), Map.of());
        assertEquals(72, out[0]);
        String header = new String(out, 8, 72, StandardCharsets.UTF_8);
        assertEquals("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ", header);
        assertEquals(8 + 72 + 24, out.length);
    }

    /** The reference's test_empty, without and with metadata. */
    @Test
    void emptyFilesMatchTheReference() {
        assertArrayEquals(bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32),
                SafetensorsWriter.toBytes(List.of(), Map.of()));
        assertArrayEquals(bytes(40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
                95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                116, 34, 125, 125, 32, 32, 32, 32, 32),
                SafetensorsWriter.toBytes(List.of(), Map.of("framework", "pt")));
    }

    /** The low-level writer writes exactly the metadata it is given; saveModel adds format=pt. */
    @Test
    void saveModelAddsFormatPtAndTheLowLevelWriterDoesNot() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.saveModel(file, Map.of("attn.0", Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), Map.of());
        byte[] out = Files.readAllBytes(file);
        String header = new String(out, 8, out[0], StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}} ", header); // 95 bytes + 1 space
        assertEquals(0, out[0] % 8);
        assertArrayEquals(Arrays.copyOfRange(GOLDEN, 72, 96), Arrays.copyOfRange(out, out.length - 24, out.length));
        assertEquals(Map.of("format", "pt"), Safetensors.read(file).metadata());
        Map<String, Tensor> loaded = Safetensors.loadModel(file);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, loaded.get("attn.0").data());
    }

    @Test
    void saveModelKeepsTheCallersFormatAndOtherMetadata() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.saveModel(file, Map.of("w", Tensor.scalar(1f)), Map.of("format", "np", "epoch", "3"));
        assertEquals(Map.of("format", "np", "epoch", "3"), Safetensors.read(file).metadata());
        Safetensors.saveModel(file, Map.of("w", Tensor.scalar(1f)), Map.of("epoch", "4"));
        assertEquals(Map.of("format", "pt", "epoch", "4"), Safetensors.read(file).metadata());
    }
}
