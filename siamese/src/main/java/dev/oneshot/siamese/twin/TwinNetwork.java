package dev.oneshot.siamese.twin;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.layers.Conv2d;
import dev.oneshot.nn.Sequential;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The Siamese ("twin") network: <b>one</b> embedding network f applied to every input, so both
 * towers share the same structure and the very same parameter objects.
 * <pre>  d(x₁, x₂) = ‖f(x₁) − f(x₂)‖²</pre>
 * Training makes d small for the same identity and large for different ones. Because the
 * towers are one module, backward adds the gradient of each tower into the same parameter
 * tensors: ∂L/∂θ = ∂L/∂θ|tower 1 + ∂L/∂θ|tower 2 (+ tower 3 for triplets).
 *
 * <p><b>L2 normalisation.</b> With {@code normalize} the embeddings are put on the unit sphere
 * (FaceNet), so squared distances lie in [0, 4] and a triplet margin α around 0.2 is a sensible
 * start. Without it distances are unbounded and the margin must match the embedding scale
 * (α ≈ 1 for squared L2 of a freshly initialised network is typical); the network can also
 * shrink or blow up its embeddings, which the collapse detector watches for.
 *
 * <p><b>Mirror averaging</b> (test-time flip). With {@code mirrorAverage}, an embedding computed
 * in eval mode is that of the photo and of its mirror image together,
 * <pre>  f̄(x) = normalise(f(x) + f(mirror(x)))      mirror(x)[c, y, w] = x[c, y, W − 1 − w]</pre>
 * (normalise only when {@code normalize}), so a face and its mirror image get the same
 * embedding. It costs a second forward pass; training (train mode) embeds x alone — the
 * training augmentation already mirrors. The mirrored input is a copy of the data: no gradient
 * flows back to x through it (parameters receive both passes' gradients).
 *
 * <p><b>Shift averaging</b> (test-time shifts). With {@code shiftAverage}, the eval-mode embedding
 * also sums f over the image moved by one pixel in each of the eight directions, zeros moved in:
 * <pre>  f̄(x) = normalise(Σ_{s ∈ S} f(shift_s(x)))      S = {−1, 0, 1}² (the 3 × 3 grid of moves)
 *  shift_(dx,dy)(x)[c, y, w] = x[c, y − dy, w − dx]   (0 outside the image)</pre>
 * so one-pixel differences in where a character or face sits move the embedding less. Nine
 * passes, summed in the order of {@link #SHIFTS}; with mirror averaging too, each view is also
 * taken mirrored (eighteen passes: the nine, then their mirror images in the same order).
 *
 * <p>This class is a thin wrapper, not a {@link Module}: the embedding network keeps its own
 * parameter names ({@code 0.weight}, ...) so that a saved model loads into the equivalent
 * PyTorch module unchanged.
 */
public final class TwinNetwork {
    /** Norm floor for L2 normalisation (a zero embedding stays finite). */
    public static final float NORMALIZE_EPS = 1e-12f;

    private final Module embeddingNet;
    private final boolean normalize;
    private final boolean mirrorAverage;
    private final boolean shiftAverage;

    /** The one-pixel moves (dx, dy) of shift averaging, the unmoved image first: the 3 × 3 grid. */
    public static final int[][] SHIFTS = {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1},
        {-1, -1}};

    /** Without mirror averaging. */
    public TwinNetwork(Module embeddingNet, boolean normalize) {
        this(embeddingNet, normalize, false);
    }

    /**
     * @param normalize     put embeddings on the unit sphere
     * @param mirrorAverage in eval mode embed x and its mirror image together (see the class comment);
     *                      inputs must then be [n, C, H, W]
     */
    public TwinNetwork(Module embeddingNet, boolean normalize, boolean mirrorAverage) {
        this(embeddingNet, normalize, mirrorAverage, false);
    }

    /**
     * @param normalize     put embeddings on the unit sphere
     * @param mirrorAverage in eval mode embed x and its mirror image together (see the class comment)
     * @param shiftAverage  in eval mode embed x and its eight one-pixel moves together (see the class
     *                      comment); with either, inputs must be [n, C, H, W]
     */
    public TwinNetwork(Module embeddingNet, boolean normalize, boolean mirrorAverage, boolean shiftAverage) {
        if (embeddingNet == null) {
            throw new IllegalArgumentException("TwinNetwork: the embedding network is null");
        }
        this.embeddingNet = embeddingNet;
        this.normalize = normalize;
        this.mirrorAverage = mirrorAverage;
        this.shiftAverage = shiftAverage;
    }

    /** A pair of embeddings from the two towers. */
    public record PairEmbeddings(Tensor first, Tensor second) {
    }

    /** The three embeddings of (anchor, positive, negative). */
    public record TripletEmbeddings(Tensor anchor, Tensor positive, Tensor negative) {
    }

    /**
     * f(x) for a batch [n, C, H, W] (or whatever the network takes) → [n, d]. Raw tensors are
     * not resized or converted (image files are: {@code GrayImages} with the model's
     * {@code ImageOptions}).
     *
     * @throws IllegalArgumentException if a value of {@code x} is NaN or infinite (naming the
     *     first one: index, image, channel, row, column), or if the network cannot take a
     *     tensor of this shape (naming the shape given, the channels the first convolution
     *     takes, and the layer's own complaint)
     */
    public Tensor embed(Tensor x) {
        InputCheck.requireFinite("TwinNetwork.embed: input", x);
        Tensor e = flat(forwardChecked(x));
        if (!embeddingNet.isTraining() && (shiftAverage || mirrorAverage)) {
            int views = shiftAverage ? SHIFTS.length : 1;
            for (int v = 1; v < views; v++) {
                e = e.add(flat(forwardChecked(shift(x, SHIFTS[v][0], SHIFTS[v][1]))));
            }
            if (mirrorAverage) {
                Tensor m = mirror(x);
                for (int v = 0; v < views; v++) {
                    e = e.add(flat(forwardChecked(v == 0 ? m : shift(m, SHIFTS[v][0], SHIFTS[v][1]))));
                }
            }
        }
        return normalize ? e.l2NormalizeRows(NORMALIZE_EPS) : e;
    }

    /** f(x), naming the input's shape and the channels the network takes when it cannot take it. */
    private Tensor forwardChecked(Tensor x) {
        try {
            return embeddingNet.forward(x);
        } catch (IllegalArgumentException wrongShape) {
            throw new IllegalArgumentException("TwinNetwork.embed: the embedding network cannot take input "
                    + Shape.toString(x.shape()) + expectedChannels() + ": " + wrongShape.getMessage(), wrongShape);
        }
    }

    /** {@code " (it takes [n, 1, H, W]: its first convolution has 1 input channel)"}, or "" if unknown. */
    private String expectedChannels() {
        Module first = embeddingNet;
        while (first instanceof Sequential seq && seq.size() > 0) {
            first = seq.get(0);
        }
        if (first instanceof Conv2d conv) {
            int c = conv.weight().size(1);
            return " (it takes [n, " + c + ", H, W]: its first convolution has " + c + " input channel"
                    + (c == 1 ? "" : "s") + ")";
        }
        return "";
    }

    private static Tensor flat(Tensor e) {
        return e.rank() == 2 ? e : e.reshape(e.size(0), -1);
    }

    /** mirror(x)[n, c, y, w] = x[n, c, y, W − 1 − w] for x of [n, C, H, W]: a new tensor, no graph. */
    public static Tensor mirror(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("TwinNetwork: mirror averaging needs [n, C, H, W] images, got rank "
                    + x.rank());
        }
        int w = x.size(3);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int row = 0; row < in.length; row += w) {
            for (int i = 0; i < w; i++) {
                out[row + i] = in[row + w - 1 - i];
            }
        }
        return Tensor.wrap(out, x.shape());
    }

    /**
     * shift(x)[n, c, y, w] = x[n, c, y − dy, w − dx], 0 where that falls outside the image, for x of
     * [n, C, H, W]: the image moved dx columns right and dy rows down; a new tensor, no graph.
     */
    public static Tensor shift(Tensor x, int dx, int dy) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("TwinNetwork: shift averaging needs [n, C, H, W] images, got rank "
                    + x.rank());
        }
        int h = x.size(2);
        int w = x.size(3);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int plane = 0; plane < in.length; plane += h * w) {
            for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                int src = plane + (y - dy) * w;
                int dst = plane + y * w;
                int from = Math.max(0, dx);
                int to = Math.min(w, w + dx);
                System.arraycopy(in, src + from - dx, out, dst + from, to - from);
            }
        }
        return Tensor.wrap(out, x.shape());
    }

    /** Both towers: (f(x₁), f(x₂)). */
    public PairEmbeddings embedPair(Tensor x1, Tensor x2) {
        return new PairEmbeddings(embed(x1), embed(x2));
    }

    /** Three towers for a triplet loss: (f(a), f(p), f(n)). */
    public TripletEmbeddings embedTriplet(Tensor anchor, Tensor positive, Tensor negative) {
        return new TripletEmbeddings(embed(anchor), embed(positive), embed(negative));
    }

    /** The shared embedding network f. */
    public Module embeddingNet() {
        return embeddingNet;
    }

    public boolean normalizes() {
        return normalize;
    }

    /** Whether eval-mode embeddings average the photo and its mirror image. */
    public boolean mirrorAverages() {
        return mirrorAverage;
    }

    /** Whether eval-mode embeddings sum the image and its eight one-pixel moves. */
    public boolean shiftAverages() {
        return shiftAverage;
    }

    /** The shared parameters (each listed once), for an optimiser. */
    public List<Tensor> parameters() {
        return embeddingNet.parameters();
    }

    /** The shared parameters by their names in the embedding network. */
    public LinkedHashMap<String, Tensor> namedParameters() {
        return embeddingNet.namedParameters();
    }

    public void train() {
        embeddingNet.train();
    }

    public void eval() {
        embeddingNet.eval();
    }

    public void zeroGrad() {
        embeddingNet.zeroGrad();
    }

    @Override
    public String toString() {
        return "TwinNetwork(normalize=" + normalize + ", mirrorAverage=" + mirrorAverage + ", shiftAverage="
                + shiftAverage + ", shared embedding network:\n" + embeddingNet + ")";
    }
}
