/**
 * The demo's report: a tiny Java2D plotting helper ({@link dev.oneshot.siamese.report.Plot}),
 * a 2-D PCA by power iteration ({@link dev.oneshot.siamese.report.Pca}), the training telemetry
 * recorder ({@link dev.oneshot.siamese.report.TrainingLog}), the demo's PNG plots
 * ({@link dev.oneshot.siamese.report.DemoPlots}, {@link dev.oneshot.siamese.report.NeighbourStrips})
 * and the HTML page that shows them ({@link dev.oneshot.siamese.report.ReportHtml}). No chart library.
 */
package dev.oneshot.siamese.report;
