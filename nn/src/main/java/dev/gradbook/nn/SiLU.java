package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/** SiLU / swish, {@code x * sigmoid(x)} (Elfwing et al. 2018; Ramachandran et al. 2017): smooth and non-monotonic. */
public class SiLU extends Layer {
    @Override
    public Tensor forward(Tensor x) {
        return x.silu();
    }
}
