package dev.oneshot.nn.persist;

import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.io.StoredTensor;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.optim.Optimizer;
import dev.oneshot.nn.optim.OptimizerState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to resume training bit-exactly, in one safetensors file.
 *
 * <p><b>Tensors</b> (all F32):
 * <pre>
 *   model.&lt;name&gt;       the module's state dict (model.0.weight, model.1.running_mean, ...)
 *   optimizer.&lt;name&gt;   the optimiser's state tensors (optimizer.state.0.weight.exp_avg, ...)
 *   extra.&lt;name&gt;       the caller's extra tensors (e.g. a trainer's best weights so far), if any
 * </pre>
 * <b>Metadata</b>:
 * <pre>
 *   oneshot.format_version  "1"
 *   oneshot.kind            "checkpoint"
 *   oneshot.architecture    the module's spec (see {@link Architecture})
 *   progress.step, progress.epoch          {@link TrainingProgress}
 *   rng.state               SeededRandom.State.encode(), e.g. "splitmix64:9e3779b97f4a7c15:-" (absent if no rng)
 *   optimizer.&lt;key&gt;        the optimiser's metadata (optimizer.optimizer = "Adam", optimizer.group.0.lr, ...,
 *                           optimizer.state.0.weight.step); see {@link OptimizerState}
 *   extra.&lt;key&gt;            whatever the caller passed as extra
 * </pre>
 * The file is written atomically (temporary file, fsync, rename): a crash or an exception
 * during {@link #save} leaves the previous checkpoint at that path untouched.
 *
 * <p>Not covered: the generator a Dropout layer owns (after a resume its masks differ from an
 * uninterrupted run's), a learning-rate schedule's own state (keep it in {@code extra}, or
 * derive it from the step), and anything else outside module, optimiser and the given generator.
 */
public final class Checkpoint {
    private static final String MODEL = "model.";
    private static final String OPTIMIZER = "optimizer.";
    private static final String EXTRA = "extra.";
    private static final String STEP = "progress.step";
    private static final String EPOCH = "progress.epoch";
    private static final String RNG = "rng.state";

    /** What {@link #load} returns besides the restored module and optimiser. */
    public record Resumed(TrainingProgress progress, SeededRandom rng, Map<String, String> extra, String architecture,
                          Map<String, Tensor> extraTensors) {
    }

    private Checkpoint() {
    }

    /**
     * Saves module, optimiser, progress, the generator's state (if {@code rng} is not null) and
     * {@code extra} to {@code file}, atomically.
     */
    public static void save(Path file, Module module, Optimizer optimizer, TrainingProgress progress,
                            SeededRandom rng, Map<String, String> extra) throws IOException {
        save(file, module, optimizer, progress, rng, extra, Map.of());
    }

    /** As {@link #save(Path, Module, Optimizer, TrainingProgress, SeededRandom, Map)}, plus F32 {@code extraTensors}. */
    public static void save(Path file, Module module, Optimizer optimizer, TrainingProgress progress,
                            SeededRandom rng, Map<String, String> extra, Map<String, Tensor> extraTensors)
            throws IOException {
        List<StoredTensor> tensors = StateDicts.toStored(module, MODEL);
        extraTensors.forEach((name, t) -> tensors.add(StoredTensor.ofTensor(EXTRA + name, t)));
        OptimizerState os = optimizer.stateDict();
        os.tensors().forEach((name, t) -> tensors.add(StoredTensor.ofTensor(OPTIMIZER + name, t)));
        Map<String, String> meta = ModelFile.header("checkpoint", module);
        meta.put(STEP, Long.toString(progress.step()));
        meta.put(EPOCH, Integer.toString(progress.epoch()));
        if (rng != null) {
            meta.put(RNG, rng.state().encode());
        }
        os.metadata().forEach((k, v) -> meta.put(OPTIMIZER + k, v));
        extra.forEach((k, v) -> meta.put(EXTRA + k, v));
        Safetensors.write(file, tensors, meta);
    }

    /**
     * Restores {@code module} and {@code optimizer} (built as for the original run) from the
     * file. Everything is checked before anything is modified; a model tensor that is missing,
     * unexpected or of another shape is named with both shapes.
     *
     * @return progress, the restored generator (null if none was saved) and the extras
     */
    public static Resumed load(Path file, Module module, Optimizer optimizer) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        String architecture = ModelFile.checkHeader(file, meta, "checkpoint");
        TrainingProgress progress;
        SeededRandom rng;
        try {
            progress = new TrainingProgress(Long.parseLong(require(file, meta, STEP)),
                    Integer.parseInt(require(file, meta, EPOCH)));
            rng = meta.containsKey(RNG) ? SeededRandom.fromState(SeededRandom.State.decode(meta.get(RNG))) : null;
        } catch (IllegalArgumentException e) {   // includes NumberFormatException
            throw new IllegalArgumentException(file + ": bad progress or rng metadata: " + e.getMessage(), e);
        }
        Map<String, Tensor> model = StateDicts.checked(file, f, MODEL, module);

        Map<String, Tensor> optTensors = new LinkedHashMap<>();
        Map<String, Tensor> extraTensors = new LinkedHashMap<>();
        for (StoredTensor t : f.tensors().values()) {
            if (t.name().startsWith(OPTIMIZER)) {
                optTensors.put(t.name().substring(OPTIMIZER.length()), t.toTensor());
            } else if (t.name().startsWith(EXTRA)) {
                extraTensors.put(t.name().substring(EXTRA.length()), t.toTensor());
            }
        }
        try {
            optimizer.loadStateDict(new OptimizerState(optTensors, strip(meta, OPTIMIZER)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": optimizer state does not fit: " + e.getMessage(), e);
        }
        module.loadStateDict(model);   // checked above, cannot fail
        return new Resumed(progress, rng, strip(meta, EXTRA), architecture, extraTensors);
    }

    private static Map<String, String> strip(Map<String, String> meta, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static String require(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": no '" + key + "' in the metadata (not a checkpoint?)");
        }
        return v;
    }
}
