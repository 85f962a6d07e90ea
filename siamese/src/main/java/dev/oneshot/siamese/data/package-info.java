/**
 * Data for Siamese training: one interface for labelled images and its sources, class-disjoint
 * splits, batch samplers and augmentation.
 *
 * <ul>
 *   <li>{@link dev.oneshot.siamese.data.LabeledImages}: size, {@code image(i)} / {@code gather(indices)}
 *       (a {@code [b, C, H, W]} tensor), labels, class names, metadata.</li>
 *   <li>Sources: {@link dev.oneshot.siamese.data.IdxImages} (IDX files, Fashion-MNIST),
 *       {@link dev.oneshot.siamese.data.ImageFolder} (one sub-folder per class, PNG/JPEG/PGM/PPM),
 *       {@link dev.oneshot.siamese.data.Omniglot} (from the zip or a folder, alphabet and drawer
 *       kept), {@link dev.oneshot.siamese.data.OrlFaces}. Each reads a zip or a folder through
 *       {@link dev.oneshot.siamese.data.FileTree} (the JDK's zip file system; errors name the zip and
 *       entry). Decoding and grey conversion: {@link dev.oneshot.siamese.data.GrayImages};
 *       resizing: {@link dev.oneshot.siamese.data.Resize}.</li>
 *   <li>{@link dev.oneshot.siamese.data.Splits}: train/val/test views with disjoint classes
 *       (or disjoint groups such as alphabets); {@link dev.oneshot.siamese.data.Subset} views.</li>
 *   <li>{@link dev.oneshot.siamese.data.PkBatchSampler} (P classes × K examples) and
 *       {@link dev.oneshot.siamese.data.PairSampler} (balanced same/different pairs) return
 *       indices; the trainer gathers the pixels.</li>
 *   <li>{@link dev.oneshot.siamese.data.AffineAugment}: Koch et al. 2015 affine distortions.</li>
 * </ul>
 */
package dev.oneshot.siamese.data;
