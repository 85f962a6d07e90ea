package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

/**
 * A random distortion of training batches: {@link AffineAugment} (Koch et al.'s affine
 * transforms, for characters) and {@link FaceAugment} (shift/rotation, brightness/contrast and
 * a mirror, for faces). Every draw comes from the given {@link SeededRandom}, in batch order,
 * so the same seed gives the same batches.
 */
public interface Augmentation {
    /** A new {@code [b, C, H, W]} tensor, each image distorted with its own draw (in batch order). */
    Tensor augment(Tensor batch, SeededRandom rng);
}
