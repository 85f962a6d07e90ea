/**
 * Triplet mining: choosing, inside one batch, the triplets (anchor A, positive P, negative N)
 * that the triplet loss L = max(d(A,P) − d(A,N) + α, 0) learns from. d is the squared Euclidean
 * distance between embeddings; the miners read it from the batch's [n×n] distance matrix and
 * return index arrays ({@link dev.oneshot.siamese.mining.Triplets}) for an indexed triplet loss.
 *
 * <p>Why: most random triplets are easy (loss 0) after a few steps, so a random batch teaches
 * almost nothing. The strategies, all behind {@link dev.oneshot.siamese.mining.TripletMiner}
 * and {@link dev.oneshot.siamese.mining.Miners#byName}:
 * <table>
 *   <caption>strategies</caption>
 *   <tr><th>name</th><th>triplets per batch</th><th>negative chosen</th></tr>
 *   <tr><td>random</td><td>one per anchor</td><td>uniform (rng)</td></tr>
 *   <tr><td>hard</td><td>one per ordered (a, p)</td><td>smallest d(A,N)</td></tr>
 *   <tr><td>semi-hard</td><td>one per (a, p) with a semi-hard negative (or a fallback)</td>
 *       <td>smallest d(A,N) with d(A,P) ≤ d(A,N) &lt; d(A,P) + α</td></tr>
 *   <tr><td>batch-hard</td><td>one per anchor, with its farthest positive</td><td>smallest d(A,N)</td></tr>
 *   <tr><td>batch-all</td><td>every (a, p, n) with loss &gt; 0</td><td>all active ones</td></tr>
 * </table>
 * Anchors without a positive or a negative in the batch are skipped. Ties are broken
 * deterministically: the lowest index wins; only {@code random} uses the rng.
 *
 * <p>Watching training: {@link dev.oneshot.siamese.mining.TripletStats} counts the batch's
 * hard / semi-hard / easy triplets ({@link dev.oneshot.siamese.mining.TripletKind}) and mean
 * distances; {@link dev.oneshot.siamese.mining.CollapseDetector} turns a run of such numbers into
 * warnings with remedies.
 *
 * <pre>{@code
 * TripletMiner miner = Miners.byName("semi-hard");
 * Tensor e = net.forward(batch.images());                       // [n, d]
 * Tensor dist;
 * try (Grad.Scope off = Grad.off()) { dist = e.pairwiseSquaredDistance(e); }
 * Triplets t = miner.mine(dist, batch.labels(), margin, rng);
 * TripletStats stats = TripletStats.compute(dist, batch.labels(), margin, e);
 * Tensor loss = tripletLoss(e, t.anchors(), t.positives(), t.negatives(), margin);
 * detector.observe(Step.of(loss.item(), margin, stats)).forEach(w -> log.warn(w.message()));
 * }</pre>
 */
package dev.oneshot.siamese.mining;
