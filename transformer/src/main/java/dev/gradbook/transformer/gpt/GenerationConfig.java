package dev.gradbook.transformer.gpt;

import java.util.function.Predicate;

/**
 * What {@link Gpt#generate} does: how many tokens at most, how to pick each one, when to stop
 * early, and whether to reuse keys and values between steps.
 *
 * @param maxNewTokens the most tokens to add to the prompt
 * @param sampler      how the next token is chosen ({@link Sampler#greedy()}, top-k, ...)
 * @param stopToken    stop after producing this id (included in the output); -1 for none
 * @param stopWhen     stop when this returns true for the sequence so far (prompt included);
 *                     null for none. E.g. {@code seq -> seq[seq.length - 1] == '\n'}
 * @param useKvCache   keep each layer's keys and values so that every step computes only the new
 *                     position ({@link dev.gradbook.transformer.attention.KvCache}); the output is
 *                     the same either way
 */
public record GenerationConfig(int maxNewTokens, Sampler sampler, int stopToken, Predicate<int[]> stopWhen,
                               boolean useKvCache) {
    public GenerationConfig {
        if (maxNewTokens < 0 || sampler == null) {
            throw new IllegalArgumentException("GenerationConfig: needs maxNewTokens >= 0 and a sampler, got "
                    + maxNewTokens + ", " + sampler);
        }
    }

    /** {@code maxNewTokens} greedy tokens, with the KV cache. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, Sampler.greedy(), -1, null, true);
    }

    /** {@code maxNewTokens} tokens from {@code sampler}, with the KV cache. */
    public static GenerationConfig sampled(int maxNewTokens, Sampler sampler) {
        return new GenerationConfig(maxNewTokens, sampler, -1, null, true);
    }

    public GenerationConfig withStopToken(int id) {
        return new GenerationConfig(maxNewTokens, sampler, id, stopWhen, useKvCache);
    }

    public GenerationConfig withStopWhen(Predicate<int[]> condition) {
        return new GenerationConfig(maxNewTokens, sampler, stopToken, condition, useKvCache);
    }

    public GenerationConfig withKvCache(boolean on) {
        return new GenerationConfig(maxNewTokens, sampler, stopToken, stopWhen, on);
    }

    /** Whether generation ends after {@code sequence}, whose last element is the newest token. */
    boolean stopsAfter(int[] sequence) {
        int last = sequence[sequence.length - 1];
        return last == stopToken || (stopWhen != null && stopWhen.test(sequence));
    }
}
