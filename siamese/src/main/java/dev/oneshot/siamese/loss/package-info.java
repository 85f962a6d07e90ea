/**
 * Siamese losses, each a fused op with its backward derived by hand in its javadoc.
 *
 * <ul>
 *   <li>{@link dev.oneshot.siamese.loss.TripletLoss}: max(d(A,P) − d(A,N) + α, 0) or its
 *       softplus form, on row tensors A, P, N or on index arrays into one embedding matrix
 *       (mined triplets); options in {@link dev.oneshot.siamese.loss.TripletOptions}, which
 *       also holds the defaults. The result reports which triplets are active.</li>
 *   <li>{@link dev.oneshot.siamese.loss.ContrastiveLoss}: y·d² + (1 − y)·max(μ − d, 0)², with
 *       y = 1 for a same-identity pair.</li>
 *   <li>{@link dev.oneshot.siamese.loss.BinaryVerificationHead} (Koch et al. 2015): a Linear
 *       on |e1 − e2| giving one logit per pair, trained with the stable
 *       {@link dev.oneshot.siamese.loss.BinaryCrossEntropyWithLogits}.</li>
 * </ul>
 *
 * Every loss is gradient-checked over the full Jacobian and compared, in value and gradient,
 * with the same formula composed from core's primitive ops (autograd's own derivation).
 */
package dev.oneshot.siamese.loss;
