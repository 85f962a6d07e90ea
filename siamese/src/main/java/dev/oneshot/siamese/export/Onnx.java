package dev.oneshot.siamese.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * The ONNX messages this exporter writes, as records, each beside its encoding. Field numbers
 * and enum values are those of {@code onnx.proto} (proto2; every field optional or repeated):
 * <pre>
 *   ModelProto             ir_version 1, producer_name 2, producer_version 3, doc_string 6,
 *                          graph 7, opset_import 8, metadata_props 14
 *   OperatorSetIdProto     domain 1, version 2
 *   StringStringEntryProto key 1, value 2
 *   GraphProto             node 1, name 2, initializer 5, doc_string 10, input 11, output 12
 *   NodeProto              input 1, output 2, name 3, op_type 4, attribute 5
 *   AttributeProto         name 1, f 2, i 3, ints 8, type 20 (FLOAT 1, INT 2, INTS 7)
 *   TensorProto            dims 1, data_type 2 (FLOAT 1, INT64 7), name 8, raw_data 9
 *   ValueInfoProto         name 1, type 2, doc_string 3
 *   TypeProto              tensor_type 1
 *   TypeProto.Tensor       elem_type 1, shape 2
 *   TensorShapeProto       dim 1
 *   .Dimension             dim_value 1, dim_param 2
 * </pre>
 * Repeated scalars that {@code onnx.proto} does not mark packed ({@code dims}, {@code ints}) are
 * written one field per element; tensor values go in {@code raw_data}, little-endian.
 */
final class Onnx {
    /** TensorProto.DataType FLOAT. */
    static final int FLOAT = 1;
    /** TensorProto.DataType INT64. */
    static final int INT64 = 7;

    private Onnx() {
    }

    /** A node attribute: one of the three kinds the exported operators take. */
    sealed interface Attribute permits IntAttr, IntsAttr, FloatAttr {
        String name();

        ProtoWriter proto();
    }

    /** An INT attribute (AttributeType 2). */
    record IntAttr(String name, long value) implements Attribute {
        @Override
        public ProtoWriter proto() {
            return new ProtoWriter().string(1, name).varint(20, 2).varint(3, value);
        }
    }

    /** An INTS attribute (AttributeType 7). */
    record IntsAttr(String name, long... values) implements Attribute {
        IntsAttr {
            values = values.clone();
        }

        @Override
        public ProtoWriter proto() {
            ProtoWriter w = new ProtoWriter().string(1, name).varint(20, 7);
            for (long v : values) {
                w.varint(8, v);
            }
            return w;
        }
    }

    /** A FLOAT attribute (AttributeType 1). */
    record FloatAttr(String name, float value) implements Attribute {
        @Override
        public ProtoWriter proto() {
            return new ProtoWriter().string(1, name).varint(20, 1).float32(2, value);
        }
    }

    /** One operator application: {@code outputs = opType(inputs; attributes)}. */
    record Node(String name, String opType, List<String> inputs, List<String> outputs, List<Attribute> attributes) {
        Node {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            attributes = List.copyOf(attributes);
        }

        ProtoWriter proto() {
            ProtoWriter w = new ProtoWriter();
            inputs.forEach(i -> w.string(1, i));
            outputs.forEach(o -> w.string(2, o));
            w.string(3, name).string(4, opType);
            attributes.forEach(a -> w.message(5, a.proto()));
            return w;
        }
    }

    /** A constant tensor of the graph (a weight, a BatchNorm statistic, an index list): float32 or int64. */
    record Initializer(String name, int elemType, long[] dims, byte[] rawLittleEndian) {
        static Initializer floats(String name, int[] dims, float[] values) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return new Initializer(name, FLOAT, longs(dims, values.length, name), b.array());
        }

        static Initializer int64s(String name, int[] dims, long[] values) {
            ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(values);
            return new Initializer(name, INT64, longs(dims, values.length, name), b.array());
        }

        private static long[] longs(int[] dims, int count, String name) {
            long n = 1;
            long[] out = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                out[i] = dims[i];
                n *= dims[i];
            }
            if (n != count) {
                throw new IllegalArgumentException("ONNX initializer '" + name + "': shape " + java.util.Arrays.toString(dims)
                        + " holds " + n + " values, got " + count);
            }
            return out;
        }

        /** Number of values. */
        long count() {
            return rawLittleEndian.length / (elemType == FLOAT ? 4 : 8);
        }

        ProtoWriter proto() {
            ProtoWriter w = new ProtoWriter();
            for (long d : dims) {
                w.varint(1, d);
            }
            return w.varint(2, elemType).string(8, name).bytes(9, rawLittleEndian);
        }
    }

    /** One axis of a declared shape: a fixed size, or a named size that each run chooses (the batch). */
    record Dim(long value, String param) {
        static Dim of(long size) {
            return new Dim(size, null);
        }

        static Dim named(String param) {
            return new Dim(-1, param);
        }

        ProtoWriter proto() {
            return param != null ? new ProtoWriter().string(2, param) : new ProtoWriter().varint(1, value);
        }

        @Override
        public String toString() {
            return param != null ? param : Long.toString(value);
        }
    }

    /** A graph input or output: a name, a float32 tensor type with its shape, and what it holds. */
    record ValueInfo(String name, List<Dim> dims, String doc) {
        ValueInfo {
            dims = List.copyOf(dims);
        }

        ProtoWriter proto() {
            ProtoWriter shape = new ProtoWriter();
            dims.forEach(d -> shape.message(1, d.proto()));
            ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
            ProtoWriter type = new ProtoWriter().message(1, tensorType);
            return new ProtoWriter().string(1, name).message(2, type).string(3, doc);
        }

        /** {@code images [N, 1, 28, 28]}, for messages. */
        @Override
        public String toString() {
            return name + " " + dims;
        }
    }

    /** The computation: nodes in topological order, their constants, its inputs and outputs. */
    record Graph(String name, List<Node> nodes, List<Initializer> initializers, List<ValueInfo> inputs,
                 List<ValueInfo> outputs, String doc) {
        Graph {
            nodes = List.copyOf(nodes);
            initializers = List.copyOf(initializers);
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }

        ProtoWriter proto() {
            ProtoWriter w = new ProtoWriter();
            nodes.forEach(n -> w.message(1, n.proto()));
            w.string(2, name);
            initializers.forEach(t -> w.message(5, t.proto()));
            w.string(10, doc);
            inputs.forEach(i -> w.message(11, i.proto()));
            outputs.forEach(o -> w.message(12, o.proto()));
            return w;
        }
    }

    /** The file: IR version, the default-domain opset, who wrote it, the graph, and string metadata. */
    record Model(long irVersion, long opset, String producer, String producerVersion, String doc, Graph graph,
                 Map<String, String> metadata) {
        Model {
            metadata = Map.copyOf(metadata);
        }

        /** The bytes of an {@code .onnx} file. */
        byte[] encode() {
            ProtoWriter w = new ProtoWriter().varint(1, irVersion).string(2, producer).string(3, producerVersion)
                    .string(6, doc).message(7, graph.proto())
                    .message(8, new ProtoWriter().string(1, "").varint(2, opset));
            metadata.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> w.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue())));
            return w.toByteArray();
        }
    }
}
