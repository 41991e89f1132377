package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/** Logistic sigmoid, {@code 1 / (1 + e^-x)}: squashes to (0, 1); saturates, so gradients vanish in deep stacks. */
public class Sigmoid extends Layer {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
