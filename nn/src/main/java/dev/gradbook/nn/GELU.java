package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/**
 * Gaussian error linear unit, {@code x * Phi(x)} (Hendrycks and Gimpel, 2016): the activation of
 * BERT and GPT. {@code new GELU(true)} uses GPT-2's tanh approximation.
 */
public class GELU extends Layer {
    public final boolean tanhApproximation;

    public GELU() {
        this(false);
    }

    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public Tensor forward(Tensor x) {
        return tanhApproximation ? x.geluTanh() : x.gelu();
    }

    @Override
    protected String describe() {
        return tanhApproximation ? "approximate=tanh" : "";
    }
}
