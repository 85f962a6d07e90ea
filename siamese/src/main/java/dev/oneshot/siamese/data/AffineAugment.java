package dev.oneshot.siamese.data;

import dev.oneshot.core.kernels.ParallelFor;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

/**
 * Random affine distortions as in Koch, Zemel and Salakhutdinov, "Siamese Neural Networks for
 * One-shot Image Recognition" (ICML deep learning workshop 2015): T = f(x; θ, ρx, ρy, sx, sy,
 * tx, ty) with θ ∈ [−10°, 10°], ρ ∈ [−0.3, 0.3], s ∈ [0.8, 1.2], t ∈ [−2, 2] pixels, each of
 * the seven components drawn uniformly and kept with probability 0.5 (else it is the identity
 * value: 0, or 1 for scales).
 *
 * <p>Geometry, x to the right and y down, about the image centre c = ((W−1)/2, (H−1)/2):
 * <pre>  p' = A (p − c) + c + t,   A = R(θ) · [[1, ρx], [ρy, 1]] · diag(sx, sy),
 *   R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]]   (clockwise on screen for θ &gt; 0)</pre>
 * Each output pixel p' is sampled at p = A⁻¹(p' − c − t) + c by bilinear interpolation; the
 * neighbours that fall outside the image read the background {@code fill} (0 for light-on-dark
 * images such as inverted Omniglot). Parameters equal to the identity return an exact copy,
 * and an integer translation moves pixels exactly.
 *
 * <p>A pen of another width ({@link Config#maxThickening} &gt; 0; a draw of its own, with the same
 * probability): after the warp, with ink bright on a dark fill,
 * <pre>  v'(p) = max(v(p), α · max over the 3 × 3 neighbours q of p of v(q)),   α ~ U(0, maxThickening)</pre>
 * (for a light fill, the same on 1 − v): α = 1 widens every stroke by one pixel on each side,
 * smaller α by a fainter rim. Recipes without it draw nothing more, so they train the same bits.
 *
 * <p>Elastic distortion ({@link Config#elasticAlpha} &gt; 0; Simard, Steinkraus and Platt, "Best
 * practices for convolutional neural networks applied to visual document analysis", ICDAR 2003):
 * with the augmentation's probability, every pixel is displaced by a smooth random field
 * <pre>  Δ(p) = α · (G_σ ∗ u)(p),   u_x, u_y ~ U(−1, 1) independently per pixel (0 outside),</pre>
 * G_σ the normalised Gaussian of standard deviation σ pixels. The displacement is composed with
 * the affine map before the one bilinear sample: p = A⁻¹(p' + Δ(p') − c − t) + c. Where the affine
 * transform bends a whole character, the field bends its strokes one by one, as two hands differ.
 */
public final class AffineAugment implements Augmentation {
    /** One draw of the transform. Angles in degrees, translations in pixels. */
    public record Params(double rotationDeg, double shearX, double shearY, double scaleX, double scaleY,
                         double tx, double ty) {
        /** The identity transform. */
        public static final Params IDENTITY = new Params(0, 0, 0, 1, 1, 0, 0);

        /** A pure translation by ({@code tx}, {@code ty}) pixels (x right, y down). */
        public static Params translation(double tx, double ty) {
            return new Params(0, 0, 0, 1, 1, tx, ty);
        }

        public boolean isIdentity() {
            return equals(IDENTITY);
        }
    }

    /**
     * Ranges and the per-component probability; {@link #KOCH} holds the paper's values.
     * {@code maxThickening} in [0, 1] (0: off) widens the strokes, see the class comment.
     */
    public record Config(double maxRotationDeg, double maxShear, double minScale, double maxScale,
                         double maxTranslation, double probability, float fill, double maxThickening,
                         double elasticAlpha, double elasticSigma) {
        /** Koch et al. 2015: ±10°, ±0.3, 0.8–1.2, ±2 px, probability 0.5; background 0. */
        public static final Config KOCH = new Config(10, 0.3, 0.8, 1.2, 2, 0.5, 0f);

        public Config {
            if (!(maxThickening >= 0 && maxThickening <= 1)) {
                throw new IllegalArgumentException("AffineAugment.Config: maxThickening must be in [0, 1], got "
                        + maxThickening);
            }
            if (!(elasticAlpha >= 0 && elasticAlpha <= 1000)) {
                throw new IllegalArgumentException("AffineAugment.Config: elasticAlpha must be in [0, 1000], got "
                        + elasticAlpha);
            }
            if (elasticAlpha > 0 && !(elasticSigma >= 0.5 && elasticSigma <= 100)) {
                throw new IllegalArgumentException("AffineAugment.Config: elasticSigma must be in [0.5, 100] pixels"
                        + " when elasticAlpha > 0, got " + elasticSigma);
            }
        }

        /** Without elastic distortion. */
        public Config(double maxRotationDeg, double maxShear, double minScale, double maxScale, double maxTranslation,
                      double probability, float fill, double maxThickening) {
            this(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, probability, fill, maxThickening, 0, 0);
        }

        /** Without thickening or elastic distortion. */
        public Config(double maxRotationDeg, double maxShear, double minScale, double maxScale, double maxTranslation,
                      double probability, float fill) {
            this(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, probability, fill, 0);
        }

        /** The same ranges with another probability (0 turns the augmentation off). */
        public Config withProbability(double p) {
            return new Config(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, p, fill, maxThickening,
                    elasticAlpha, elasticSigma);
        }

        /** The same ranges with another background value (1 for dark-on-light images). */
        public Config withFill(float f) {
            return new Config(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, probability, f,
                    maxThickening, elasticAlpha, elasticSigma);
        }

        /** The same ranges with strokes widened by up to {@code t} (see the class comment). */
        public Config withThickening(double t) {
            return new Config(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, probability, fill, t,
                    elasticAlpha, elasticSigma);
        }

        /** The same ranges with an elastic field of strength {@code alpha} and smoothness {@code sigma} pixels. */
        public Config withElastic(double alpha, double sigma) {
            return new Config(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, probability, fill,
                    maxThickening, alpha, sigma);
        }
    }

    private final Config config;

    public AffineAugment(Config config) {
        this.config = config;
    }

    /** The ranges it draws from. */
    public Config config() {
        return config;
    }

    /** Draws parameters: each component independently with probability {@code config.probability()}. */
    public Params sample(SeededRandom rng) {
        Config c = config;
        double rot = pick(rng, -c.maxRotationDeg(), c.maxRotationDeg(), 0);
        double shx = pick(rng, -c.maxShear(), c.maxShear(), 0);
        double shy = pick(rng, -c.maxShear(), c.maxShear(), 0);
        double sx = pick(rng, c.minScale(), c.maxScale(), 1);
        double sy = pick(rng, c.minScale(), c.maxScale(), 1);
        double tx = pick(rng, -c.maxTranslation(), c.maxTranslation(), 0);
        double ty = pick(rng, -c.maxTranslation(), c.maxTranslation(), 0);
        return new Params(rot, shx, shy, sx, sy, tx, ty);
    }

    private double pick(SeededRandom rng, double lo, double hi, double identity) {
        boolean on = rng.nextDouble() < config.probability();
        double v = lo + (hi - lo) * rng.nextDouble(); // drawn either way: the stream stays aligned
        return on ? v : identity;
    }

    /** A randomly distorted copy of one {@code C×H×W} image. */
    public float[] augment(float[] image, int c, int h, int w, SeededRandom rng) {
        return render(image, c, h, w, draw(h, w, rng));
    }

    /**
     * Everything one image's distortion draws: the affine parameters, the elastic field's
     * uniform draws when the image takes the field (else null), the pen's strength (0: none).
     */
    private record Draw(Params params, float[][] field, double thickening) {
    }

    /** One image's draws, in the order they have always been drawn (so a seed gives the images of before). */
    private Draw draw(int h, int w, SeededRandom rng) {
        Params params = sample(rng);
        float[][] field = null;
        if (config.elasticAlpha() > 0) {
            boolean on = rng.nextDouble() < config.probability();
            float[][] u = uniformField(h, w, rng); // drawn either way: the stream stays aligned
            field = on ? u : null;
        }
        double thickening = config.maxThickening() > 0 ? pick(rng, 0, config.maxThickening(), 0) : 0;
        return new Draw(params, field, thickening);
    }

    /** The distorted copy that {@code d} describes: the field blurred (where taken), one warp, the pen. */
    private float[] render(float[] image, int c, int h, int w, Draw d) {
        float[] out;
        if (d.field() != null) {
            blur(d.field()[0], h, w, config.elasticAlpha(), config.elasticSigma());
            blur(d.field()[1], h, w, config.elasticAlpha(), config.elasticSigma());
            out = apply(image, c, h, w, d.params(), config.fill(), d.field()[0], d.field()[1]);
        } else {
            out = apply(image, c, h, w, d.params(), config.fill());
        }
        if (d.thickening() > 0) {
            out = thicken(out, c, h, w, (float) d.thickening(), config.fill() > 0.5f);
        }
        return out;
    }

    /**
     * v' = max(v, α · max over the 3 × 3 neighbourhood) on every channel (on 1 − v when
     * {@code darkInk}): the strokes widened by a rim of strength α.
     */
    public static float[] thicken(float[] image, int c, int h, int w, float alpha, boolean darkInk) {
        float[] out = new float[image.length];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float m = 0;
                    for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
                        for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
                            float v = image[base + yy * w + xx];
                            m = Math.max(m, darkInk ? 1f - v : v);
                        }
                    }
                    float v = image[base + y * w + x];
                    float ink = Math.max(darkInk ? 1f - v : v, alpha * m);
                    out[base + y * w + x] = darkInk ? 1f - ink : ink;
                }
            }
        }
        return out;
    }

    /**
     * A new {@code [b, C, H, W]} tensor, each image distorted with its own draw: all draws first,
     * in batch order, then the images warped on the kernels' threads ({@link ParallelFor}) — the
     * images {@link #augment(float[], int, int, int, SeededRandom)} gives one by one, for any
     * thread count.
     */
    @Override
    public Tensor augment(Tensor batch, SeededRandom rng) {
        int[] s = batch.shape();
        int n = s[1] * s[2] * s[3];
        float[] in = batch.data();
        float[] out = new float[in.length];
        Draw[] draws = new Draw[s[0]];
        for (int b = 0; b < s[0]; b++) {
            draws[b] = draw(s[2], s[3], rng);
        }
        ParallelFor.range(s[0], b -> System.arraycopy(
                render(java.util.Arrays.copyOfRange(in, b * n, (b + 1) * n), s[1], s[2], s[3], draws[b]), 0, out,
                b * n, n));
        return Tensor.wrap(out, s);
    }

    /**
     * A smooth random displacement field {@code {Δx, Δy}} of {@code h × w} pixels each: α · (G_σ ∗ u)
     * with u uniform in [−1, 1] per pixel and component (2·h·w draws, x first, row by row), zero
     * outside the image, and G_σ the Gaussian of σ pixels cut at ⌈3σ⌉ and normalised to sum 1,
     * applied along rows and then along columns.
     */
    public static float[][] elasticField(int h, int w, double alpha, double sigma, SeededRandom rng) {
        float[][] field = uniformField(h, w, rng);
        blur(field[0], h, w, alpha, sigma);
        blur(field[1], h, w, alpha, sigma);
        return field;
    }

    /** The field's draws: u_x then u_y, each uniform in [−1, 1], row by row. */
    private static float[][] uniformField(int h, int w, SeededRandom rng) {
        float[][] field = new float[2][h * w];
        for (float[] u : field) {
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) (2 * rng.nextDouble() - 1);
            }
        }
        return field;
    }

    /** u ← α · (G_σ ∗ u) in place, zero outside: along the rows, then along the columns, each tap in order. */
    private static void blur(float[] u, int h, int w, double alpha, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] g = new double[2 * r + 1];
        double sum = 0;
        for (int k = -r; k <= r; k++) {
            g[k + r] = Math.exp(-k * k / (2 * sigma * sigma));
            sum += g[k + r];
        }
        for (int k = 0; k < g.length; k++) {
            g[k] /= sum;
        }
        float[] rows = new float[h * w];
        double[] acc = new double[w];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0);
            int row = y * w;
            for (int k = -r; k <= r; k++) {
                double gk = g[k + r];
                for (int x = Math.max(0, -k); x < Math.min(w, w - k); x++) {
                    acc[x] += gk * u[row + x + k];
                }
            }
            for (int x = 0; x < w; x++) {
                rows[row + x] = (float) acc[x];
            }
        }
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0);
            for (int k = Math.max(-r, -y); k <= Math.min(r, h - 1 - y); k++) {
                double gk = g[k + r];
                int from = (y + k) * w;
                for (int x = 0; x < w; x++) {
                    acc[x] += gk * rows[from + x];
                }
            }
            for (int x = 0; x < w; x++) {
                u[y * w + x] = (float) (alpha * acc[x]);
            }
        }
    }

    /** Applies {@code t} to every channel of a {@code C×H×W} image; outside pixels read {@code fill}. */
    public static float[] apply(float[] image, int c, int h, int w, Params t, float fill) {
        return apply(image, c, h, w, t, fill, null, null);
    }

    /**
     * Applies {@code t} after displacing each output pixel p' by ({@code dx[p']}, {@code dy[p']})
     * (both null: no displacement): the value at A⁻¹(p' + Δ(p') − c − t) + c.
     */
    public static float[] apply(float[] image, int c, int h, int w, Params t, float fill, float[] dx, float[] dy) {
        if (image.length != c * h * w) {
            throw new IllegalArgumentException("AffineAugment: " + image.length + " values for " + c + "×" + h + "×" + w);
        }
        if ((dx == null) != (dy == null) || dx != null && (dx.length != h * w || dy.length != h * w)) {
            throw new IllegalArgumentException("AffineAugment: a displacement field needs " + h * w
                    + " values in each of dx and dy, got " + (dx == null ? "null" : dx.length) + " and "
                    + (dy == null ? "null" : dy.length));
        }
        if (t.isIdentity() && dx == null) {
            return image.clone();
        }
        double th = Math.toRadians(t.rotationDeg()), cos = Math.cos(th), sin = Math.sin(th);
        // A = R · Sh · S
        double s00 = t.scaleX(), s01 = t.shearX() * t.scaleY(), s10 = t.shearY() * t.scaleX(), s11 = t.scaleY();
        double a00 = cos * s00 - sin * s10, a01 = cos * s01 - sin * s11;
        double a10 = sin * s00 + cos * s10, a11 = sin * s01 + cos * s11;
        double det = a00 * a11 - a01 * a10;
        if (Math.abs(det) < 1e-12) {
            throw new IllegalArgumentException("AffineAugment: singular transform " + t);
        }
        double i00 = a11 / det, i01 = -a01 / det, i10 = -a10 / det, i11 = a00 / det;
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        float[] out = new float[image.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double ex = x - cx - t.tx(), ey = y - cy - t.ty();
                if (dx != null) {
                    ex += dx[y * w + x];
                    ey += dy[y * w + x];
                }
                double sxp = i00 * ex + i01 * ey + cx, syp = i10 * ex + i11 * ey + cy;
                for (int ch = 0; ch < c; ch++) {
                    out[ch * h * w + y * w + x] = bilinear(image, ch * h * w, h, w, sxp, syp, fill);
                }
            }
        }
        return out;
    }

    private static float bilinear(float[] img, int base, int h, int w, double x, double y, float fill) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        double fx = x - x0, fy = y - y0;
        double top = at(img, base, h, w, x0, y0, fill) * (1 - fx) + (fx == 0 ? 0 : at(img, base, h, w, x0 + 1, y0, fill) * fx);
        if (fy == 0) {
            return (float) top;
        }
        double bottom = at(img, base, h, w, x0, y0 + 1, fill) * (1 - fx)
                + (fx == 0 ? 0 : at(img, base, h, w, x0 + 1, y0 + 1, fill) * fx);
        return (float) (top * (1 - fy) + bottom * fy);
    }

    private static float at(float[] img, int base, int h, int w, int x, int y, float fill) {
        return x < 0 || y < 0 || x >= w || y >= h ? fill : img[base + y * w + x];
    }

    /** Two augmentations are equal when their ranges are: a checkpoint's config compares by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AffineAugment other && java.util.Objects.equals(config, other.config);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(config);
    }

    /** {@code AffineAugment[config]}: stable across runs (a resumed run compares configs as text). */
    @Override
    public String toString() {
        return "AffineAugment[" + config + "]";
    }
}
