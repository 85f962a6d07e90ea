package dev.oneshot.siamese.export;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The wire format byte for byte, against encodings worked out by hand from the protobuf encoding rules. */
class ProtoWriterTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void varintsAreSevenBitsAByteLeastSignificantFirst() {
        // key (1 << 3 | 0) = 0x08; 150 = 0b1_0010110 → 0x96 0x01
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
        assertArrayEquals(bytes(0x08, 0x00), new ProtoWriter().varint(1, 0).toByteArray());
        assertArrayEquals(bytes(0x08, 0x7F), new ProtoWriter().varint(1, 127).toByteArray());
        assertArrayEquals(bytes(0x08, 0x80, 0x01), new ProtoWriter().varint(1, 128).toByteArray());
        // 300 = 0b10_0101100 → 0xAC 0x02
        assertArrayEquals(bytes(0x10, 0xAC, 0x02), new ProtoWriter().varint(2, 300).toByteArray());
    }

    @Test
    void aNegativeInt64IsTenBytesOfTwosComplement() {
        assertArrayEquals(bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoWriter().varint(1, -1).toByteArray());
        assertArrayEquals(bytes(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
                new ProtoWriter().varint(1, Long.MIN_VALUE).toByteArray());
    }

    @Test
    void largeFieldNumbersTakeAMultiByteKey() {
        // field 20, varint: (20 << 3) | 0 = 160 → 0xA0 0x01 (AttributeProto.type)
        assertArrayEquals(bytes(0xA0, 0x01, 0x07), new ProtoWriter().varint(20, 7).toByteArray());
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().varint(0, 1));
    }

    @Test
    void stringsAndMessagesAreLengthDelimited() {
        // key (2 << 3 | 2) = 0x12, length 7, "testing"
        assertArrayEquals(bytes(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67),
                new ProtoWriter().string(2, "testing").toByteArray());
        // key (3 << 3 | 2) = 0x1A, then the inner message 08 96 01
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01),
                new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray());
        assertArrayEquals(bytes(0x0A, 0x02, 0xC3, 0xA9), new ProtoWriter().string(1, "é").toByteArray(), "UTF-8");
    }

    @Test
    void aFloatIsFourLittleEndianBytes() {
        // key (2 << 3 | 5) = 0x15; 1.0f = 0x3F800000
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1f).toByteArray());
    }

    @Test
    void aLongMessageGrowsItsBuffer() {
        ProtoWriter w = new ProtoWriter();
        byte[] big = new byte[1000];
        big[999] = 42;
        w.bytes(9, big);
        byte[] out = w.toByteArray();
        // key 0x4A, length 1000 = 0xE8 0x07
        assertArrayEquals(bytes(0x4A, 0xE8, 0x07), java.util.Arrays.copyOf(out, 3));
        assertArrayEquals(bytes(42), java.util.Arrays.copyOfRange(out, 1002, 1003));
    }

    @Test
    void onnxAttributesCarryTheirTypeDiscriminator() {
        // AttributeProto{name "axis" (field 1), type INT = 2 (field 20), i = 1 (field 3)}
        assertArrayEquals(bytes(0x0A, 0x04, 'a', 'x', 'i', 's', 0xA0, 0x01, 0x02, 0x18, 0x01),
                new Onnx.IntAttr("axis", 1).proto().toByteArray());
        // INTS = 7, each element its own field 8 (ints is not packed in onnx.proto)
        assertArrayEquals(bytes(0x0A, 0x01, 'p', 0xA0, 0x01, 0x07, 0x40, 0x01, 0x40, 0x02),
                new Onnx.IntsAttr("p", 1, 2).proto().toByteArray());
        // FLOAT = 1, f (field 2, I32)
        assertArrayEquals(bytes(0x0A, 0x01, 'e', 0xA0, 0x01, 0x01, 0x15, 0x00, 0x00, 0x80, 0x3F),
                new Onnx.FloatAttr("e", 1f).proto().toByteArray());
    }

    @Test
    void anOnnxInitializerHoldsDimsTypeNameAndRawLittleEndianData() {
        // TensorProto{dims 2 (field 1), data_type FLOAT = 1 (field 2), name "w" (field 8), raw_data (field 9)}
        byte[] expected = bytes(0x08, 0x02, 0x10, 0x01, 0x42, 0x01, 'w', 0x4A, 0x08,
                0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0);
        assertArrayEquals(expected, Onnx.Initializer.floats("w", new int[] {2}, new float[] {1f, -2f}).proto().toByteArray());
        assertThrows(IllegalArgumentException.class, () -> Onnx.Initializer.floats("w", new int[] {3}, new float[2]));
    }

    @Test
    void aValueInfoDeclaresANamedBatchAxis() {
        // ValueInfoProto{name "x", type {tensor_type {elem_type 1, shape {dim {dim_param "N"}, dim {dim_value 3}}}}}
        byte[] dimN = bytes(0x12, 0x01, 'N');
        byte[] dim3 = bytes(0x08, 0x03);
        byte[] shape = concat(bytes(0x0A, dimN.length), dimN, bytes(0x0A, dim3.length), dim3);
        byte[] tensorType = concat(bytes(0x08, 0x01, 0x12, shape.length), shape);
        byte[] type = concat(bytes(0x0A, tensorType.length), tensorType);
        byte[] expected = concat(bytes(0x0A, 0x01, 'x', 0x12, type.length), type, bytes(0x1A, 0x00));
        assertArrayEquals(expected, new Onnx.ValueInfo("x", List.of(Onnx.Dim.named("N"), Onnx.Dim.of(3)), "")
                .proto().toByteArray());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
