/**
 * The demo's report: a tiny Java2D plotting helper ({@link dev.oneshot.app.report.Plot}),
 * a 2-D PCA by power iteration ({@link dev.oneshot.app.report.Pca}), the training telemetry
 * recorder ({@link dev.oneshot.app.report.TrainingLog}), the demo's PNG plots
 * ({@link dev.oneshot.app.report.DemoPlots}, {@link dev.oneshot.app.report.NeighbourStrips})
 * and the HTML page that shows them ({@link dev.oneshot.app.report.ReportHtml}). No chart library.
 */
package dev.oneshot.app.report;
