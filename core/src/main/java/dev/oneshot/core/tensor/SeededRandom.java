package dev.oneshot.core.tensor;

import java.util.SplittableRandom;

/**
 * The one source of randomness in oneshot: a {@link SplittableRandom} with a known seed, plus
 * normal draws by the Box–Muller transform written out here, so that the same seed gives the
 * same numbers on every JDK (the JDK's own Gaussian algorithm is not specified across versions).
 */
public final class SeededRandom {
    private final SplittableRandom rng;
    private double spareGaussian;
    private boolean hasSpare;

    public SeededRandom(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    private SeededRandom(SplittableRandom rng) {
        this.rng = rng;
    }

    /** An independent generator derived from this one (for a worker thread or a sub-task). */
    public SeededRandom split() {
        return new SeededRandom(rng.split());
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return rng.nextDouble();
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return rng.nextInt(bound);
    }

    public long nextLong() {
        return rng.nextLong();
    }

    /**
     * Standard normal by Box–Muller: with u₁ ∈ (0, 1], u₂ ∈ [0, 1),
     * r = √(−2 ln u₁), z₀ = r cos 2πu₂, z₁ = r sin 2πu₂ (z₁ is kept for the next call).
     */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        double theta = 2.0 * Math.PI * u2;
        spareGaussian = r * Math.sin(theta);
        hasSpare = true;
        return r * Math.cos(theta);
    }

    /** Fills with N(mean, std²). */
    public void fillGaussian(float[] out, float mean, float std) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (mean + std * nextGaussian());
        }
    }

    /** Fills with uniform draws in [low, high). */
    public void fillUniform(float[] out, float low, float high) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (low + (high - (double) low) * rng.nextDouble());
        }
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
