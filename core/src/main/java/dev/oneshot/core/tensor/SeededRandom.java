package dev.oneshot.core.tensor;

/**
 * The one source of randomness in oneshot: a SplitMix64 generator with a known seed, written
 * out here so that (1) the same seed gives the same numbers on every JDK and (2) the complete
 * state can be saved in a checkpoint and restored, making a resumed run identical to one that
 * never stopped.
 *
 * <p>SplitMix64 (Steele, Lea and Flood 2014; the generator behind {@code SplittableRandom}):
 * the state advances by the odd constant γ = 0x9E3779B97F4A7C15 and each output is the state
 * passed through a 64-bit finaliser (xor-shift-multiply). Normal draws use Box–Muller.
 * Not thread-safe: give each thread its own generator via {@link #split()}.
 */
public final class SeededRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** The complete state: restoring it replays exactly the same draws. */
    public record State(long counter, boolean hasSpareGaussian, double spareGaussian) {
        /** A one-line text form for checkpoint metadata: {@code splitmix64:<hex>:<hex or ->}. */
        public String encode() {
            return "splitmix64:" + Long.toHexString(counter) + ":"
                    + (hasSpareGaussian ? Long.toHexString(Double.doubleToRawLongBits(spareGaussian)) : "-");
        }

        /** Parses {@link #encode()}'s form, failing with a message that quotes the text. */
        public static State decode(String text) {
            String[] parts = text == null ? new String[0] : text.split(":", -1);
            if (parts.length != 3 || !parts[0].equals("splitmix64")) {
                throw new IllegalArgumentException("SeededRandom state: expected 'splitmix64:<hex>:<hex or ->', got '"
                        + text + "'");
            }
            try {
                long counter = Long.parseUnsignedLong(parts[1], 16);
                if (parts[2].equals("-")) {
                    return new State(counter, false, 0);
                }
                return new State(counter, true, Double.longBitsToDouble(Long.parseUnsignedLong(parts[2], 16)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SeededRandom state: bad hex number in '" + text + "'", e);
            }
        }
    }

    /** A snapshot of the full state. */
    public State state() {
        return new State(state, hasSpare, spareGaussian);
    }

    /** A generator that continues exactly where the one that produced {@code s} stood. */
    public static SeededRandom fromState(State s) {
        SeededRandom r = new SeededRandom(s.counter());
        r.hasSpare = s.hasSpareGaussian();
        r.spareGaussian = s.spareGaussian();
        return r;
    }

    /** An independent generator derived from this one (for a worker thread or a sub-task). */
    public SeededRandom split() {
        return new SeededRandom(mix64(nextLong()));
    }

    /** 64 uniformly distributed bits: advance the state by γ and finalise it. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform integer in [0, bound), unbiased (rejects the top partial range). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        }
        long range = 1L << 32;
        long limit = range - range % bound;
        long r;
        do {
            r = nextLong() >>> 32;
        } while (r >= limit);
        return (int) (r % bound);
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
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
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
            out[i] = (float) (low + (high - (double) low) * nextDouble());
        }
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
