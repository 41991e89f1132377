package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/** Rectified linear unit, {@code max(0, x)}: the default hidden activation (Nair and Hinton, 2010). */
public class ReLU extends Layer {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
