package dev.oneshot.siamese.data;

import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;

/**
 * Random distortions suited to frontal face photos (one grey channel in [0, 1]): a mirror, a
 * small rotation/scale/shift, then brightness and contrast jitter. Each image of a batch gets
 * its own draw; all seven numbers of a draw are always taken from the stream (in the order
 * flip, θ, s, tx, ty, c, b), so one changed range never shifts the draws of the next image.
 *
 * <ol>
 *   <li><b>Mirror</b> with probability {@code flipProbability}: v'(x, y) = v(W − 1 − x, y).
 *       A face seen in a mirror is still the same person; characters are not (no flip there).</li>
 *   <li><b>Rotation, scale and shift</b> about the image centre (see {@link AffineAugment}):
 *       θ ~ U[−R, R] degrees, s ~ U[1 − S, 1 + S] (the same in x and y: faces keep their
 *       proportions, no shear), t ~ U[−T, T]² pixels; bilinear sampling; pixels that come from
 *       outside the image read the image's mean μ, so no black border edge appears.</li>
 *   <li><b>Contrast and brightness</b> about the mean: v' = clamp(μ + c · (v − μ) + b, 0, 1)
 *       with c ~ U[1 − C, 1 + C], b ~ U[−B, B] — lighting varies between photos of the same
 *       person (ORL was shot under varying light).</li>
 *   <li><b>Random erasing</b> (Zhong et al., "Random Erasing Data Augmentation", AAAI 2020; off
 *       unless {@code eraseProbability} &gt; 0, and then drawn after the seven numbers): with that
 *       probability, a rectangle of area a·H·W, a ~ U[0.02, 0.4], and aspect ratio r ~ U[0.3, 1/0.3]
 *       (h_e = round(√(a·H·W·r)), w_e = round(√(a·H·W / r)), each at least 1 and at most the
 *       image's side), its corner uniform among the places where it fits, is filled with noise
 *       U[0, 1] in every channel — the network must not rest on any one part of the object.</li>
 * </ol>
 */
public final class FaceAugment implements Augmentation {

    /**
     * Ranges of the distortions; each must be ≥ 0 (and S, C &lt; 1, the flip probability ≤ 1).
     *
     * @param flipProbability probability of the mirror
     * @param maxRotationDeg  R, degrees
     * @param maxScale        S: scales in [1 − S, 1 + S]
     * @param maxShift        T, pixels in x and in y
     * @param maxContrast     C: contrast factors in [1 − C, 1 + C]
     * @param maxBrightness   B: brightness offsets in [−B, B] (pixel values are in [0, 1])
     * @param eraseProbability probability of erasing a random rectangle (0: off)
     */
    public record Config(double flipProbability, double maxRotationDeg, double maxScale, double maxShift,
                         double maxContrast, double maxBrightness, double eraseProbability) {
        /** For small frontal faces: mirror half the time, ±10°, ±5 %, ±3 px, contrast ±20 %, brightness ±0.1. */
        public static final Config FACES = new Config(0.5, 10, 0.05, 3, 0.2, 0.1);
        /** No distortion at all (the identity): every image comes back unchanged. */
        public static final Config NONE = new Config(0, 0, 0, 0, 0, 0);

        public Config {
            check("flipProbability", flipProbability, 1);
            check("maxRotationDeg", maxRotationDeg, 180);
            check("maxScale", maxScale, 0.999);
            check("maxShift", maxShift, Double.MAX_VALUE);
            check("maxContrast", maxContrast, 0.999);
            check("maxBrightness", maxBrightness, 1);
            check("eraseProbability", eraseProbability, 1);
        }

        /** Without random erasing. */
        public Config(double flipProbability, double maxRotationDeg, double maxScale, double maxShift,
                      double maxContrast, double maxBrightness) {
            this(flipProbability, maxRotationDeg, maxScale, maxShift, maxContrast, maxBrightness, 0);
        }

        /** The same ranges with random erasing at probability {@code p}. */
        public Config withErasing(double p) {
            return new Config(flipProbability, maxRotationDeg, maxScale, maxShift, maxContrast, maxBrightness, p);
        }

        private static void check(String field, double v, double max) {
            if (!(v >= 0 && v <= max)) {
                throw new IllegalArgumentException("FaceAugment.Config: " + field + " must be in [0, " + max
                        + "], got " + v);
            }
        }
    }

    /** One draw: whether to mirror, the geometry and the lighting. */
    public record Params(boolean flip, double rotationDeg, double scale, double tx, double ty, double contrast,
                         double brightness) {
    }

    private final Config config;

    public FaceAugment(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("FaceAugment: config must not be null");
        }
        this.config = config;
    }

    /** The ranges. */
    public Config config() {
        return config;
    }

    /** Draws one set of parameters (seven numbers from {@code rng}, always). */
    public Params sample(SeededRandom rng) {
        Config c = config;
        boolean flip = rng.nextDouble() < c.flipProbability();
        double rot = uniform(rng, c.maxRotationDeg());
        double scale = 1 + uniform(rng, c.maxScale());
        double tx = uniform(rng, c.maxShift());
        double ty = uniform(rng, c.maxShift());
        double contrast = 1 + uniform(rng, c.maxContrast());
        double brightness = uniform(rng, c.maxBrightness());
        return new Params(flip, rot, scale, tx, ty, contrast, brightness);
    }

    /** U[−r, r]. */
    private static double uniform(SeededRandom rng, double r) {
        return (2 * rng.nextDouble() - 1) * r;
    }

    @Override
    public Tensor augment(Tensor batch, SeededRandom rng) {
        int[] s = batch.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("FaceAugment: expected a [b, C, H, W] batch, got rank " + s.length);
        }
        int n = s[1] * s[2] * s[3];
        float[] out = new float[batch.data().length];
        float[] one = new float[n];
        for (int b = 0; b < s[0]; b++) {
            System.arraycopy(batch.data(), b * n, one, 0, n);
            float[] v = apply(one, s[1], s[2], s[3], sample(rng));
            if (config.eraseProbability() > 0 && rng.nextDouble() < config.eraseProbability()) {
                erase(v, s[1], s[2], s[3], rng);
            }
            System.arraycopy(v, 0, out, b * n, n);
        }
        return Tensor.wrap(out, s);
    }

    /** Applies {@code p} to a {@code C×H×W} image (a new array; the input is not modified). */
    public static float[] apply(float[] image, int c, int h, int w, Params p) {
        if (image.length != c * h * w) {
            throw new IllegalArgumentException("FaceAugment: " + image.length + " values for " + c + "×" + h + "×" + w);
        }
        float[] v = p.flip() ? mirror(image, c, h, w) : image;
        float mean = mean(image);
        AffineAugment.Params geometry = new AffineAugment.Params(p.rotationDeg(), 0, 0, p.scale(), p.scale(), p.tx(),
                p.ty());
        v = AffineAugment.apply(v, c, h, w, geometry, mean); // a copy even for the identity
        float cf = (float) p.contrast(), bf = (float) p.brightness();
        if (cf != 1f || bf != 0f) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.min(1f, Math.max(0f, mean + cf * (v[i] - mean) + bf));
            }
        }
        return v;
    }

    /**
     * Random erasing, in place: a rectangle drawn as in the class comment (area fraction, aspect
     * ratio, then its row and column) filled with U[0, 1] noise, row by row in every channel.
     */
    static void erase(float[] v, int c, int h, int w, SeededRandom rng) {
        double area = (0.02 + 0.38 * rng.nextDouble()) * h * w;
        double ratio = 0.3 + (1 / 0.3 - 0.3) * rng.nextDouble();
        int he = (int) Math.max(1, Math.min(h, Math.round(Math.sqrt(area * ratio))));
        int we = (int) Math.max(1, Math.min(w, Math.round(Math.sqrt(area / ratio))));
        int y0 = (int) (rng.nextDouble() * (h - he + 1));
        int x0 = (int) (rng.nextDouble() * (w - we + 1));
        for (int ch = 0; ch < c; ch++) {
            for (int y = y0; y < y0 + he; y++) {
                for (int x = x0; x < x0 + we; x++) {
                    v[(ch * h + y) * w + x] = (float) rng.nextDouble();
                }
            }
        }
    }

    /** v'(x, y) = v(W − 1 − x, y) in every channel. */
    static float[] mirror(float[] image, int c, int h, int w) {
        float[] out = new float[image.length];
        for (int row = 0; row < c * h; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                out[base + x] = image[base + w - 1 - x];
            }
        }
        return out;
    }

    private static float mean(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        return v.length == 0 ? 0f : (float) (sum / v.length);
    }

    /** Two augmentations are equal when their ranges are: a checkpoint's config compares by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FaceAugment other && java.util.Objects.equals(config, other.config);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(config);
    }

    /** {@code FaceAugment[config]}: stable across runs (a resumed run compares configs as text). */
    @Override
    public String toString() {
        return "FaceAugment[" + config + "]";
    }
}
