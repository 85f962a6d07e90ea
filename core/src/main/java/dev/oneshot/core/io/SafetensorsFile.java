package dev.oneshot.core.io;

import dev.oneshot.core.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The contents of a safetensors file: its tensors by name, in data order (ascending offset),
 * and its {@code "__metadata__"} string map (empty if the file has none).
 */
public record SafetensorsFile(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The tensor with this name, or an exception listing the names there are. */
    public StoredTensor get(String name) {
        StoredTensor t = tensors.get(name);
        if (t == null) {
            throw new NoSuchElementException("no tensor named '" + name + "'; the file has " + tensors.keySet());
        }
        return t;
    }

    /** The named F32 tensor as an engine {@link Tensor}; fails naming the dtype otherwise. */
    public Tensor tensor(String name) {
        return get(name).toTensor();
    }
}
