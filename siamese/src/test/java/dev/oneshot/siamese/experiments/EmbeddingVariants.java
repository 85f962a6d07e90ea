package dev.oneshot.siamese.experiments;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.core.autograd.Grad;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.siamese.data.AffineAugment;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.model.SiameseModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Test-time variants of a trained model's embedding, for experiments: the plain embedding,
 * unit-normalised, centred on the training images' mean then unit-normalised, the features
 * before the last layer, the mean over one-pixel shifts (as it is, unit-normalised, or centred
 * and unit-normalised), and sums over warped views (grids of shifts, turns by ±5°, zooms by ±8 %,
 * and their combinations). Each is a feature function over
 * a set of images, so an evaluation (Omniglot runs, episodes, pair AUC) scores them side by side.
 */
final class EmbeddingVariants {
    private EmbeddingVariants() {
    }

    /** The variants by name, their training means computed on {@code train}. */
    static Map<String, Function<LabeledImages, Embedder.Features>> of(SiameseModel model, LabeledImages train) {
        Module net = model.embeddingNet();
        Module penultimate = prefix(net);
        Function<LabeledImages, Embedder.Features> plain = d -> features(net, d, 0, 0);
        Function<LabeledImages, Embedder.Features> before = d -> features(penultimate, d, 0, 0);
        Function<LabeledImages, Embedder.Features> shifts = d -> shiftMean(net, d);
        float[] mu = mean(plain.apply(train));
        float[] muUnit = mean(centredUnit(plain.apply(train), null));
        float[] muBefore = mean(before.apply(train));
        float[] muShifts = mean(shifts.apply(train));
        Map<String, Function<LabeledImages, Embedder.Features>> v = new LinkedHashMap<>();
        v.put("plain", plain);
        v.put("unit", d -> centredUnit(plain.apply(d), null));
        v.put("centred-unit", d -> centredUnit(plain.apply(d), mu));
        v.put("unit-centred-unit", d -> centredUnit(centredUnit(plain.apply(d), null), muUnit));
        v.put("before-last", before);
        v.put("before-last-centred-unit", d -> centredUnit(before.apply(d), muBefore));
        v.put("shift-mean-centred-unit", d -> centredUnit(shifts.apply(d), muShifts));
        v.put("shift-mean", shifts);
        v.put("shift-mean-unit", d -> centredUnit(shifts.apply(d), null));
        v.put("shift-3x3-mean", d -> shiftMean(net, d, GRID_3X3));
        v.put("shift-2px-mean", d -> shiftMean(net, d, CROSS_2PX));
        v.put("shift-5x5-mean", d -> viewSum(net, d, grid(2, 0)));
        v.put("turn5-mean", d -> viewSum(net, d, java.util.List.of(AffineAugment.Params.IDENTITY, turn(5), turn(-5))));
        v.put("affine4-mean", d -> viewSum(net, d, java.util.List.of(AffineAugment.Params.IDENTITY, turn(5), turn(-5),
                zoom(1.08), zoom(0.92))));
        v.put("shift-3x3+affine4-mean", d -> {
            java.util.List<AffineAugment.Params> views = new java.util.ArrayList<>(grid(1, 0));
            views.addAll(java.util.List.of(turn(5), turn(-5), zoom(1.08), zoom(0.92)));
            return viewSum(net, d, views);
        });
        v.put("shift-3x3-x-turn5-mean", d -> {
            java.util.List<AffineAugment.Params> views = new java.util.ArrayList<>(grid(1, 0));
            views.addAll(grid(1, 5));
            views.addAll(grid(1, -5));
            return viewSum(net, d, views);
        });
        return v;
    }

    private static Module prefix(Module net) {
        Sequential seq = (Sequential) net;
        Sequential p = new Sequential();
        for (int i = 0; i < seq.size() - 1; i++) {
            p.add(seq.get(i));
        }
        return p;
    }

    static Embedder.Features features(Module net, LabeledImages d, int dx, int dy) {
        int[] s = d.imageShape();
        return features(net, d, (img, x, at) -> shift(img, x, at, s[1], s[2], dx, dy));
    }

    /** Writes an image's view into {@code x} from {@code at}. */
    interface View {
        void write(float[] img, float[] x, int at);
    }

    /** f of every image's view, in batches of {@link Embedder#BATCH}, in eval mode without gradients. */
    static Embedder.Features features(Module net, LabeledImages d, View view) {
        boolean was = net.isTraining();
        net.eval();
        try (Grad.Scope off = Grad.off()) {
            int[] s = d.imageShape();
            int n = d.imageSize();
            float[] out = null;
            int dim = 0;
            for (int start = 0; start < d.size(); start += Embedder.BATCH) {
                int end = Math.min(d.size(), start + Embedder.BATCH);
                float[] x = new float[(end - start) * n];
                float[] img = new float[n];
                for (int i = start; i < end; i++) {
                    d.copyImage(i, img, 0);
                    view.write(img, x, (i - start) * n);
                }
                Tensor e = net.forward(Tensor.wrap(x, end - start, s[0], s[1], s[2]));
                e = e.reshape(e.size(0), -1);
                if (out == null) {
                    dim = e.size(1);
                    out = new float[d.size() * dim];
                }
                System.arraycopy(e.data(), 0, out, start * dim, e.numel());
            }
            return new Embedder.Features(out, d.size(), dim);
        } finally {
            if (was) {
                net.train();
            }
        }
    }

    private static void shift(float[] img, float[] out, int at, int h, int w, int dx, int dy) {
        for (int y = 0; y < h; y++) {
            int sy = y - dy;
            for (int x = 0; x < w; x++) {
                int sx = x - dx;
                out[at + y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? img[sy * w + sx] : 0f;
            }
        }
    }

    /** The image and its eight one-pixel moves (diagonals included). */
    static final int[][] GRID_3X3 = {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
    /** The image and its moves by one and two pixels along the axes. */
    static final int[][] CROSS_2PX = {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}, {2, 0}, {-2, 0}, {0, 2}, {0, -2}};

    private static Embedder.Features shiftMean(Module net, LabeledImages d) {
        return shiftMean(net, d, new int[][] {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}});
    }

    private static Embedder.Features shiftMean(Module net, LabeledImages d, int[][] moves) {
        java.util.List<Embedder.Features> views = new java.util.ArrayList<>();
        for (int[] m : moves) {
            views.add(features(net, d, m[0], m[1]));
        }
        return sum(views);
    }

    /** Row by row, the sum of the features of several views. */
    private static Embedder.Features sum(java.util.List<Embedder.Features> views) {
        Embedder.Features first = views.get(0);
        float[] total = first.values().clone();
        for (Embedder.Features f : views.subList(1, views.size())) {
            for (int i = 0; i < total.length; i++) {
                total[i] += f.values()[i];
            }
        }
        return new Embedder.Features(total, first.rows(), first.dim());
    }

    /** The (2r+1)² integer moves within r pixels, each with the image turned by {@code deg} degrees. */
    static java.util.List<AffineAugment.Params> grid(int r, double deg) {
        java.util.List<AffineAugment.Params> views = new java.util.ArrayList<>();
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                views.add(new AffineAugment.Params(deg, 0, 0, 1, 1, dx, dy));
            }
        }
        return views;
    }

    static AffineAugment.Params turn(double deg) {
        return new AffineAugment.Params(deg, 0, 0, 1, 1, 0, 0);
    }

    static AffineAugment.Params zoom(double s) {
        return new AffineAugment.Params(0, 0, 0, s, s, 0, 0);
    }

    /** The sum of f over the images warped by each view (bilinear, zeros outside). */
    static Embedder.Features viewSum(Module net, LabeledImages d, java.util.List<AffineAugment.Params> views) {
        int[] s = d.imageShape();
        java.util.List<Embedder.Features> parts = new java.util.ArrayList<>();
        for (AffineAugment.Params view : views) {
            parts.add(features(net, d, (img, x, at) -> System.arraycopy(
                    AffineAugment.apply(img, s[0], s[1], s[2], view, 0f), 0, x, at, img.length)));
        }
        return sum(parts);
    }

    static float[] mean(Embedder.Features f) {
        float[] mu = new float[f.dim()];
        double[] acc = new double[f.dim()];
        for (int i = 0; i < f.rows(); i++) {
            for (int t = 0; t < f.dim(); t++) {
                acc[t] += f.values()[i * f.dim() + t];
            }
        }
        for (int t = 0; t < f.dim(); t++) {
            mu[t] = (float) (acc[t] / Math.max(1, f.rows()));
        }
        return mu;
    }

    /** (row − μ) / ‖row − μ‖ per row; μ null means no centring. */
    static Embedder.Features centredUnit(Embedder.Features f, float[] mu) {
        float[] v = f.values().clone();
        int dim = f.dim();
        for (int i = 0; i < f.rows(); i++) {
            double ss = 0;
            for (int t = 0; t < dim; t++) {
                if (mu != null) {
                    v[i * dim + t] -= mu[t];
                }
                ss += (double) v[i * dim + t] * v[i * dim + t];
            }
            float inv = (float) (1 / Math.sqrt(ss + 1e-24));
            for (int t = 0; t < dim; t++) {
                v[i * dim + t] *= inv;
            }
        }
        return new Embedder.Features(v, f.rows(), dim);
    }

    /** Rows side by side: member features concatenated (an ensemble's embedding; ‖a − b‖² is the sum of the members'). */
    static Embedder.Features concat(java.util.List<Embedder.Features> parts) {
        int rows = parts.get(0).rows();
        int dim = parts.stream().mapToInt(Embedder.Features::dim).sum();
        float[] v = new float[rows * dim];
        int at = 0;
        for (Embedder.Features f : parts) {
            if (f.rows() != rows) {
                throw new IllegalArgumentException("concat: " + f.rows() + " rows, expected " + rows);
            }
            for (int i = 0; i < rows; i++) {
                System.arraycopy(f.values(), i * f.dim(), v, i * dim + at, f.dim());
            }
            at += f.dim();
        }
        return new Embedder.Features(v, rows, dim);
    }
}
