package dev.oneshot.benchmarks;

import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.kernels.Im2Col;
import dev.oneshot.core.kernels.VectorSupport;

/**
 * The implementations as they were before the performance round, kept verbatim (minus the
 * autograd wrapping) so that every optimised kernel is measured beside its predecessor in the
 * same JMH run.
 */
final class Baselines {
    private Baselines() {
    }

    /** The old generic elementwise path: one virtual call per element (as UnaryOp.RELU was). */
    abstract static class Fn {
        abstract float value(float x);

        abstract float derivative(float x, float y);
    }

    static final Fn RELU = new Fn() {
        float value(float x) { return x > 0f ? x : (Float.isNaN(x) ? x : 0f); }
        float derivative(float x, float y) { return x > 0f ? 1f : 0f; }
    };

    static final Fn TANH = new Fn() { // a second subclass, so the call site is not monomorphic
        float value(float x) { return (float) Math.tanh(x); }
        float derivative(float x, float y) { return 1f - y * y; }
    };

    /**
     * Sets the kernels' thread count and path ("vector" or "scalar", {@link VectorSupport#use}:
     * GEMM, pooling and scan together) for a benchmark's {@code @Setup}, failing when the
     * asked-for path is not what runs.
     */
    static void useKernels(int threads, String kernel) {
        Gemm.setThreads(threads);
        usePath(kernel);
    }

    /** {@link #useKernels} for single-thread kernels: the path only, thread count untouched. */
    static void usePath(String kernel) {
        String used = VectorSupport.use(kernel.equals("vector"));
        if (!used.startsWith(kernel)) {
            throw new IllegalStateException("asked for the " + kernel + " kernels, got " + used);
        }
    }

    static float[] unaryForward(Fn f, float[] xs) {
        float[] ys = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ys[i] = f.value(xs[i]);
        }
        return ys;
    }

    static void unaryBackward(Fn f, float[] xs, float[] ys, float[] gy, float[] gx) {
        for (int i = 0; i < xs.length; i++) {
            gx[i] += gy[i] * f.derivative(xs[i], ys[i]);
        }
    }

    /** The old Pooling.maxForward (general k, s; branchy compare and isNaN per element). */
    static void maxForward(float[] x, int planes, int height, int width, int kernel, int stride,
                           float[] out, int[] argmax) {
        int oh = (height - kernel) / stride + 1;
        int ow = (width - kernel) / stride + 1;
        int o = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * height * width;
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int corner = base + y * stride * width + xo * stride;
                    int best = corner;
                    float bestValue = x[corner];
                    for (int i = 0; i < kernel && !Float.isNaN(bestValue); i++) {
                        int row = corner + i * width;
                        for (int j = 0; j < kernel; j++) {
                            float v = x[row + j];
                            if (v > bestValue || Float.isNaN(v)) {
                                best = row + j;
                                bestValue = v;
                                if (Float.isNaN(v)) {
                                    break;
                                }
                            }
                        }
                    }
                    out[o] = bestValue;
                    argmax[o] = best;
                    o++;
                }
            }
        }
    }

    static void maxBackward(float[] gradOut, int[] argmax, float[] gradIn) {
        for (int o = 0; o < gradOut.length; o++) {
            gradIn[argmax[o]] += gradOut[o];
        }
    }

    /** The old conv2d forward: one im2col and one GEMM per image, then the bias. */
    static float[] convForward(Im2Col.Geometry geo, int batch, int filters, float[] xs, float[] ws, float[] bs) {
        int k = geo.patchSize();
        int p = geo.outPixels();
        float[] out = new float[batch * filters * p];
        float[] cols = new float[k * p];
        for (int n = 0; n < batch; n++) {
            Im2Col.im2col(geo, xs, n * geo.imageSize(), cols, 0);
            Gemm.multiply(false, false, filters, p, k, ws, 0, cols, 0, out, n * filters * p, false);
            for (int f = 0; f < filters; f++) {
                int row = (n * filters + f) * p;
                float bf = bs[f];
                for (int q = 0; q < p; q++) {
                    out[row + q] += bf;
                }
            }
        }
        return out;
    }

    /** The old conv2d backward: per image, rebuild cols, dW += G·colsᵀ, dcols = Wᵀ·G, col2im. */
    static void convBackward(Im2Col.Geometry geo, int batch, int filters, float[] xs, float[] ws, float[] g,
                             float[] gx, float[] gw, float[] gb) {
        int k = geo.patchSize();
        int p = geo.outPixels();
        float[] scratch = new float[k * p];
        for (int n = 0; n < batch; n++) {
            int gOff = n * filters * p;
            Im2Col.im2col(geo, xs, n * geo.imageSize(), scratch, 0);
            Gemm.multiply(false, true, filters, k, p, g, gOff, scratch, 0, gw, 0, true);
            Gemm.multiply(true, false, k, p, filters, ws, 0, g, gOff, scratch, 0, false);
            Im2Col.col2im(geo, scratch, 0, gx, n * geo.imageSize());
        }
        for (int n = 0; n < batch; n++) {
            for (int f = 0; f < filters; f++) {
                int row = (n * filters + f) * p;
                float sum = 0f;
                for (int q = 0; q < p; q++) {
                    sum += g[row + q];
                }
                gb[f] += sum;
            }
        }
    }
}
