package dev.oneshot.siamese.train;

import dev.oneshot.siamese.data.Augmentation;
import dev.oneshot.siamese.data.InMemoryImages;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.loss.ContrastiveLoss;
import dev.oneshot.siamese.nets.NetworkSpec;
import dev.oneshot.siamese.recipe.Objective;
import dev.oneshot.siamese.recipe.OptimizerSpec;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.recipe.Schedule;
import dev.oneshot.siamese.recipe.Validation;

/** Small seeded runs for the trainer tests: 12 synthetic 8×8 classes, 8 train and 4 validate. */
final class TinyRuns {
    static final InMemoryImages DATA = Synthetic.classes(12, 10, 0.25f, 11L);
    static final LabeledImages TRAIN = Subset.ofClasses(DATA, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    static final LabeledImages VAL = Subset.ofClasses(DATA, new int[] {8, 9, 10, 11});

    private TinyRuns() {
    }

    /**
     * A small CNN on 8×8 (conv 4, conv 8, hidden 16, d = 8), batch-all triplets on unit
     * embeddings, P×K = 4×4, Adam 3e-3 at a constant rate, 30 steps, 4-way validation (20
     * episodes) every 10 steps with patience 5.
     */
    static Recipe recipe() {
        return new Recipe("tiny", "trainer tests", new NetworkSpec.SmallCnn(4, 8, 16, 8), InputSpec.square(8), true,
                Augmentation.NONE, Recipes.generic().objective(), 4, 4, OptimizerSpec.adam(3e-3),
                new Schedule.Constant(), 30, new Validation(0.2, 4, 20, 10, 5));
    }

    /** The same with the contrastive loss (unnormalised embeddings). */
    static Recipe contrastive() {
        return recipe().withObjective(new Objective.Contrastive(ContrastiveLoss.Options.DEFAULT)).withNormalize(false);
    }

    /** The same with the normalised softmax over the 8 training classes, scale 8. */
    static Recipe normalizedSoftmax() {
        return recipe().withObjective(new Objective.NormalizedSoftmax(8));
    }

    /** The normalised softmax (scale 8) on batches blended by mixup, α = 1. */
    static Recipe mixup() {
        return recipe().withObjective(new Objective.NormalizedSoftmax(8, 0, 1));
    }

    /** The same with batch-all triplets plus the normalised softmax (scale 8, weight 0.5). */
    static Recipe joint() {
        return recipe().withObjective(new Objective.Joint((Objective.Triplet) Recipes.generic().objective(),
                new Objective.NormalizedSoftmax(8), 0.5f));
    }

    /** The same with the prototypical loss of one-shot episodes in each batch (unnormalised embeddings). */
    static Recipe prototypical() {
        return recipe().withObjective(new Objective.Prototypical(1)).withNormalize(false);
    }

    /** The same with Koch's binary head (unnormalised embeddings). */
    static Recipe binary() {
        return recipe().withObjective(new Objective.Binary());
    }
}
