package dev.gradbook.transformer.alignment;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * One batch of experience for {@link PpoTrainer}: {@code B} prompts of length {@code P}, each
 * continued by {@code N} tokens sampled from the policy, with what PPO needs to know about the
 * moment of sampling (all computed without gradients):
 *
 * @param ids          {@code (B, P + N)} prompt then continuation
 * @param promptLength {@code P}
 * @param logProbs     {@code (B, N)} {@code log pi_old(a_t | s_t)} of each sampled token under the policy that sampled it
 * @param refLogProbs  {@code (B, N)} the same under the frozen reference {@code rho}
 * @param values       {@code (B, N)} {@code V(s_t)}, the value of the prefix before each sampled token
 * @param entropy      {@code (B)} the policy's mean entropy per generated position, in nats
 */
public record PpoRollout(IntTensor ids, int promptLength, Tensor logProbs, Tensor refLogProbs, Tensor values,
                         Tensor entropy) {
    /** {@code B}, the number of samples. */
    public int batch() {
        return ids.size(0);
    }

    /** {@code N}, tokens generated per sample. */
    public int newTokens() {
        return ids.size(1) - promptLength;
    }

    /** Sample {@code b}'s generated tokens (without its prompt). */
    public int[] continuation(int b) {
        int width = ids.size(1);
        return Arrays.copyOfRange(ids.data(), b * width + promptLength, (b + 1) * width);
    }

    /** Sample {@code b}'s prompt. */
    public int[] prompt(int b) {
        int width = ids.size(1);
        return Arrays.copyOfRange(ids.data(), b * width, b * width + promptLength);
    }

    /**
     * Each sample's KL estimate {@code sum_t log pi(a_t|s_t) - log rho(a_t|s_t)} in nats: its
     * expectation over samples from {@code pi} is {@code KL(pi || rho)} of the continuation.
     */
    public double[] kl() {
        int n = newTokens();
        float[] lp = logProbs.data();
        float[] ref = refLogProbs.data();
        double[] kl = new double[batch()];
        for (int b = 0; b < kl.length; b++) {
            for (int t = 0; t < n; t++) {
                kl[b] += (double) lp[b * n + t] - ref[b * n + t];
            }
        }
        return kl;
    }

    /** The mean of {@link #kl()} over the batch. */
    public double meanKl() {
        return Arrays.stream(kl()).average().orElse(0);
    }
}
