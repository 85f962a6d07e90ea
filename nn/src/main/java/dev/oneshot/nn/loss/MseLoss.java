package dev.oneshot.nn.loss;

import dev.oneshot.core.tensor.Shape;
import dev.oneshot.core.tensor.Tensor;

import java.util.Arrays;

/**
 * Mean squared error: L = (1/n) Σᵢ (yᵢ − tᵢ)² over all n elements, so ∂L/∂yᵢ = 2(yᵢ − tᵢ)/n
 * (derived by autograd from core's sub, square and mean). Prediction and target must have the
 * same shape: silent broadcasting is a classic bug (PyTorch only warns).
 */
public final class MseLoss {
    private MseLoss() {
    }

    public static Tensor apply(Tensor prediction, Tensor target) {
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new IllegalArgumentException("mseLoss: prediction " + Shape.toString(prediction.shape())
                    + " and target " + Shape.toString(target.shape()) + " differ in shape");
        }
        return prediction.sub(target).square().mean();
    }
}
