package dev.oneshot.siamese.train;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.ConcatBranches;
import dev.oneshot.nn.layers.L2Normalize;
import dev.oneshot.siamese.model.SiameseModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Training that starts from another model's weights (fine-tuning, or pretraining on other data):
 * every tensor of the new network — parameters and buffers such as batch norm's running
 * statistics — that the other model's network has under the same name and shape is copied; the
 * rest keep their fresh initialisation (typically the last linear layer, when the inputs differ
 * in size, e.g. 28×28 characters before 28×23 faces). An ensemble's member i starts from the other
 * model's member i (counted round when the other model has fewer), so from its only network when
 * it has one.
 */
public final class WarmStart {
    private final SiameseModel from;
    private final String name;

    /**
     * @param from the model whose weights the training starts from
     * @param name how the log names it (its file)
     */
    public WarmStart(SiameseModel from, String name) {
        if (from == null) {
            throw new IllegalArgumentException("WarmStart: no model");
        }
        this.from = from;
        this.name = name;
    }

    /** What one network took over: the tensors copied and the ones left fresh (name and both shapes). */
    public record Report(int copied, List<String> fresh) {
        /** One line for the training log. */
        public String describe(String source) {
            return "starting from the weights of " + source + ": " + copied + " of " + (copied + fresh.size())
                    + " tensors" + (fresh.isEmpty() ? "" : "; fresh: " + String.join(", ", fresh));
        }
    }

    /** The model's member networks: the branches of an ensemble (without their L2 step), or its one network. */
    static List<Module> members(SiameseModel model) {
        Module net = model.embeddingNet();
        if (!(net instanceof ConcatBranches c)) {
            return List.of(net);
        }
        List<Module> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            Module b = c.get(i);
            out.add(b instanceof Sequential s && s.size() == 2 && s.get(1) instanceof L2Normalize ? s.get(0) : b);
        }
        return out;
    }

    /**
     * Copies into member {@code member}'s network {@code target} (before it trains) what matches;
     * fails, naming the model, when nothing does (another kind of network altogether).
     */
    public Report apply(Module target, int member) {
        List<Module> sources = members(from);
        Map<String, Tensor> source = sources.get(member % sources.size()).stateDict();
        int copied = 0;
        List<String> fresh = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : target.stateDict().entrySet()) {
            Tensor t = e.getValue();
            Tensor s = source.get(e.getKey());
            if (s != null && Arrays.equals(s.shape(), t.shape())) {
                System.arraycopy(s.data(), 0, t.data(), 0, t.numel());
                copied++;
            } else {
                fresh.add(e.getKey() + " " + Shape.toString(t.shape())
                        + (s == null ? " (not in " + name + ")" : " (" + Shape.toString(s.shape()) + " in " + name + ")"));
            }
        }
        if (copied == 0) {
            throw new IllegalArgumentException("--init " + name + ": its network shares no tensor (same name and shape)"
                    + " with the recipe's; the recipe's first is " + fresh.get(0));
        }
        return new Report(copied, List.copyOf(fresh));
    }

    public String name() {
        return name;
    }
}
