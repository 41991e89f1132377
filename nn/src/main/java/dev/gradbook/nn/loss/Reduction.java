package dev.gradbook.nn.loss;

import dev.gradbook.core.Tensor;

/**
 * How a loss turns its per-element values into what it returns, as PyTorch's {@code reduction}
 * argument: the {@link #MEAN} (the default everywhere), the {@link #SUM}, or the per-element
 * values themselves ({@link #NONE}), e.g. to weight them before reducing.
 */
public enum Reduction {
    MEAN,
    SUM,
    NONE;

    /** Reduces per-element losses {@code perElement} (any shape) as this constant says. */
    public Tensor apply(Tensor perElement) {
        return switch (this) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }
}
