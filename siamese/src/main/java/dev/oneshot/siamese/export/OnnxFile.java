package dev.oneshot.siamese.export;

import dev.oneshot.core.io.AtomicFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One exported ONNX model: the bytes of the {@code .onnx} file and what they hold, for
 * {@link #write writing} and for telling the user ({@link #describe}).
 */
public final class OnnxFile {
    private final Onnx.Model model;
    private final byte[] bytes;

    OnnxFile(Onnx.Model model) {
        this.model = model;
        this.bytes = model.encode();
    }

    /** The model as records (for tests). */
    Onnx.Model model() {
        return model;
    }

    /** Writes the file atomically (temp file, fsync, rename), replacing {@code file} if it exists. */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, bytes);
    }

    /** The bytes of the {@code .onnx} file (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The graph's inputs and outputs, e.g. {@code images [N, 1, 28, 28] → embeddings [N, 64]}. */
    public String signature() {
        return join(model.graph().inputs()) + " → " + join(model.graph().outputs());
    }

    private static String join(List<Onnx.ValueInfo> values) {
        return String.join(", ", values.stream().map(Onnx.ValueInfo::toString).toList());
    }

    /** The operator types used, sorted (e.g. {@code [Conv, Flatten, Gemm, MaxPool, Relu]}). */
    public List<String> operators() {
        return List.copyOf(new TreeSet<>(model.graph().nodes().stream().map(Onnx.Node::opType).toList()));
    }

    /** The number of nodes of the graph. */
    public int nodeCount() {
        return model.graph().nodes().size();
    }

    /** The opset of the default domain the file imports. */
    public long opset() {
        return model.opset();
    }

    /** The {@code metadata_props}, key → value. */
    public Map<String, String> metadata() {
        return model.metadata();
    }

    /** One line: signature, opset, node count, operators and size. */
    public String describe() {
        return signature() + " (opset " + model.opset() + ", " + nodeCount() + " nodes: " + String.join(" ", operators())
                + "; " + bytes.length + " bytes)";
    }
}
