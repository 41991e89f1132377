package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/**
 * A module with one input and one output, such as {@link Linear}, {@code ReLU} or
 * {@code Conv2d}: what {@link Sequential} can chain. Modules with other signatures (attention
 * with a mask, an LSTM returning its state) extend {@link Module} and declare their own forward.
 */
public abstract class Layer extends Module {
    public abstract Tensor forward(Tensor input);
}
