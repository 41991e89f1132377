package dev.gradbook.core;

/**
 * Which divisor a variance uses, named so that a call reads the same in Gradbook and PyTorch:
 * {@code x.var(1, Correction.UNBIASED, true)} is {@code x.var(1, unbiased=True, keepdim=True)}
 * (PyTorch's {@code correction=1} and {@code correction=0}).
 *
 * <p>For {@code n} values with mean {@code m}, {@code var = sum_i (x_i - m)^2 / (n - c)}:
 * {@code c = 1} is Bessel's correction, the unbiased estimate of a population's variance from a
 * sample (and PyTorch's default); {@code c = 0} is the variance of the values themselves, the
 * one that batch and layer normalisation use.
 */
public enum Correction {
    /** Divide by {@code n - 1} (Bessel's correction; the default, as in PyTorch). */
    UNBIASED(1),
    /** Divide by {@code n} (what normalisation layers use). */
    BIASED(0);

    private final int subtract;

    Correction(int subtract) {
        this.subtract = subtract;
    }

    /** The divisor for {@code n} values: {@code n - 1} or {@code n}. */
    public int divisor(int n) {
        return n - subtract;
    }
}
