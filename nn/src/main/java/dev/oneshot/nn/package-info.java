/**
 * Networks built from modules, on top of core's tensors and autograd.
 *
 * <pre>{@code
 * SeededRandom rng = new SeededRandom(42);
 * Sequential net = new Sequential(
 *         new Conv2d(1, 32, 3, 1, 1, true, rng), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2, 2),
 *         new Flatten(), new Linear(32 * 14 * 14, 10, true, rng));
 * System.out.println(net);                        // a tree with parameter counts
 * Tensor loss = SoftmaxCrossEntropy.apply(net.forward(images), labels);
 * loss.backward();                                // every parameter's gradData() is filled
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.oneshot.nn.Module}: parameters, buffers, children by name; PyTorch-style
 *       names ({@code features.0.weight}), {@code stateDict}/{@code loadStateDict}, train/eval;</li>
 *   <li>{@link dev.oneshot.nn.Sequential}: children "0", "1", ... applied in order;</li>
 *   <li>{@code layers}: Linear, Conv2d, MaxPool2d, Flatten, ReLU, Sigmoid, Tanh, Dropout,
 *       BatchNorm1d/2d, L2Normalize — PyTorch's layouts and default initialisation;</li>
 *   <li>{@code init}: seeded initialisers (Kaiming, Xavier, normal, uniform, constant);</li>
 *   <li>{@code loss}: MseLoss and the fused SoftmaxCrossEntropy;</li>
 *   <li>{@code persist}: model files and checkpoints (safetensors, PyTorch names), rebuilt from
 *       an architecture string ({@link dev.oneshot.nn.Module#spec()}).</li>
 * </ul>
 */
package dev.oneshot.nn;
