package dev.oneshot.core.io;

import dev.oneshot.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Write → read returns the same bits, for every dtype, with the reference's data order. */
class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private SafetensorsFile roundTrip(List<StoredTensor> tensors, Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, tensors, metadata);
        assertArrayEquals(SafetensorsWriter.toBytes(tensors, metadata), Files.readAllBytes(file));
        return Safetensors.read(file);
    }

    @Test
    void float32IsBitExactIncludingNaNPayloadsSignedZeroInfinitiesAndSubnormals() throws IOException {
        int[] bits = {
            0x7fc00000, // canonical quiet NaN
            0x7fc12345, // quiet NaN with a payload
            0xffc00001, // negative quiet NaN with a payload
            0x80000000, // -0.0
            0x00000000, // +0.0
            0x7f800000, // +Inf
            0xff800000, // -Inf
            0x00000001, // smallest subnormal
            0x807fffff, // largest negative subnormal
            0x7f7fffff, // largest finite
            0x3f800000, // 1.0
        };
        float[] values = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            values[i] = Float.intBitsToFloat(bits[i]);
        }
        StoredTensor t = StoredTensor.ofFloat32("special", values, bits.length);
        SafetensorsFile f = roundTrip(List.of(t), Map.of());
        assertEquals(t, f.get("special"));
        float[] back = f.get("special").float32Values();
        float[] tensorBack = f.tensor("special").data();
        for (int i = 0; i < bits.length; i++) {
            assertEquals(bits[i], Float.floatToRawIntBits(back[i]), "element " + i);
            assertEquals(bits[i], Float.floatToRawIntBits(tensorBack[i]), "tensor element " + i);
        }
    }

    @Test
    void everyTypedDtypeRoundTrips() throws IOException {
        double[] d = {Double.longBitsToDouble(0x7ff8000000000abcL), -0.0, Double.MIN_VALUE, Double.NEGATIVE_INFINITY, Math.PI, 1e300};
        int[] i32 = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 0x12345678};
        long[] i64 = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 0x0123456789abcdefL};
        byte[] u8 = {0, 1, (byte) 0x80, (byte) 0xff};
        byte[] bf16 = {(byte) 0x80, 0x3f, 0x00, (byte) 0xc0}; // 1.0, -2.0
        List<StoredTensor> tensors = List.of(
                StoredTensor.ofFloat64("d", d, 2, 3),
                StoredTensor.ofInt32("i32", i32, 3, 2),
                StoredTensor.ofInt64("i64", i64, 6),
                StoredTensor.ofRawBytes("u8", DType.U8, new int[] {2, 2}, u8),
                StoredTensor.ofRawBytes("bf16", DType.BF16, new int[] {2}, bf16),
                StoredTensor.ofFloat32("scalar", new float[] {7f}),
                StoredTensor.ofFloat32("empty", new float[0], 0, 3));
        SafetensorsFile f = roundTrip(tensors, Map.of());
        for (StoredTensor t : tensors) {
            assertEquals(t, f.get(t.name()), t.name());
        }
        double[] dBack = f.get("d").float64Values();
        for (int i = 0; i < d.length; i++) {
            assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(dBack[i]));
        }
        assertArrayEquals(i32, f.get("i32").int32Values());
        assertArrayEquals(i64, f.get("i64").int64Values());
        assertArrayEquals(u8, f.get("u8").rawBytes());
        assertArrayEquals(new int[] {3, 2}, f.get("i32").shape());
        assertArrayEquals(new int[0], f.get("scalar").shape());
        assertArrayEquals(new int[] {0, 3}, f.get("empty").toTensor().shape());
        assertArrayEquals(new float[] {1f, -2f}, f.get("bf16").convertToFloat32Tensor().data());
        assertArrayEquals(new float[] {0, 1, 128, 255}, f.get("u8").convertToFloat32Tensor().data());
        assertArrayEquals(new float[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 0x12345678},
                f.get("i32").convertToFloat32Tensor().data());
    }

    @Test
    void typedAccessRefusesTheWrongDtypeNamingTheTensor() {
        StoredTensor t = StoredTensor.ofFloat64("w", new double[] {1}, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toTensor);
        assertEquals("tensor 'w': float32Values() needs dtype F32, but the tensor is F64 (convertToFloat32Tensor() converts)",
                e.getMessage());
        assertThrows(IllegalStateException.class, t::int32Values);
        assertArrayEquals(new float[] {1f}, t.convertToFloat32Tensor().data());
    }

    /**
     * Reference order: dtype rank descending (F64 before F32 before I32 — note F32 and I32 are
     * both 4 bytes and F32 still comes first), then name ascending.
     */
    @Test
    void laysOutLargestDtypeFirstThenByName() throws IOException {
        List<StoredTensor> tensors = List.of(
                StoredTensor.ofInt32("a_int", new int[] {1}, 1),
                StoredTensor.ofFloat32("z", new float[] {1, 2}, 2),
                StoredTensor.ofFloat64("m", new double[] {1}, 1),
                StoredTensor.ofFloat32("b", new float[] {3}, 1),
                StoredTensor.ofFloat64("c", new double[] {2, 3}, 2),
                StoredTensor.ofInt32("0int", new int[] {5, 6, 7}, 3));
        byte[] out = SafetensorsWriter.toBytes(tensors, Map.of());
        int n = (int) java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(out, 8, n, StandardCharsets.UTF_8).stripTrailing();
        assertEquals("{\"c\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"m\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[24,28]},"
                + "\"z\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[28,36]},"
                + "\"0int\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[36,48]},"
                + "\"a_int\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[48,52]}}", header);
        SafetensorsFile f = roundTrip(tensors, Map.of());
        assertEquals(List.of("c", "m", "b", "z", "0int", "a_int"), new ArrayList<>(f.tensors().keySet()));
    }

    /** Names compare by UTF-8 bytes like Rust strings: U+FF5E sorts before U+1F600, unlike String.compareTo. */
    @Test
    void namesSortByUtf8BytesNotUtf16Units() {
        String fullwidth = "\uff5e";
        String emoji = "\ud83d\ude00";
        assertTrue(fullwidth.compareTo(emoji) > 0);
        List<StoredTensor> ordered = SafetensorsWriter.dataOrder(List.of(
                StoredTensor.ofFloat32(emoji, new float[] {1}, 1),
                StoredTensor.ofFloat32(fullwidth, new float[] {1}, 1)));
        assertEquals(List.of(fullwidth, emoji), ordered.stream().map(StoredTensor::name).toList());
    }

    @Test
    void metadataWithUnicodeAndEscapesRoundTrips() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("quote\"back\\slash", "tab\tnewline\nreturn\rbell\u0007nul\u0000del\u007f");
        metadata.put("ünïcödé", "日本語 😀 \u2028");
        metadata.put("", "empty key");
        metadata.put("slash/", "</script>");
        StoredTensor t = StoredTensor.ofFloat32("名前.😀\"\n", new float[] {1, 2}, 2);
        SafetensorsFile f = roundTrip(List.of(t), metadata);
        assertEquals(metadata, f.metadata());
        assertEquals(t, f.get("名前.😀\"\n"));
        String header = new String(SafetensorsWriter.toBytes(List.of(t), metadata), StandardCharsets.UTF_8); // includes data: fine for contains()
        assertTrue(header.contains("\"tab\\tnewline\\nreturn\\rbell\\u0007nul\\u0000del\u007f\""), header);
        assertTrue(header.contains("\"ünïcödé\":\"日本語 😀 \u2028\""), header);
    }

    @Test
    void writerRefusesDuplicateReservedAndUnencodableNames() {
        StoredTensor a = StoredTensor.ofFloat32("a", new float[] {1}, 1);
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.toBytes(List.of(a, a), Map.of()));
        assertEquals("safetensors write: tensor name 'a' appears twice", dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.toBytes(
                List.of(StoredTensor.ofFloat32("__metadata__", new float[] {1}, 1)), Map.of()));
        IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.toBytes(List.of(), Map.of("k", "lone \ud800")));
        assertTrue(surrogate.getMessage().contains("unpaired surrogate"), surrogate.getMessage());
    }

    @Test
    void storedTensorChecksSizesAndCopies() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoredTensor.ofRawBytes("x", DType.I64, new int[] {2}, new byte[15]));
        assertEquals("StoredTensor 'x': I64 shape [2] needs 16 bytes, got 15", e.getMessage());
        byte[] raw = new byte[4];
        StoredTensor t = StoredTensor.ofRawBytes("x", DType.F32, new int[] {1}, raw);
        raw[3] = 1;
        t.rawBytes()[0] = 9;
        assertArrayEquals(new byte[4], t.rawBytes());
    }

    @Test
    void loadModelNamesANonFloat32Tensor() throws IOException {
        Path file = dir.resolve("ints.safetensors");
        Safetensors.write(file, List.of(StoredTensor.ofInt64("step", new long[] {1}, 1)), Map.of());
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.loadModel(file));
        assertEquals(file + ": loadModel expects only F32 tensors, but tensor 'step' is I64 (read() gives access to every dtype)",
                e.getMessage());
        Tensor w = Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2);
        Safetensors.saveModel(file, Map.of("w", w), Map.of());
        assertArrayEquals(w.data(), Safetensors.loadModel(file).get("w").data());
    }
}
