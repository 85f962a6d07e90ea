package dev.oneshot.siamese.train;

/** Which Siamese objective the trainer optimises. */
public enum LossKind {
    /** max(d(A,P) − d(A,N) + α, 0) over triplets mined inside each P×K batch. */
    TRIPLET,
    /** Hadsell et al.: y·d² + (1−y)·max(m − d, 0)² over balanced pairs of the batch. */
    CONTRASTIVE,
    /** Koch et al.: σ(w·|f(x₁) − f(x₂)| + b) with binary cross-entropy over balanced pairs. */
    BINARY;

    /** Parses "triplet", "contrastive" or "binary" (case-insensitive), naming the valid values on error. */
    public static LossKind byName(String name) {
        for (LossKind k : values()) {
            if (k.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; valid: triplet, contrastive, binary");
    }
}
