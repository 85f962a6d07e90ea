package dev.oneshot.core.ops;

import dev.oneshot.core.kernels.Gemm;
import dev.oneshot.core.kernels.VectorSupport;
import java.util.function.Supplier;

/** Runs a test body with the kernels' switches set — threads, Vector API, Winograd (inference and training) — and restores them after. */
final class KernelSwitches {
    private KernelSwitches() {
    }

    static <T> T with(int threads, boolean vector, boolean winograd, Supplier<T> body) {
        int savedThreads = Gemm.threads();
        boolean savedVector = VectorSupport.enabled();
        boolean savedWinograd = Conv2d.winogradInference();
        boolean savedTraining = Conv2d.winogradTraining();
        Gemm.setThreads(threads);
        VectorSupport.use(vector);
        Conv2d.setWinogradInference(winograd);
        Conv2d.setWinogradTraining(winograd);
        try {
            return body.get();
        } finally {
            Gemm.setThreads(savedThreads);
            VectorSupport.use(savedVector);
            Conv2d.setWinogradInference(savedWinograd);
            Conv2d.setWinogradTraining(savedTraining);
        }
    }
}
