/**
 * Optimisers, with PyTorch's update rules: {@link dev.oneshot.nn.optim.Sgd} (momentum,
 * Nesterov, weight decay), {@link dev.oneshot.nn.optim.Adam}, {@link dev.oneshot.nn.optim.AdamW};
 * per-layer hyper-parameters through {@link dev.oneshot.nn.optim.ParamGroup}; defaults in
 * {@link dev.oneshot.nn.optim.Defaults}; {@link dev.oneshot.nn.optim.GradientClipping};
 * checkpointing through {@link dev.oneshot.nn.optim.OptimizerState}. Schedules live in
 * {@code dev.oneshot.nn.optim.schedule}.
 *
 * <pre>{@code
 * Sgd sgd = new Sgd(List.of(ParamGroup.of(conv1).lr(0.05).momentum(0.9), ParamGroup.of(rest)),
 *                   Hyper.sgd().withLr(0.01).withMomentum(0.5));
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     Schedules.applyLr(sgd, new ExponentialDecay(0.99), epoch);
 *     Schedules.rampMomentum(sgd, 0.5, 50, epoch);
 *     for (Batch b : batches) {
 *         sgd.zeroGrad();
 *         loss(b).backward();
 *         GradientClipping.clipByGlobalNorm(sgd.params().values(), 5.0);
 *         sgd.step();
 *     }
 * }
 * }</pre>
 */
package dev.oneshot.nn.optim;
