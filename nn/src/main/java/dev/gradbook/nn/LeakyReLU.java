package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/** Leaky ReLU, {@code x} for {@code x > 0} else {@code slope * x} (Maas et al., 2013): no dead units. */
public class LeakyReLU extends Layer {
    public final float negativeSlope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu(negativeSlope);
    }

    @Override
    protected String describe() {
        return "negativeSlope=" + negativeSlope;
    }
}
