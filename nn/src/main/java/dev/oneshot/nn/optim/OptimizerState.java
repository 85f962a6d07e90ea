package dev.oneshot.nn.optim;

import dev.oneshot.core.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of an optimiser, in a form a safetensors file holds directly: float32 tensors by
 * name plus string metadata.
 *
 * <p><b>tensors</b> (deep copies, shape of the parameter):
 * <ul>
 *   <li>{@code state.<param>.momentum_buffer} — SGD, once momentum has been used;</li>
 *   <li>{@code state.<param>.exp_avg}, {@code state.<param>.exp_avg_sq} — Adam/AdamW m and v.</li>
 * </ul>
 * <b>metadata</b> (numbers written with {@link Double#toString}/{@link Long#toString}, which
 * read back exactly):
 * <ul>
 *   <li>{@code optimizer} — {@code Sgd}, {@code Adam} or {@code AdamW};</li>
 *   <li>{@code groups} — number of groups; {@code group.<g>.size}; {@code group.<g>.param.<k>}
 *       — the k-th parameter name of group g;</li>
 *   <li>{@code group.<g>.lr}, {@code .momentum}, {@code .weight_decay}, {@code .beta1},
 *       {@code .beta2}, {@code .eps}, {@code .nesterov}, {@code .initial_lr},
 *       {@code .initial_momentum} — the group's current and initial hyper-parameters;</li>
 *   <li>{@code state.<param>.step} — how many updates that parameter has received. Step counts
 *       are metadata rather than float tensors so that they stay exact past 2²⁴.</li>
 * </ul>
 * Parameter values themselves are not included: save them with the model.
 *
 * @param tensors  name → float32 tensor (unmodifiable)
 * @param metadata name → string (unmodifiable)
 */
public record OptimizerState(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public OptimizerState {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
