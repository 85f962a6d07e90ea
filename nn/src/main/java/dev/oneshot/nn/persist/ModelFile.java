package dev.oneshot.nn.persist;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model in one safetensors file, readable by PyTorch and Hugging Face tools.
 *
 * <p><b>Tensors</b>: the module's {@link Module#stateDict()} under its PyTorch names and
 * layouts, all F32 little-endian: {@code 0.weight} [out, in, kh, kw] for a Conv2d,
 * {@code 4.weight} [out, in] for a Linear, {@code 1.running_mean}, {@code 1.running_var},
 * {@code 1.num_batches_tracked} (a scalar; PyTorch's is int64, ours float) for a BatchNorm.
 *
 * <p><b>Metadata</b> (the header's {@code "__metadata__"}, strings only):
 * <pre>
 *   format                   "pt"  (Hugging Face loaders look for it)
 *   oneshot.format_version   "1"
 *   oneshot.kind             "model"  (checkpoints say "checkpoint", see {@link Checkpoint})
 *   oneshot.architecture     the module's {@link Module#spec()}, e.g.
 *                            Sequential[Linear(4,8,bias=true),Tanh,Linear(8,2,bias=true)]
 *   &lt;anything else&gt;          provenance given by the caller: seed, hyper-parameters, data set...
 * </pre>
 * {@link #load} rebuilds the module from {@code oneshot.architecture} with {@link Architecture},
 * so no code needs to know the network's shape; {@link #loadInto} fills an existing module and
 * also accepts files written by other tools (e.g. {@code tools/oracle/pytorch_interop.py}).
 * Loading is strict: every tensor of the model must be in the file with the same shape and
 * the file must hold no other tensor. The architecture string itself is not compared by
 * {@code loadInto} (as in PyTorch, only tensors matter), so weights can move between modules
 * that differ only in parameter-free layers.
 */
public final class ModelFile {
    public static final String FORMAT_VERSION_KEY = "oneshot.format_version";
    public static final String FORMAT_VERSION = "1";
    public static final String KIND_KEY = "oneshot.kind";
    public static final String ARCHITECTURE_KEY = "oneshot.architecture";

    /** What {@link #read} returns: the rebuilt module with the file's weights, and the metadata. */
    public record Contents(Module module, String architecture, Map<String, String> provenance) {
    }

    private ModelFile() {
    }

    /** Writes the module's state dict and metadata atomically (temp file, fsync, rename). */
    public static void save(Path file, Module module, Map<String, String> provenance) throws IOException {
        Map<String, String> meta = header("model", module);
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            if (meta.containsKey(e.getKey()) || e.getKey().startsWith("oneshot.")) {
                throw new IllegalArgumentException(file + ": provenance key '" + e.getKey() + "' is reserved");
            }
            meta.put(e.getKey(), e.getValue());
        }
        Safetensors.saveModel(file, module.stateDict(), meta);
    }

    /** Rebuilds the module described in the file and loads its weights (construction draws from seed 0). */
    public static Module load(Path file) throws IOException {
        return read(file, new SeededRandom(0)).module();
    }

    /**
     * Rebuilds the module described in the file and loads its weights. {@code rng} serves the
     * constructors: initial weights (overwritten) and Dropout's masks.
     */
    public static Contents read(Path file, SeededRandom rng) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        String architecture = checkHeader(file, f.metadata(), "model");
        if (architecture == null) {
            throw new IllegalArgumentException(file + ": no '" + ARCHITECTURE_KEY + "' in the metadata, so the module "
                    + "cannot be rebuilt; build it in code and use ModelFile.loadInto");
        }
        Module module;
        try {
            module = Architecture.build(architecture, rng);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": cannot rebuild the architecture: " + e.getMessage(), e);
        }
        module.loadStateDict(StateDicts.checked(file, f, "", module));
        Map<String, String> provenance = new LinkedHashMap<>(f.metadata());
        provenance.keySet().removeIf(k -> k.equals(Safetensors.FORMAT_KEY) || k.startsWith("oneshot."));
        return new Contents(module, architecture, provenance);
    }

    /**
     * Copies the file's tensors into {@code module}; fails, naming the file and the first
     * mismatching tensor with both shapes, before anything is modified.
     */
    public static void loadInto(Path file, Module module) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        checkHeader(file, f.metadata(), "model");
        module.loadStateDict(StateDicts.checked(file, f, "", module));
    }

    /** The metadata every oneshot file starts with. */
    static Map<String, String> header(String kind, Module module) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (kind.equals("model")) {
            meta.put(Safetensors.FORMAT_KEY, Safetensors.FORMAT_PT);
        }
        meta.put(FORMAT_VERSION_KEY, FORMAT_VERSION);
        meta.put(KIND_KEY, kind);
        meta.put(ARCHITECTURE_KEY, module.spec());
        return meta;
    }

    /**
     * Checks the version and kind if present (files from other tools have neither) and returns
     * the architecture string, or null.
     */
    static String checkHeader(Path file, Map<String, String> meta, String kind) {
        String version = meta.get(FORMAT_VERSION_KEY);
        if (version != null && !version.equals(FORMAT_VERSION)) {
            throw new IllegalArgumentException(file + ": " + FORMAT_VERSION_KEY + " is '" + version
                    + "', this code reads version " + FORMAT_VERSION);
        }
        String actual = meta.get(KIND_KEY);
        if (actual != null && !actual.equals(kind)) {
            throw new IllegalArgumentException(file + ": is a " + actual + " file, not a " + kind + " file"
                    + (actual.equals("checkpoint") ? " (use Checkpoint.load)" : ""));
        }
        return meta.get(ARCHITECTURE_KEY);
    }
}
