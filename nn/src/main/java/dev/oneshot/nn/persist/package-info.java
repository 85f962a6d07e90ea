/**
 * Saving and loading: model files and training checkpoints, both safetensors files.
 *
 * <ul>
 *   <li>{@link dev.oneshot.nn.persist.ModelFile}: a module's weights under PyTorch names plus
 *       {@code oneshot.architecture}, the text from which {@link dev.oneshot.nn.persist.Architecture}
 *       rebuilds the module, and the caller's provenance;</li>
 *   <li>{@link dev.oneshot.nn.persist.Checkpoint}: module, optimiser state, step/epoch and the
 *       random generator's state, so that training resumes bit-exactly;</li>
 *   <li>{@link dev.oneshot.nn.persist.Architecture}, {@link dev.oneshot.nn.persist.LayerSpec}: the
 *       architecture-string grammar, parser and the registry of module kinds.</li>
 * </ul>
 */
package dev.oneshot.nn.persist;
