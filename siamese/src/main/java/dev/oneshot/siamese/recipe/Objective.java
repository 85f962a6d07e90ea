package dev.oneshot.siamese.recipe;

import dev.oneshot.core.json.JsonObject;
import dev.oneshot.siamese.data.Mixup;
import dev.oneshot.siamese.loss.ContrastiveLoss;
import dev.oneshot.siamese.loss.EmbeddingDistance;
import dev.oneshot.siamese.loss.Reduction;
import dev.oneshot.siamese.loss.TripletOptions;
import dev.oneshot.siamese.mining.Miners;
import dev.oneshot.siamese.mining.TripletMiner;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What training minimises: the {@link Triplet} loss over triplets a miner picks inside each
 * P×K batch, the {@link Contrastive} loss over balanced pairs of the batch, the {@link Binary}
 * cross-entropy of Koch's verification head over balanced pairs, the {@link NormalizedSoftmax}
 * cross-entropy over all training classes, the two {@link Joint}ly, or the {@link Prototypical}
 * loss of one-shot episodes dealt from each batch.
 */
public sealed interface Objective {
    /**
     * {@code "triplet"}, {@code "contrastive"}, {@code "binary"}, {@code "normalized-softmax"}, {@code "joint"} or
     * {@code "prototypical"}.
     */
    String kind();

    /** The JSON form, with a {@code kind}. */
    Map<String, Object> toJson();

    /**
     * L = max(d(A,P) − d(A,N) + α, 0) (or the soft margin) over the triplets {@code miner}
     * picks from each batch's pairwise distances.
     */
    record Triplet(TripletMiner miner, TripletOptions options) implements Objective {
        public Triplet {
            if (miner == null || options == null) {
                throw new IllegalArgumentException("Objective.Triplet: miner and options must not be null");
            }
        }

        @Override
        public String kind() {
            return "triplet";
        }

        /** The same loss with another miner. */
        public Triplet withMiner(TripletMiner m) {
            return new Triplet(m, options);
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", kind());
            o.put("miner", miner.name());
            o.put("margin", options.margin());
            o.put("margin_kind", name(options.marginKind()));
            o.put("distance", name(options.distance()));
            o.put("reduction", name(options.reduction()));
            return o;
        }

        /** Miners are compared by their name (the name is what a recipe file stores). */
        @Override
        public boolean equals(Object other) {
            return other instanceof Triplet t && miner.name().equals(t.miner.name()) && options.equals(t.options);
        }

        @Override
        public int hashCode() {
            return 31 * miner.name().hashCode() + options.hashCode();
        }

        @Override
        public String toString() {
            return "Triplet[miner=" + miner.name() + ", options=" + options + "]";
        }
    }

    /** Hadsell et al.: y·d² + (1 − y)·max(m − d, 0)² over balanced pairs of the batch. */
    record Contrastive(ContrastiveLoss.Options options) implements Objective {
        @Override
        public String kind() {
            return "contrastive";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", kind());
            o.put("margin", options.margin());
            o.put("reduction", name(options.reduction()));
            return o;
        }
    }

    /** Koch et al.: σ(w·|f(x₁) − f(x₂)| + b) with binary cross-entropy over balanced pairs; the model keeps the head. */
    record Binary() implements Objective {
        @Override
        public String kind() {
            return "binary";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", kind());
            return o;
        }
    }

    /**
     * Normalised softmax over the training classes: a proxy per class, L = cross-entropy of
     * s·(cos(e, proxies) − m at the true class) (see {@link dev.oneshot.siamese.loss.NormalizedSoftmaxLoss});
     * the proxies are trained beside the network and dropped after training. With {@code mixup}
     * α &gt; 0 each batch is blended with a permutation of itself and the loss asked for the same blend
     * of labels ({@link dev.oneshot.siamese.data.Mixup}). The JSON fields {@code margin} and
     * {@code mixup} are optional (0 when absent) and written only when they are not 0.
     */
    record NormalizedSoftmax(float scale, float margin, double mixup) implements Objective {
        public NormalizedSoftmax {
            if (!(mixup >= 0 && mixup <= Mixup.MAX_ALPHA)) {
                throw new IllegalArgumentException("Objective.NormalizedSoftmax: mixup α must be in [0, "
                        + Mixup.MAX_ALPHA + "] (0: none), got " + mixup);
            }
            if (!(scale > 0) || !Float.isFinite(scale)) {
                throw new IllegalArgumentException("Objective.NormalizedSoftmax: scale must be finite and > 0, got "
                        + scale);
            }
            if (!(margin >= 0 && margin < 1)) {
                throw new IllegalArgumentException("Objective.NormalizedSoftmax: margin must be in [0, 1), got "
                        + margin);
            }
        }

        /** No margin, no mixup. */
        public NormalizedSoftmax(float scale) {
            this(scale, 0, 0);
        }

        /** No mixup. */
        public NormalizedSoftmax(float scale, float margin) {
            this(scale, margin, 0);
        }

        @Override
        public String kind() {
            return "normalized-softmax";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", kind());
            o.put("scale", scale);
            if (margin != 0) {
                o.put("margin", margin);
            }
            if (mixup != 0) {
                o.put("mixup", mixup);
            }
            return o;
        }
    }

    /**
     * L = L_triplet + w · L_softmax on the same batch: the triplets order the distances between
     * the batch's images, the normalised softmax pulls each image towards its class's proxy (the
     * pairing re-identification baselines train with). A batch in which the miner finds no
     * triplet trains on the softmax term alone.
     */
    record Joint(Triplet triplet, NormalizedSoftmax softmax, float softmaxWeight) implements Objective {
        public Joint {
            if (triplet == null || softmax == null) {
                throw new IllegalArgumentException("Objective.Joint: triplet and softmax must not be null");
            }
            if (softmax.mixup() != 0) {
                throw new IllegalArgumentException("Objective.Joint: the softmax part cannot mix up its batch (the "
                        + "triplets compare the images by their own labels); mixup must be 0, got " + softmax.mixup());
            }
            if (!(softmaxWeight > 0) || !Float.isFinite(softmaxWeight)) {
                throw new IllegalArgumentException("Objective.Joint: softmax weight must be finite and > 0, got "
                        + softmaxWeight);
            }
        }

        @Override
        public String kind() {
            return "joint";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", kind());
            o.put("triplet", triplet.toJson());
            o.put("softmax", softmax.toJson());
            o.put("softmax_weight", softmaxWeight);
            return o;
        }
    }

    /**
     * Snell et al.'s prototypical loss inside each P×K batch: every class's prototype is the mean of
     * {@code shots} of its images, every other image is classified among the batch's classes by
     * softmax(−‖e − μ‖²), and each image takes its turn as a support (see
     * {@link dev.oneshot.siamese.loss.PrototypicalLoss}). Needs K &gt; shots images per class.
     */
    record Prototypical(int shots) implements Objective {
        public Prototypical {
            if (shots < 1) {
                throw new IllegalArgumentException("Objective.Prototypical: shots must be ≥ 1, got " + shots);
            }
        }

        @Override
        public String kind() {
            return "prototypical";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", kind());
            o.put("shots", shots);
            return o;
        }
    }

    /** Reads the JSON form; errors name the field. */
    static Objective fromJson(JsonObject o) {
        String kind = o.string("kind");
        switch (kind) {
            case "triplet" -> {
                o.requireOnly("kind", "miner", "margin", "margin_kind", "distance", "reduction");
                TripletMiner miner;
                try {
                    miner = Miners.byName(o.string("miner"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(o.where() + ".miner: " + e.getMessage(), e);
                }
                TripletOptions d = TripletOptions.DEFAULT;
                TripletOptions options = new TripletOptions((float) o.number("margin", d.margin(), 0, 1e6),
                        o.enumValue("distance", EmbeddingDistance.class, d.distance()),
                        o.enumValue("margin_kind", TripletOptions.Margin.class, d.marginKind()),
                        o.enumValue("reduction", Reduction.class, d.reduction()), d.epsilon());
                return new Triplet(miner, options);
            }
            case "contrastive" -> {
                o.requireOnly("kind", "margin", "reduction");
                ContrastiveLoss.Options d = ContrastiveLoss.Options.DEFAULT;
                return new Contrastive(new ContrastiveLoss.Options((float) o.number("margin", d.margin(), 0, 1e6),
                        d.epsilon(), o.enumValue("reduction", Reduction.class, d.reduction())));
            }
            case "binary" -> {
                o.requireOnly("kind");
                return new Binary();
            }
            case "normalized-softmax" -> {
                o.requireOnly("kind", "scale", "margin", "mixup");
                return new NormalizedSoftmax((float) o.number("scale", 16, 1e-3, 1e4),
                        (float) o.number("margin", 0, 0, 0.99), o.number("mixup", 0, 0, Mixup.MAX_ALPHA));
            }
            case "joint" -> {
                o.requireOnly("kind", "triplet", "softmax", "softmax_weight");
                return new Joint(part(o.object("triplet"), Triplet.class, "triplet"),
                        part(o.object("softmax"), NormalizedSoftmax.class, "normalized-softmax"),
                        (float) o.number("softmax_weight", 1, 1e-6, 1e6));
            }
            case "prototypical" -> {
                o.requireOnly("kind", "shots");
                return new Prototypical(o.integer("shots", 1, 1, 1000));
            }
            default -> throw new IllegalArgumentException(o.where() + ".kind: expected one of triplet, contrastive, "
                    + "binary, normalized-softmax, joint, prototypical, got '" + kind + "'");
        }
    }

    /** One part of a {@link Joint} objective, which must be of the given kind. */
    private static <T extends Objective> T part(JsonObject o, Class<T> type, String expected) {
        Objective read = fromJson(o);
        if (!type.isInstance(read)) {
            throw new IllegalArgumentException(o.where() + ".kind: expected " + expected + ", got '" + read.kind() + "'");
        }
        return type.cast(read);
    }

    /** An enum constant as a recipe file writes it: {@code MEAN_ACTIVE} → {@code "mean-active"}. */
    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
