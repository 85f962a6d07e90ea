package dev.oneshot.siamese.train;

import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.siamese.data.FaceAugment;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.OrlFaces;
import dev.oneshot.siamese.nets.Conv4Config;
import dev.oneshot.siamese.nets.EmbeddingNets;
import dev.oneshot.siamese.twin.TwinNetwork;

/**
 * The configuration chosen for one-shot face recognition on small grey photos (measured on
 * ORL, people 1–30 for training and 31–40 never seen; see {@code OrlFacesExperiment} in the
 * siamese tests for the runs behind each choice): what {@code oneshot train --data orl:...}
 * uses.
 *
 * <ul>
 *   <li>input: {@link #imageOptions()} — 56×46 (H×W, 2×2 block averages of ORL's 112×92: the
 *       aspect ratio is kept);</li>
 *   <li>network: {@link #networkConfig(long)} — Conv-4 with {@link #CHANNELS} channels
 *       (3×2 after four poolings) to a {@link #EMBEDDING_DIM}-d embedding, L2-normalised;</li>
 *   <li>training: {@link #config()} — triplet loss with {@link #MINER} mining, margin
 *       {@link #MARGIN}, P×K = {@link #P}×{@link #K}, {@link FaceAugment.Config#FACES}
 *       augmentation, Adam at {@link #LEARNING_RATE}.</li>
 * </ul>
 */
public final class FaceDefaults {
    /** Conv-4 channels per block. */
    public static final int CHANNELS = 32;
    /** Embedding dimension. */
    public static final int EMBEDDING_DIM = 64;
    /** Embeddings on the unit sphere. */
    public static final boolean NORMALIZE = true;
    /** Adam learning rate. */
    public static final double LEARNING_RATE = 1e-3;
    /** Triplet miner. */
    public static final String MINER = "batch-hard";
    /** Triplet margin α (squared L2 between unit vectors: distances are in [0, 4]). */
    public static final float MARGIN = 0.2f;
    /** People per batch. */
    public static final int P = 8;
    /** Photos per person per batch. */
    public static final int K = 4;

    private FaceDefaults() {
    }

    /** How face photos are turned into network input. */
    public static ImageOptions imageOptions() {
        return OrlFaces.imageOptions();
    }

    /** The network configuration at 56×46. */
    public static Conv4Config networkConfig(long seed) {
        return networkConfig(OrlFaces.HEIGHT, OrlFaces.WIDTH, seed);
    }

    /** The network configuration at another input size (at least 16×16: four 2×2 poolings). */
    public static Conv4Config networkConfig(int height, int width, long seed) {
        return new Conv4Config(height, width, 1, CHANNELS, 4, EMBEDDING_DIM, seed);
    }

    /** A freshly initialised embedding network. */
    public static Sequential network(long seed) {
        return EmbeddingNets.conv4(networkConfig(seed));
    }

    /** The twin network around {@link #network(long)}. */
    public static TwinNetwork twin(long seed) {
        return new TwinNetwork(network(seed), NORMALIZE);
    }

    /** Adam hyper-parameters. */
    public static Hyper optimizer() {
        return Hyper.adam().withLr(LEARNING_RATE);
    }

    /** The trainer configuration: the miner, margin, batch and augmentation above, seed 42. */
    public static TrainerConfig config() {
        return TrainerConfig.DEFAULT.withMiner(MINER).withBatch(P, K)
                .withTriplet(TrainerConfig.DEFAULT.triplet().withMargin(MARGIN))
                .withAugmentation(new FaceAugment(FaceAugment.Config.FACES)).withSeed(42L);
    }
}
