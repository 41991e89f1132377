package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/**
 * Gaussian error linear unit, {@code x * Phi(x)} (Hendrycks and Gimpel, 2016): the activation of
 * BERT and GPT. Two forms, named at the call site:
 * <pre>
 *   GELU.exact()                x * Phi(x) = x/2 (1 + erf(x / sqrt 2))                  BERT, PyTorch's default
 *   GELU.tanhApproximation()    x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))           GPT-2 (PyTorch's approximate='tanh')
 * </pre>
 * They differ by less than 5e-4. {@code new GELU()} is the exact form, as {@code nn.GELU()} is.
 */
public class GELU extends Layer {
    /** True for the tanh approximation, false for the exact form. */
    public final boolean tanhApproximation;

    /** The exact form, like PyTorch's {@code nn.GELU()}. */
    public GELU() {
        this(false);
    }

    private GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    /** {@code x * Phi(x)} with the normal CDF through erf. */
    public static GELU exact() {
        return new GELU(false);
    }

    /** GPT-2's tanh approximation (Hendrycks and Gimpel 2016, section 2). */
    public static GELU tanhApproximation() {
        return new GELU(true);
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
