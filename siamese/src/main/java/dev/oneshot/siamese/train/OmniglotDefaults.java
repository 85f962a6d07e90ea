package dev.oneshot.siamese.train;

import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.nets.KochConfig;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.util.List;

/**
 * The configuration chosen for Omniglot one-shot training under a 10-minute CPU budget (see
 * {@code OmniglotOneShot} in the siamese tests for the measurements behind it): what a CLI
 * uses when it trains on Omniglot without further options.
 *
 * <ul>
 *   <li>input: {@link #imageOptions()} — 35×35 (exact 3×3 block averages of the 105×105
 *       files), inverted (strokes 1);</li>
 *   <li>network: {@link #network(long)} — Koch-small (conv 32@5, 64@3, 64@3, 128@2 with ReLU
 *       and three 2×2 max-pools; linear to a 64-d embedding, no sigmoid), L2-normalised
 *       ({@link #NORMALIZE});</li>
 *   <li>training: {@link #config()} — triplet loss, batch-all mining, margin 0.2, P×K = 16×4,
 *       Koch augmentation on, Adam at {@link #LEARNING_RATE}, 10-minute budget.</li>
 * </ul>
 */
public final class OmniglotDefaults {
    /** Side of the square network input. */
    public static final int INPUT_SIZE = 35;
    /** Embeddings on the unit sphere. */
    public static final boolean NORMALIZE = true;
    /** Adam learning rate. */
    public static final double LEARNING_RATE = 1e-3;
    /** Training budget in minutes. */
    public static final double MINUTES = 10;
    /** Alphabets of the background set kept out of training by the experiment (runs are built from them). */
    public static final List<String> HELD_OUT = List.of("Balinese", "Early_Aramaic", "Greek");
    /** Alphabet used for validation (17 characters: too few for 20-way runs anyway). */
    public static final List<String> VALIDATION = List.of("Tagalog");

    private OmniglotDefaults() {
    }

    /** How Omniglot files are turned into network input (training data and run images alike). */
    public static ImageOptions imageOptions() {
        return ImageOptions.square(INPUT_SIZE).inverted(true);
    }

    /** The network configuration. */
    public static KochConfig networkConfig(long seed) {
        return new KochConfig(INPUT_SIZE, 1, new int[] {32, 64, 64, 128}, new int[] {5, 3, 3, 2}, 64, false, seed);
    }

    /** A freshly initialised embedding network. */
    public static Sequential network(long seed) {
        return EmbeddingNets.koch(networkConfig(seed));
    }

    /** The twin network around {@link #network(long)}. */
    public static TwinNetwork twin(long seed) {
        return new TwinNetwork(network(seed), NORMALIZE);
    }

    /** Adam hyper-parameters. */
    public static Hyper optimizer() {
        return Hyper.adam().withLr(LEARNING_RATE);
    }

    /** The trainer configuration (10-minute budget; validation every 50 steps, 10-way). */
    public static TrainerConfig config() {
        return TrainerConfig.DEFAULT.withMiner("batch-all").withBatch(16, 4).withEpochs(10_000, 50)
                .withMaxMinutes(MINUTES).withValidation(10, 200, 10_000).withAugment(true)
                .withTriplet(TrainerConfig.DEFAULT.triplet().withMargin(0.2f)).withSeed(42L);
    }
}
