package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/** Returns its input unchanged: a placeholder where a layer is optional. */
public class Identity extends Layer {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
