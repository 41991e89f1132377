package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/** Hyperbolic tangent, {@code (e^x - e^-x) / (e^x + e^-x)}: zero-centred, saturates at -1 and 1. */
public class Tanh extends Layer {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
