package dev.oneshot.siamese.eval;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.twin.TwinNetwork;

/**
 * Feature vectors for every example of a data set: the network's embeddings (computed once,
 * in eval mode, without a graph, in batches) or the raw pixels (the baseline).
 * Both are row-major [n × d] float arrays.
 */
public final class Embedder {
    /** Examples embedded per forward pass. */
    public static final int BATCH = 256;

    private Embedder() {
    }

    /** Rows of the model's embeddings for every example (normalised and mirror-averaged as its card says). */
    public static Features embed(SiameseModel model, LabeledImages data) {
        return embed(model.twin(), data);
    }

    /** Rows of f(x) for every example; the network is left in the mode it was in. */
    public static Features embed(TwinNetwork net, LabeledImages data) {
        boolean wasTraining = net.embeddingNet().isTraining();
        net.eval();
        try (Grad.Scope off = Grad.off()) {
            float[] out = null;
            int dim = 0;
            for (int start = 0; start < data.size(); start += BATCH) {
                int end = Math.min(data.size(), start + BATCH);
                int[] idx = new int[end - start];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = start + i;
                }
                Tensor e = net.embed(data.gather(idx));
                if (out == null) {
                    dim = e.size(1);
                    out = new float[data.size() * dim];
                }
                System.arraycopy(e.data(), 0, out, start * dim, e.numel());
            }
            return new Features(out == null ? new float[0] : out, data.size(), dim);
        } finally {
            if (wasTraining) {
                net.train();
            }
        }
    }

    /** The raw pixels as features (the nearest-neighbour baseline). */
    public static Features pixels(LabeledImages data) {
        int dim = data.imageSize();
        float[] out = new float[data.size() * dim];
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, out, i * dim);
        }
        return new Features(out, data.size(), dim);
    }

    /** n feature rows of width dim. */
    public record Features(float[] values, int rows, int dim) {
        /** ‖row a − row b‖². */
        public double squaredDistance(int a, int b) {
            double s = 0;
            int oa = a * dim;
            int ob = b * dim;
            for (int t = 0; t < dim; t++) {
                double d = values[oa + t] - values[ob + t];
                s += d * d;
            }
            return s;
        }

        /** A copy holding only the given rows, in that order. */
        public Features rows(int[] which) {
            float[] out = new float[which.length * dim];
            for (int i = 0; i < which.length; i++) {
                System.arraycopy(values, which[i] * dim, out, i * dim, dim);
            }
            return new Features(out, which.length, dim);
        }
    }
}
