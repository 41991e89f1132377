package dev.gradbook.transformer.mixers;

import dev.gradbook.core.Tensor;

/**
 * RWKV's token shift (Peng et al. 2023, section 3.1.1): each position sees a learned per-channel
 * mix of itself and the previous position, {@code μ ⊙ x_t + (1 - μ) ⊙ x_(t-1)}, with
 * {@code x_0 = 0}. It is a causal convolution of width 2 and gives the model a cheap look one
 * token back.
 */
final class TokenShift {
    private TokenShift() {
    }

    /** {@code x_(t-1)} for every t: {@code (B, T, C)}, shifted down one position with zeros in front. */
    static Tensor previous(Tensor x) {
        int t = x.size(1);
        Tensor zeros = Tensor.zeros(x.size(0), 1, x.size(2));                         // (B, 1, C)
        return t == 1 ? zeros : Tensor.cat(java.util.List.of(zeros, x.narrow(1, 0, t - 1)), 1); // (B, T, C)
    }

    /** {@code μ ⊙ x + (1 - μ) ⊙ previous}. */
    static Tensor mix(Tensor mu, Tensor x, Tensor previous) {
        return x.mul(mu).add(previous.mul(mu.neg().add(1)));
    }
}
