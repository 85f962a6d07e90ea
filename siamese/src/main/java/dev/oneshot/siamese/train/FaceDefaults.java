package dev.oneshot.siamese.train;

import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.optim.Hyper;
import dev.oneshot.nn.optim.schedule.CosineAnnealing;
import dev.oneshot.nn.optim.schedule.LearningRateSchedule;
import dev.oneshot.siamese.data.FaceAugment;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.data.Resize;
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
 *   <li>input: {@link #imageOptions()} — 28×23 (H×W, 4×4 block averages of ORL's 112×92: the
 *       aspect ratio is kept);</li>
 *   <li>network: {@link #networkConfig(long)} — {@link #BLOCKS} Conv-4 blocks of {@link #CHANNELS}
 *       channels (3×2 after three poolings) to a {@link #EMBEDDING_DIM}-d embedding, L2-normalised;</li>
 *   <li>training: {@link #config()} — triplet loss with {@link #MINER} mining, margin
 *       {@link #MARGIN}, P×K = {@link #P}×{@link #K}, {@link FaceAugment.Config#FACES}
 *       augmentation, Adam at {@link #LEARNING_RATE} annealed by a cosine ({@link #schedule(int)});</li>
 *   <li>embedding: {@link #MIRROR_AVERAGE} — in eval mode a photo and its mirror image are
 *       embedded together (twice the inference cost); stored in the model file, so the CLI's
 *       enroll, identify, calibrate and eval do the same.</li>
 * </ul>
 *
 * <p>Measured (seed 42, 400 steps on all of people 1–30, about 70 s on 2 cores; checked by
 * {@code OrlFacesTest}): on people 31–40, 10-way one-shot accuracy 0.904 beside raw pixels 0.838
 * on the same 300 episodes; with 5 of them enrolled from one photo and 5 strangers (200 draws),
 * DIR 0.629 at FAR 1 % and 0.861 at FAR 10 % (raw pixels 0.601 and 0.693); seed 7 gives 0.908,
 * 0.608 and 0.817 (these with the scalar kernels; with the Vector API kernels, as {@code ./oneshot}
 * runs, 0.884, 0.566 and 0.733 — float sums in another order make another run). At a constant 6e-3 the same training reaches only 0.844: the cosine is what
 * makes the higher rate pay; mirror averaging adds 0.5–3 points. At FAR 1 % the learned distance
 * is only level with raw pixels.
 * Batch-hard mining collapsed the embedding on these small batches; longer training at a
 * constant rate overfits the 30 identities; per-image standardisation (zero mean, unit variance)
 * loses 8 points — in ORL a person's photos share their session's lighting.
 */
public final class FaceDefaults {
    /** Input height: ORL's 112 / 4 (exact 4×4 block averages). */
    public static final int HEIGHT = OrlFaces.NATIVE_HEIGHT / 4;
    /** Input width: ORL's 92 / 4 — the aspect ratio of the photos is kept. */
    public static final int WIDTH = OrlFaces.NATIVE_WIDTH / 4;
    /** Conv-4 blocks (conv, BN, ReLU, 2×2 max-pool): 28×23 → 3×2. */
    public static final int BLOCKS = 3;
    /** Conv-4 channels per block. */
    public static final int CHANNELS = 32;
    /** Embedding dimension. */
    public static final int EMBEDDING_DIM = 64;
    /** Embeddings on the unit sphere. */
    public static final boolean NORMALIZE = true;
    /** Eval-mode embeddings average the photo and its mirror image ({@link TwinNetwork#mirrorAverages}). */
    public static final boolean MIRROR_AVERAGE = true;
    /** Adam's peak learning rate, annealed by {@link #schedule(int)}. */
    public static final double LEARNING_RATE = 6e-3;
    /** The learning rate at the end of the cosine, as a fraction of {@link #LEARNING_RATE}. */
    public static final double FINAL_LR_FRACTION = 0.01;
    /** Steps per epoch when training for a fixed number of steps: the schedule's granularity. */
    public static final int STEPS_PER_EPOCH = 10;
    /** Triplet miner. */
    public static final String MINER = "batch-all";
    /** Triplet margin α (squared L2 between unit vectors: distances are in [0, 4]). */
    public static final float MARGIN = 0.2f;
    /** People per batch. */
    public static final int P = 15;
    /** Photos per person per batch. */
    public static final int K = 4;

    private FaceDefaults() {
    }

    /** How face photos are turned into network input: {@link #HEIGHT}×{@link #WIDTH}, area averaging. */
    public static ImageOptions imageOptions() {
        return new ImageOptions(HEIGHT, WIDTH, Resize.Method.AREA, false);
    }

    /** The network configuration at {@link #HEIGHT}×{@link #WIDTH}. */
    public static Conv4Config networkConfig(long seed) {
        return networkConfig(HEIGHT, WIDTH, seed);
    }

    /** The network configuration at another input size (at least 8×8: three 2×2 poolings). */
    public static Conv4Config networkConfig(int height, int width, long seed) {
        return new Conv4Config(height, width, 1, CHANNELS, BLOCKS, EMBEDDING_DIM, seed);
    }

    /** A freshly initialised embedding network. */
    public static Sequential network(long seed) {
        return EmbeddingNets.conv4(networkConfig(seed));
    }

    /** The twin network around {@link #network(long)}. */
    public static TwinNetwork twin(long seed) {
        return new TwinNetwork(network(seed), NORMALIZE, MIRROR_AVERAGE);
    }

    /**
     * Half a cosine from {@link #LEARNING_RATE} down to {@link #FINAL_LR_FRACTION} of it over
     * {@code epochs} (applied per epoch): the last steps take small ones, instead of the noisy
     * final weights of a constant rate.
     */
    public static LearningRateSchedule schedule(int epochs) {
        return new CosineAnnealing(epochs, LEARNING_RATE * FINAL_LR_FRACTION);
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
