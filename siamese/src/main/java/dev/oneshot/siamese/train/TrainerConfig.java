package dev.oneshot.siamese.train;

import dev.oneshot.siamese.data.AffineAugment;
import dev.oneshot.siamese.data.Augmentation;
import dev.oneshot.siamese.data.FaceAugment;
import dev.oneshot.siamese.loss.ContrastiveLoss;
import dev.oneshot.siamese.loss.Reduction;
import dev.oneshot.siamese.loss.TripletOptions;

/**
 * Everything a training run needs besides the network, the optimiser and the data.
 * Defaults live in {@link #DEFAULT} only; change a field with the {@code withX} methods.
 *
 * @param loss            the objective
 * @param miner           triplet miner name (see {@code Miners.byName}); ignored for pair losses
 * @param triplet         triplet loss options (margin α, distance, hard/soft, reduction)
 * @param contrastive     contrastive loss options (margin m, reduction)
 * @param classesPerBatch P of a P×K batch
 * @param perClass        K of a P×K batch
 * @param epochs          maximum number of epochs
 * @param stepsPerEpoch   batches per epoch; 0 = about one pass over the training examples
 * @param maxMinutes      wall-clock budget; training stops cleanly when it runs out (0 = none)
 * @param valWay          N of the validation episodes (N-way one-shot on held-out classes)
 * @param valEpisodes     validation episodes per epoch (0 = no validation)
 * @param patience        stop after this many epochs without a better validation accuracy
 * @param augment         the distortion applied to training batches ({@link AffineAugment} for characters,
 *                        {@link FaceAugment} for faces), or null for none
 * @param seed            every random choice of the run (batches, pairs, augmentation, miners)
 */
public record TrainerConfig(LossKind loss, String miner, TripletOptions triplet, ContrastiveLoss.Options contrastive,
                            int classesPerBatch, int perClass, int epochs, int stepsPerEpoch, double maxMinutes,
                            int valWay, int valEpisodes, int patience, Augmentation augment, long seed) {

    /** Batch-all mining on the default triplet options, P = 8 classes × K = 8 examples, 20 epochs. */
    public static final TrainerConfig DEFAULT = new TrainerConfig(LossKind.TRIPLET, "batch-all",
            TripletOptions.DEFAULT.withReduction(Reduction.MEAN_ACTIVE), ContrastiveLoss.Options.DEFAULT,
            8, 8, 20, 0, 0, 5, 100, 20, null, 42L);

    public TrainerConfig {
        if (loss == null || triplet == null || contrastive == null) {
            throw new IllegalArgumentException("TrainerConfig: loss, triplet and contrastive options are required");
        }
        if (classesPerBatch < 2 || perClass < 2) {
            throw new IllegalArgumentException("TrainerConfig: need P ≥ 2 classes and K ≥ 2 examples per batch, got P="
                    + classesPerBatch + " K=" + perClass);
        }
        if (epochs < 1 || stepsPerEpoch < 0 || maxMinutes < 0 || valEpisodes < 0 || patience < 1) {
            throw new IllegalArgumentException("TrainerConfig: need epochs ≥ 1, stepsPerEpoch ≥ 0, maxMinutes ≥ 0, "
                    + "valEpisodes ≥ 0, patience ≥ 1; got epochs=" + epochs + " stepsPerEpoch=" + stepsPerEpoch
                    + " maxMinutes=" + maxMinutes + " valEpisodes=" + valEpisodes + " patience=" + patience);
        }
        if (valEpisodes > 0 && valWay < 2) {
            throw new IllegalArgumentException("TrainerConfig: valWay must be ≥ 2, got " + valWay);
        }
    }

    public TrainerConfig withLoss(LossKind v) {
        return new TrainerConfig(v, miner, triplet, contrastive, classesPerBatch, perClass, epochs, stepsPerEpoch,
                maxMinutes, valWay, valEpisodes, patience, augment, seed);
    }

    public TrainerConfig withMiner(String v) {
        return new TrainerConfig(loss, v, triplet, contrastive, classesPerBatch, perClass, epochs, stepsPerEpoch,
                maxMinutes, valWay, valEpisodes, patience, augment, seed);
    }

    public TrainerConfig withTriplet(TripletOptions v) {
        return new TrainerConfig(loss, miner, v, contrastive, classesPerBatch, perClass, epochs, stepsPerEpoch,
                maxMinutes, valWay, valEpisodes, patience, augment, seed);
    }

    public TrainerConfig withContrastive(ContrastiveLoss.Options v) {
        return new TrainerConfig(loss, miner, triplet, v, classesPerBatch, perClass, epochs, stepsPerEpoch,
                maxMinutes, valWay, valEpisodes, patience, augment, seed);
    }

    public TrainerConfig withBatch(int p, int k) {
        return new TrainerConfig(loss, miner, triplet, contrastive, p, k, epochs, stepsPerEpoch,
                maxMinutes, valWay, valEpisodes, patience, augment, seed);
    }

    public TrainerConfig withEpochs(int newEpochs, int newStepsPerEpoch) {
        return new TrainerConfig(loss, miner, triplet, contrastive, classesPerBatch, perClass, newEpochs,
                newStepsPerEpoch, maxMinutes, valWay, valEpisodes, patience, augment, seed);
    }

    public TrainerConfig withMaxMinutes(double v) {
        return new TrainerConfig(loss, miner, triplet, contrastive, classesPerBatch, perClass, epochs, stepsPerEpoch,
                v, valWay, valEpisodes, patience, augment, seed);
    }

    public TrainerConfig withValidation(int way, int episodes, int newPatience) {
        return new TrainerConfig(loss, miner, triplet, contrastive, classesPerBatch, perClass, epochs, stepsPerEpoch,
                maxMinutes, way, episodes, newPatience, augment, seed);
    }

    /** Koch et al.'s affine augmentation ({@link AffineAugment.Config#KOCH}) on or off. */
    public TrainerConfig withAugment(boolean v) {
        return withAugmentation(v ? new AffineAugment(AffineAugment.Config.KOCH) : null);
    }

    /** Any augmentation, or null for none. */
    public TrainerConfig withAugmentation(Augmentation v) {
        return new TrainerConfig(loss, miner, triplet, contrastive, classesPerBatch, perClass, epochs, stepsPerEpoch,
                maxMinutes, valWay, valEpisodes, patience, v, seed);
    }

    public TrainerConfig withSeed(long v) {
        return new TrainerConfig(loss, miner, triplet, contrastive, classesPerBatch, perClass, epochs, stepsPerEpoch,
                maxMinutes, valWay, valEpisodes, patience, augment, v);
    }
}
