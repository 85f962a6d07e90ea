package dev.oneshot.gallery.lucene;

import dev.oneshot.core.tensor.SeededRandom;

/**
 * Synthetic embeddings shaped like a trained model's, for benchmarks: {@code identities} random
 * unit centres in {@code dim} dimensions, each seen in {@code views} noisy views
 * v = (c + n) / ‖c + n‖ with n Gaussian of norm ≈ {@code noise} (so two views of one identity lie
 * at d² ≈ noise², two identities at d² ≈ 2). Queries are fresh views of random identities, not
 * enrolled. Everything flows from the seed.
 */
public final class ClusteredVectors {
    private final int dim;
    private final float noise;
    private final float[][] centres;

    public ClusteredVectors(int identities, int dim, float noise, long seed) {
        this.dim = dim;
        this.noise = noise;
        this.centres = new float[identities][];
        SeededRandom r = new SeededRandom(seed);
        for (int i = 0; i < identities; i++) {
            centres[i] = unit(gaussian(r, 1f));
        }
    }

    public int identities() {
        return centres.length;
    }

    /** {@code views} views of identity {@code id}, rows of a [views·dim] array, seeded by (seed, id). */
    public float[] views(int id, int views, long seed) {
        SeededRandom r = new SeededRandom(seed * 1_000_003L + id);
        float[] out = new float[views * dim];
        for (int v = 0; v < views; v++) {
            System.arraycopy(view(id, r), 0, out, v * dim, dim);
        }
        return out;
    }

    /** {@code m} query views of identities drawn at random, rows of a [m·dim] array. */
    public float[] queries(int m, long seed) {
        SeededRandom r = new SeededRandom(seed);
        float[] out = new float[m * dim];
        for (int q = 0; q < m; q++) {
            int id = (int) (r.nextDouble() * centres.length);
            System.arraycopy(view(id, r), 0, out, q * dim, dim);
        }
        return out;
    }

    private float[] view(int id, SeededRandom r) {
        float[] n = gaussian(r, noise / (float) Math.sqrt(dim));
        float[] v = centres[id].clone();
        for (int t = 0; t < dim; t++) {
            v[t] += n[t];
        }
        return unit(v);
    }

    private float[] gaussian(SeededRandom r, float std) {
        float[] v = new float[dim];
        for (int t = 0; t < dim; t++) {
            v[t] = std * (float) r.nextGaussian();
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int t = 0; t < v.length; t++) {
            v[t] *= inv;
        }
        return v;
    }
}
