package dev.oneshot.core.io;

import dev.oneshot.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry points for safetensors files, the format Hugging Face uses for model weights: a
 * length-prefixed JSON header describing each tensor, then the raw little-endian data.
 *
 * <p>Two levels:
 * <ul>
 *   <li>{@link #read} / {@link #write}: any dtype, exact metadata — what is written is
 *       exactly what you pass ({@link SafetensorsWriter}, {@link SafetensorsReader}).</li>
 *   <li>{@link #saveModel} / {@link #loadModel}: a model's float32 parameters by name, with
 *       {@code "format":"pt"} always in the metadata (added if absent) because Hugging Face
 *       loaders ({@code transformers}) look for it.</li>
 * </ul>
 */
public final class Safetensors {
    /** The metadata entry Hugging Face tools expect on model files. */
    public static final String FORMAT_KEY = "format";
    public static final String FORMAT_PT = "pt";

    private Safetensors() {
    }

    /** Reads and validates a file; see {@link SafetensorsReader}. */
    public static SafetensorsFile read(Path file) throws IOException {
        return SafetensorsReader.read(file);
    }

    /** Writes exactly these tensors and this metadata, atomically; see {@link SafetensorsWriter}. */
    public static void write(Path file, Collection<StoredTensor> tensors, Map<String, String> metadata) throws IOException {
        SafetensorsWriter.write(file, tensors, metadata);
    }

    /**
     * Saves float32 parameters as F32 tensors, atomically. The metadata written is
     * {@code metadata} plus {@code "format":"pt"} unless the caller set {@code "format"}.
     */
    public static void saveModel(Path file, Map<String, Tensor> parameters, Map<String, String> metadata)
            throws IOException {
        List<StoredTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            tensors.add(StoredTensor.ofTensor(e.getKey(), e.getValue()));
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.putIfAbsent(FORMAT_KEY, FORMAT_PT);
        SafetensorsWriter.write(file, tensors, meta);
    }

    /**
     * Loads every tensor of a file as a float32 {@link Tensor}, in data order. Every tensor must
     * be F32 (the error names the first that is not); use {@link #read} for other dtypes.
     */
    public static Map<String, Tensor> loadModel(Path file) throws IOException {
        SafetensorsFile f = read(file);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (StoredTensor t : f.tensors().values()) {
            if (t.dtype() != DType.F32) {
                throw new SafetensorsFormatException(file, "loadModel expects only F32 tensors, but tensor '"
                        + t.name() + "' is " + t.dtype() + " (read() gives access to every dtype)");
            }
            out.put(t.name(), t.toTensor());
        }
        return out;
    }
}
