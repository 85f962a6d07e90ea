package dev.oneshot.nn.layers;

import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static dev.oneshot.nn.NnInputs.away;
import static dev.oneshot.nn.NnInputs.distinct;
import static dev.oneshot.nn.NnInputs.withParams;

/**
 * Full-Jacobian gradient checks of every layer, with respect to its input and each of its
 * parameters (passed in through {@link Module#setParameter}).
 */
class LayerGradCheckTest {
    static final String[] WB = {"weight", "bias"};

    // The layers and inputs SabotagedLayersTest checks its copies at, so both see the same points.
    static final Supplier<Module> LINEAR = () -> new Linear(4, 5, true, new SeededRandom(1));
    static final Supplier<Module> CONV2D = () -> new Conv2d(2, 3, 3, 2, 1, true, new SeededRandom(1));
    static final Supplier<Module> MAX_POOL = () -> new MaxPool2d(2, 2);
    static final Supplier<Module> BATCH_NORM_2D = () -> new BatchNorm2d(2);

    /** x [3, 4], W [5, 4], b [5]. */
    static Tensor[] linearInputs() {
        return new Tensor[] {away(1, 3, 4), away(2, 5, 4), away(3, 5)};
    }

    /** x [2, 2, 5, 5], W [3, 2, 3, 3], b [3]; stride 2, padding 1. */
    static Tensor[] conv2dInputs() {
        return new Tensor[] {away(6, 2, 2, 5, 5), away(7, 3, 2, 3, 3), away(8, 3)};
    }

    /** x [2, 2, 4, 4], distinct values 0.1 apart: no ties within the step. */
    static Tensor[] maxPoolInputs() {
        return new Tensor[] {distinct(27, 0.05f, 2, 2, 4, 4)};
    }

    /** x [2, 2, 3, 3], γ [2], β [2]. */
    static Tensor[] batchNorm2dInputs() {
        return new Tensor[] {away(15, 2, 2, 3, 3), away(16, 2), away(17, 2)};
    }

    private static void check(String name, Supplier<Module> factory, String[] names, Tensor... inputs) {
        GradCheck.check(name, t -> withParams(factory, names, t), inputs).assertPassed();
    }

    @Test
    void linear() {
        check("Linear", LINEAR, WB, linearInputs());
    }

    @Test
    void linearWithoutBiasOnRank3Input() {
        check("Linear no bias, [2,3,4]", () -> new Linear(4, 2, false, new SeededRandom(1)), new String[] {"weight"},
                away(4, 2, 3, 4), away(5, 2, 4));
    }

    @Test
    void conv2d() {
        check("Conv2d s2 p1", CONV2D, WB, conv2dInputs());
    }

    @Test
    void batchNorm1dTrain() {
        check("BatchNorm1d train", () -> new BatchNorm1d(3), WB, away(9, 5, 3), away(10, 3), away(11, 3));
    }

    @Test
    void batchNorm1dTrainRank3() {
        check("BatchNorm1d train [N,C,L]", () -> new BatchNorm1d(2), WB, away(12, 3, 2, 2), away(13, 2), away(14, 2));
    }

    @Test
    void batchNorm2dTrain() {
        check("BatchNorm2d train", BATCH_NORM_2D, WB, batchNorm2dInputs());
    }

    @Test
    void batchNorm2dEval() {
        Supplier<Module> factory = () -> {
            BatchNorm2d bn = new BatchNorm2d(2);
            bn.runningMean().data()[1] = 0.3f;
            bn.runningVar().data()[0] = 2f;
            bn.eval();
            return bn;
        };
        check("BatchNorm2d eval", factory, WB, away(18, 2, 2, 2, 2), away(19, 2), away(20, 2));
    }

    @Test
    void dropoutTrainWithFixedMask() {
        check("Dropout(0.5) train", () -> new Dropout(0.5, new SeededRandom(21)), new String[0], away(22, 4, 5));
    }

    @Test
    void parameterFreeLayers() {
        String[] none = new String[0];
        check("ReLU", ReLU::new, none, away(23, 3, 4));
        check("Sigmoid", Sigmoid::new, none, away(24, 3, 4));
        check("Tanh", Tanh::new, none, away(25, 3, 4));
        check("L2Normalize", () -> new L2Normalize(1e-6f), none, away(26, 3, 4));
        check("MaxPool2d", MAX_POOL, none, maxPoolInputs());
        check("Flatten", Flatten::new, none, away(28, 2, 3, 2));
    }

    @Test
    void smallConvNetWithRespectToEveryParameter() {
        Supplier<Module> factory = () -> new Sequential(
                new Conv2d(1, 2, 3, 1, 1, true, new SeededRandom(30)), new Tanh(), new MaxPool2d(2, 2),
                new Flatten(), new Linear(8, 3, true, new SeededRandom(31)));
        check("Conv-Tanh-Pool-Flatten-Linear", factory, new String[] {"0.weight", "0.bias", "4.weight", "4.bias"},
                away(32, 2, 1, 4, 4), away(33, 2, 1, 3, 3), away(34, 2), away(35, 3, 8), away(36, 3));
    }
}
