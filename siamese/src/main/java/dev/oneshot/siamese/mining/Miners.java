package dev.oneshot.siamese.mining;

import java.util.List;

/** The miners by name, for the command line and configuration files. */
public final class Miners {
    /** Every name {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("random", "hard", "semi-hard", "batch-hard", "batch-all");

    private Miners() {
    }

    /**
     * {@code random}: {@link RandomMiner}; {@code hard}: {@link HardestNegativeMiner};
     * {@code semi-hard}: {@link SemiHardMiner} with {@link SemiHardMiner.Fallback#SKIP};
     * {@code batch-hard}: {@link BatchHardMiner}; {@code batch-all}: {@link BatchAllMiner}.
     * Case and surrounding blanks are ignored.
     */
    public static TripletMiner byName(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (key) {
            case "random" -> new RandomMiner();
            case "hard" -> new HardestNegativeMiner();
            case "semi-hard" -> new SemiHardMiner();
            case "batch-hard" -> new BatchHardMiner();
            case "batch-all" -> new BatchAllMiner();
            default -> throw new IllegalArgumentException("unknown triplet miner '" + name + "'; valid names: "
                    + String.join(", ", NAMES));
        };
    }
}
