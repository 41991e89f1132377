package dev.gradbook.nn.loss;

import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

/** {@link Losses#mse} as a module (PyTorch's {@code nn.MSELoss}): no parameters, a fixed reduction. */
public final class MSELoss extends Module {
    private final Reduction reduction;

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException("MSELoss: reduction must not be null");
        }
        this.reduction = reduction;
    }

    /** Prediction and target of the same shape. */
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mse(input, target, reduction);
    }

    @Override
    protected String describe() {
        return "reduction=" + reduction;
    }
}
