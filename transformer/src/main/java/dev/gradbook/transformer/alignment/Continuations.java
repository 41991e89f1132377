package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.attention.KvCache;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.Sampler;

import java.util.Arrays;

/**
 * Samples continuations of a batch of prompts at once: the rollouts of preference-data
 * collection, PPO and evaluation. {@link Gpt#generate} continues one prompt; here all prompts have
 * the same length, so the whole batch advances one position per step through a shared
 * {@link KvCache}: the first step reads the prompts {@code (B, P)}, each later step the
 * {@code (B, 1)} tokens just chosen. Row {@code b} draws its tokens from {@code rng} in row order
 * at every step, so the same seed gives the same continuations.
 *
 * <p>Prompt plus continuation must fit in the model's context ({@code blockSize}); no window
 * slides. Runs in eval mode without gradients (the mode is restored afterwards).
 */
public final class Continuations {
    private Continuations() {
    }

    /** {@code newTokens} tokens after each of {@code prompts} (all of one length), chosen by {@code sampler}. */
    public static int[][] sample(Gpt model, int[][] prompts, int newTokens, Sampler sampler, Rng rng) {
        int b = prompts.length;
        int p = b == 0 ? 0 : prompts[0].length;
        for (int[] prompt : prompts) {
            if (prompt.length != p || p == 0) {
                throw new IllegalArgumentException("Continuations.sample: prompts must all have the same length >= 1, got "
                        + prompt.length + " and " + p);
            }
        }
        if (b == 0 || newTokens < 1 || p + newTokens > model.config.blockSize()) {
            throw new IllegalArgumentException("Continuations.sample: need at least one prompt and one new token, and "
                    + "prompt " + p + " + new " + newTokens + " <= blockSize " + model.config.blockSize()
                    + "; got " + b + " prompts");
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        int[][] out = new int[b][newTokens];
        try (var ignored = Autograd.noGrad()) {
            KvCache cache = new KvCache(model.config.nLayer());
            int[] step = new int[b * p];
            for (int i = 0; i < b; i++) {
                System.arraycopy(prompts[i], 0, step, i * p, p);
            }
            IntTensor next = IntTensor.wrap(step, b, p);                       // (B, P) then (B, 1)
            for (int t = 0; t < newTokens; t++) {
                Tensor logits = model.forward(next, cache);                    // (B, T, V)
                int[] chosen = new int[b];
                for (int i = 0; i < b; i++) {
                    chosen[i] = sampler.sample(lastRow(logits, i), rng);
                    out[i][t] = chosen[i];
                }
                next = IntTensor.wrap(chosen, b, 1);
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        return out;
    }

    /** The logits {@code (V)} of row {@code i}'s last position. */
    private static float[] lastRow(Tensor logits, int i) {
        int t = logits.size(1);
        int v = logits.size(2);
        int from = (i * t + t - 1) * v;
        return Arrays.copyOfRange(logits.data(), from, from + v);
    }
}
