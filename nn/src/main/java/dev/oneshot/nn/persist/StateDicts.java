package dev.oneshot.nn.persist;

import dev.oneshot.core.io.DType;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.io.StoredTensor;
import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Moving a module's state dict in and out of a file's tensors, under a name prefix. */
final class StateDicts {
    private StateDicts() {
    }

    /** The module's state dict as F32 tensors named {@code prefix + name}. */
    static List<StoredTensor> toStored(Module module, String prefix) {
        List<StoredTensor> out = new ArrayList<>();
        module.stateDict().forEach((name, t) -> out.add(StoredTensor.ofTensor(prefix + name, t)));
        return out;
    }

    /**
     * The file's tensors whose name starts with {@code prefix} (prefix removed), checked against
     * the module's state dict: fails naming the file and the first model tensor that is missing
     * or has another shape (both shapes), then any unexpected tensor; the message ends with
     * the full lists of missing and unexpected names. Nothing is modified.
     */
    static Map<String, Tensor> checked(Path file, SafetensorsFile f, String prefix, Module module) {
        Map<String, Tensor> given = new LinkedHashMap<>();
        for (StoredTensor t : f.tensors().values()) {
            if (t.name().startsWith(prefix)) {
                if (t.dtype() != DType.F32) {
                    throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' is " + t.dtype()
                            + ", expected F32");
                }
                given.put(t.name().substring(prefix.length()), t.toTensor());
            }
        }
        Map<String, Tensor> own = module.stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor g = given.get(e.getKey());
            String name = prefix + e.getKey();
            if (g == null) {
                missing.add(name);
                first = first != null ? first : "tensor '" + name + "' (shape "
                        + Shape.toString(e.getValue().shape()) + " in the model) is missing from the file";
            } else if (!Arrays.equals(g.shape(), e.getValue().shape())) {
                first = first != null ? first : "tensor '" + name + "' has shape " + Shape.toString(g.shape())
                        + " in the file but " + Shape.toString(e.getValue().shape()) + " in the model";
            }
        }
        for (Map.Entry<String, Tensor> e : given.entrySet()) {
            if (!own.containsKey(e.getKey())) {
                unexpected.add(prefix + e.getKey());
                first = first != null ? first : "tensor '" + prefix + e.getKey() + "' (shape "
                        + Shape.toString(e.getValue().shape()) + ") is in the file but not in the model";
            }
        }
        if (first != null) {
            throw new IllegalArgumentException(file + ": " + first + " (missing from the file: " + missing
                    + "; not in the model: " + unexpected + ")");
        }
        return given;
    }
}
