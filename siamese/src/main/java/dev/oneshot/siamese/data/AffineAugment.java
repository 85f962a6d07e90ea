package dev.oneshot.siamese.data;

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
                         double maxTranslation, double probability, float fill, double maxThickening) {
        /** Koch et al. 2015: ±10°, ±0.3, 0.8–1.2, ±2 px, probability 0.5; background 0. */
        public static final Config KOCH = new Config(10, 0.3, 0.8, 1.2, 2, 0.5, 0f);

        public Config {
            if (!(maxThickening >= 0 && maxThickening <= 1)) {
                throw new IllegalArgumentException("AffineAugment.Config: maxThickening must be in [0, 1], got "
                        + maxThickening);
            }
        }

        /** Without thickening. */
        public Config(double maxRotationDeg, double maxShear, double minScale, double maxScale, double maxTranslation,
                      double probability, float fill) {
            this(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, probability, fill, 0);
        }

        /** The same ranges with another probability (0 turns the augmentation off). */
        public Config withProbability(double p) {
            return new Config(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, p, fill, maxThickening);
        }

        /** The same ranges with another background value (1 for dark-on-light images). */
        public Config withFill(float f) {
            return new Config(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, probability, f,
                    maxThickening);
        }

        /** The same ranges with strokes widened by up to {@code t} (see the class comment). */
        public Config withThickening(double t) {
            return new Config(maxRotationDeg, maxShear, minScale, maxScale, maxTranslation, probability, fill, t);
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
        float[] out = apply(image, c, h, w, sample(rng), config.fill());
        if (config.maxThickening() > 0) {
            double alpha = pick(rng, 0, config.maxThickening(), 0);
            if (alpha > 0) {
                out = thicken(out, c, h, w, (float) alpha, config.fill() > 0.5f);
            }
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

    /** A new {@code [b, C, H, W]} tensor, each image distorted with its own draw (in batch order). */
    @Override
    public Tensor augment(Tensor batch, SeededRandom rng) {
        int[] s = batch.shape();
        int n = s[1] * s[2] * s[3];
        float[] out = new float[batch.data().length];
        float[] one = new float[n];
        for (int b = 0; b < s[0]; b++) {
            System.arraycopy(batch.data(), b * n, one, 0, n);
            System.arraycopy(augment(one, s[1], s[2], s[3], rng), 0, out, b * n, n);
        }
        return Tensor.wrap(out, s);
    }

    /** Applies {@code t} to every channel of a {@code C×H×W} image; outside pixels read {@code fill}. */
    public static float[] apply(float[] image, int c, int h, int w, Params t, float fill) {
        if (image.length != c * h * w) {
            throw new IllegalArgumentException("AffineAugment: " + image.length + " values for " + c + "×" + h + "×" + w);
        }
        if (t.isIdentity()) {
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
                double dx = x - cx - t.tx(), dy = y - cy - t.ty();
                double sxp = i00 * dx + i01 * dy + cx, syp = i10 * dx + i11 * dy + cy;
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
