package dev.oneshot.nn.optim;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base class of the optimisers: owns the parameter groups, their hyper-parameters, the
 * per-parameter state buffers and step counts, and the state-dict format
 * ({@link OptimizerState}).
 *
 * <p>A subclass only writes {@link #update}: the arithmetic for one parameter, on primitive
 * arrays, in place. {@link #step()} calls it for every parameter that has a gradient, with
 * graph recording off. State buffers are allocated on a parameter's first update and reused
 * afterwards, so a step allocates nothing after the first.
 *
 * <p>Parameter names must be unique across groups, and a tensor may belong to one group only.
 */
public abstract class Optimizer {
    private final String kind;
    private final String[] slotNames;
    private final Tensor[] params;
    private final String[] names;
    private final int[][] groupMembers;
    private final Hyper[] hypers;
    private final double[] initialLr;
    private final double[] initialMomentum;
    private final long[] steps;
    /** state[slot][param]: a buffer of the parameter's length, or null before first use. */
    private final float[][][] state;

    /**
     * @param kind      the name written to the state dict ({@code Sgd}, {@code Adam}, ...)
     * @param slotNames the per-parameter state buffers, e.g. {@code momentum_buffer}
     * @param groups    the parameter groups
     * @param defaults  hyper-parameters for whatever a group leaves unset
     */
    protected Optimizer(String kind, String[] slotNames, List<ParamGroup> groups, Hyper defaults) {
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException(kind + ": need at least one parameter group");
        }
        this.kind = kind;
        this.slotNames = slotNames.clone();
        List<Tensor> ps = new ArrayList<>();
        List<String> ns = new ArrayList<>();
        Set<String> seenNames = new HashSet<>();
        Map<Tensor, String> seenTensors = new IdentityHashMap<>();
        groupMembers = new int[groups.size()][];
        hypers = new Hyper[groups.size()];
        initialLr = new double[groups.size()];
        initialMomentum = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            Map<String, Tensor> members = groups.get(g).params();
            groupMembers[g] = new int[members.size()];
            int k = 0;
            for (Map.Entry<String, Tensor> e : members.entrySet()) {
                if (!seenNames.add(e.getKey())) {
                    throw new IllegalArgumentException(kind + ": parameter name '" + e.getKey()
                            + "' appears twice; names must be unique across groups");
                }
                String other = seenTensors.put(e.getValue(), e.getKey());
                if (other != null) {
                    throw new IllegalArgumentException(kind + ": parameters '" + other + "' and '" + e.getKey()
                            + "' are the same tensor; a tensor may be listed once");
                }
                groupMembers[g][k++] = ps.size();
                ps.add(e.getValue());
                ns.add(e.getKey());
            }
            Hyper h = groups.get(g).resolve(defaults);
            validate(h);
            hypers[g] = h;
            initialLr[g] = h.lr();
            initialMomentum[g] = h.momentum();
        }
        params = ps.toArray(new Tensor[0]);
        names = ns.toArray(new String[0]);
        steps = new long[params.length];
        state = new float[slotNames.length][params.length][];
    }

    /** One group holding all of {@code params}. */
    protected static List<ParamGroup> single(Map<String, Tensor> params) {
        return List.of(ParamGroup.of(params));
    }

    /**
     * Checks hyper-parameters beyond what {@link Hyper} checks (e.g. Nesterov needs momentum).
     * Called for every group on construction and on every change. Throws
     * {@link IllegalArgumentException} with a message naming the problem.
     */
    protected void validate(Hyper h) {
    }

    /**
     * Updates one parameter in place.
     *
     * @param h     the hyper-parameters of the parameter's group
     * @param index the parameter's index, for {@link #state(int, int)}
     * @param p     the parameter's data (write the new values here)
     * @param grad  its gradient (read only)
     * @param step  1 on the parameter's first update, then 2, 3, ...
     */
    protected abstract void update(Hyper h, int index, float[] p, float[] grad, long step);

    /** The state buffer {@code slot} of parameter {@code index}, or null if never allocated. */
    protected final float[] stateOrNull(int slot, int index) {
        return state[slot][index];
    }

    /** The state buffer {@code slot} of parameter {@code index}; allocated as zeros on first use. */
    protected final float[] state(int slot, int index) {
        float[] s = state[slot][index];
        if (s == null) {
            s = new float[params[index].numel()];
            state[slot][index] = s;
        }
        return s;
    }

    /**
     * Applies one update to every parameter that has a gradient buffer; parameters whose
     * {@code grad()} is null are skipped (no update, step count unchanged). A gradient that
     * {@link #zeroGrad()} set to zeros still counts: momentum and Adam's averages keep moving,
     * as in PyTorch with {@code zero_grad(set_to_none=False)}.
     */
    public final void step() {
        try (Grad.Scope off = Grad.off()) {
            for (int g = 0; g < groupMembers.length; g++) {
                Hyper h = hypers[g];
                for (int i : groupMembers[g]) {
                    if (!params[i].hasGrad()) {
                        continue;
                    }
                    steps[i]++;
                    update(h, i, params[i].data(), params[i].gradData(), steps[i]);
                }
            }
        }
    }

    /** Zeroes every parameter's gradient (buffers are kept). */
    public final void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    // ------------------------------------------------------------------ groups and hyper-parameters

    public final int groupCount() {
        return hypers.length;
    }

    /** The parameters of group {@code g}, name → tensor in order. */
    public final Map<String, Tensor> params(int g) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i : groupMembers[checkGroup(g)]) {
            m.put(names[i], params[i]);
        }
        return m;
    }

    /** All parameters of all groups, name → tensor in order. */
    public final Map<String, Tensor> params() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i++) {
            m.put(names[i], params[i]);
        }
        return m;
    }

    public final Hyper hyper(int g) {
        return hypers[checkGroup(g)];
    }

    /** Replaces group {@code g}'s hyper-parameters (validated). State buffers are kept. */
    public final void setHyper(int g, Hyper h) {
        checkGroup(g);
        validate(h);
        hypers[g] = h;
    }

    /** The learning rate shared by all groups; fails if the groups differ (use {@link #lr(int)}). */
    public final double lr() {
        for (Hyper h : hypers) {
            if (h.lr() != hypers[0].lr()) {
                throw new IllegalStateException(kind + ": the groups have different learning rates "
                        + Arrays.toString(Arrays.stream(hypers).mapToDouble(Hyper::lr).toArray()) + "; use lr(group)");
            }
        }
        return hypers[0].lr();
    }

    public final double lr(int g) {
        return hyper(g).lr();
    }

    /** Sets every group's learning rate. */
    public final void setLr(double lr) {
        for (int g = 0; g < hypers.length; g++) {
            setLr(g, lr);
        }
    }

    public final void setLr(int g, double lr) {
        setHyper(g, hyper(g).withLr(lr));
    }

    public final double momentum(int g) {
        return hyper(g).momentum();
    }

    public final void setMomentum(int g, double momentum) {
        setHyper(g, hyper(g).withMomentum(momentum));
    }

    /** Group {@code g}'s learning rate at construction: the base that schedules scale. */
    public final double initialLr(int g) {
        return initialLr[checkGroup(g)];
    }

    /** Group {@code g}'s momentum at construction: the final value of a momentum ramp. */
    public final double initialMomentum(int g) {
        return initialMomentum[checkGroup(g)];
    }

    /** Number of updates parameter {@code name} has received. */
    public final long stepCount(String name) {
        return steps[indexOf(name)];
    }

    private int checkGroup(int g) {
        if (g < 0 || g >= hypers.length) {
            throw new IndexOutOfBoundsException(kind + ": group " + g + " does not exist (" + hypers.length + " groups)");
        }
        return g;
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(kind + ": no parameter named '" + name + "'");
    }

    // ------------------------------------------------------------------ state dict

    /** A deep copy of the optimiser state; see {@link OptimizerState} for the names. */
    public final OptimizerState stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("optimizer", kind);
        meta.put("groups", Integer.toString(hypers.length));
        for (int g = 0; g < hypers.length; g++) {
            String pre = "group." + g + ".";
            meta.put(pre + "size", Integer.toString(groupMembers[g].length));
            for (int k = 0; k < groupMembers[g].length; k++) {
                meta.put(pre + "param." + k, names[groupMembers[g][k]]);
            }
            Hyper h = hypers[g];
            meta.put(pre + "lr", Double.toString(h.lr()));
            meta.put(pre + "momentum", Double.toString(h.momentum()));
            meta.put(pre + "weight_decay", Double.toString(h.weightDecay()));
            meta.put(pre + "beta1", Double.toString(h.beta1()));
            meta.put(pre + "beta2", Double.toString(h.beta2()));
            meta.put(pre + "eps", Double.toString(h.eps()));
            meta.put(pre + "nesterov", Boolean.toString(h.nesterov()));
            meta.put(pre + "initial_lr", Double.toString(initialLr[g]));
            meta.put(pre + "initial_momentum", Double.toString(initialMomentum[g]));
        }
        for (int i = 0; i < params.length; i++) {
            meta.put("state." + names[i] + ".step", Long.toString(steps[i]));
            for (int s = 0; s < slotNames.length; s++) {
                if (state[s][i] != null) {
                    tensors.put("state." + names[i] + "." + slotNames[s],
                            Tensor.fromArray(state[s][i], params[i].shape()));
                }
            }
        }
        return new OptimizerState(tensors, meta);
    }

    /**
     * Restores a {@link #stateDict()} taken from an optimiser of the same kind over the same
     * parameter names and shapes (grouped the same way). Buffers are copied in; hyper-parameters
     * and step counts are restored. Nothing changes if the state does not fit.
     */
    public final void loadStateDict(OptimizerState st) {
        Map<String, String> meta = st.metadata();
        if (!kind.equals(meta.get("optimizer"))) {
            throw new IllegalArgumentException(kind + ": state dict is for optimizer '" + meta.get("optimizer") + "'");
        }
        int groups = parseInt(meta, "groups");
        if (groups != hypers.length) {
            throw new IllegalArgumentException(kind + ": state dict has " + groups + " groups, this optimiser "
                    + hypers.length);
        }
        Hyper[] newHypers = new Hyper[groups];
        double[] newInitLr = new double[groups];
        double[] newInitMom = new double[groups];
        for (int g = 0; g < groups; g++) {
            String pre = "group." + g + ".";
            if (parseInt(meta, pre + "size") != groupMembers[g].length) {
                throw new IllegalArgumentException(kind + ": group " + g + " has " + meta.get(pre + "size")
                        + " parameters in the state dict, " + groupMembers[g].length + " here");
            }
            for (int k = 0; k < groupMembers[g].length; k++) {
                String want = names[groupMembers[g][k]];
                if (!want.equals(meta.get(pre + "param." + k))) {
                    throw new IllegalArgumentException(kind + ": group " + g + " parameter " + k + " is '"
                            + meta.get(pre + "param." + k) + "' in the state dict, '" + want + "' here");
                }
            }
            newHypers[g] = new Hyper(parseDouble(meta, pre + "lr"), parseDouble(meta, pre + "momentum"),
                    parseDouble(meta, pre + "weight_decay"), parseDouble(meta, pre + "beta1"),
                    parseDouble(meta, pre + "beta2"), parseDouble(meta, pre + "eps"),
                    Boolean.parseBoolean(require(meta, pre + "nesterov")));
            validate(newHypers[g]);
            newInitLr[g] = parseDouble(meta, pre + "initial_lr");
            newInitMom[g] = parseDouble(meta, pre + "initial_momentum");
        }
        long[] newSteps = new long[params.length];
        float[][][] newState = new float[slotNames.length][params.length][];
        for (int i = 0; i < params.length; i++) {
            newSteps[i] = Long.parseLong(require(meta, "state." + names[i] + ".step"));
            for (int s = 0; s < slotNames.length; s++) {
                Tensor t = st.tensors().get("state." + names[i] + "." + slotNames[s]);
                if (t != null) {
                    if (!Arrays.equals(t.shape(), params[i].shape())) {
                        throw new IllegalArgumentException(kind + ": state '" + names[i] + "." + slotNames[s]
                                + "' has shape " + Arrays.toString(t.shape()) + ", parameter has "
                                + Arrays.toString(params[i].shape()));
                    }
                    newState[s][i] = t.data().clone();
                }
            }
        }
        System.arraycopy(newHypers, 0, hypers, 0, groups);
        System.arraycopy(newInitLr, 0, initialLr, 0, groups);
        System.arraycopy(newInitMom, 0, initialMomentum, 0, groups);
        System.arraycopy(newSteps, 0, steps, 0, params.length);
        for (int s = 0; s < slotNames.length; s++) {
            System.arraycopy(newState[s], 0, state[s], 0, params.length);
        }
    }

    private String require(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException(kind + ": state dict has no metadata '" + key + "'");
        }
        return v;
    }

    private int parseInt(Map<String, String> meta, String key) {
        return Integer.parseInt(require(meta, key));
    }

    private double parseDouble(Map<String, String> meta, String key) {
        return Double.parseDouble(require(meta, key));
    }
}
