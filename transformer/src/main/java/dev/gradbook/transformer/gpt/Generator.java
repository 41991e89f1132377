package dev.gradbook.transformer.gpt;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.attention.KvCache;

import java.util.Arrays;

/**
 * The autoregressive loop behind {@link Gpt#generate}: compute the logits of the last position,
 * pick a token with the {@link Sampler}, append it, repeat until {@code maxNewTokens} or a stop
 * condition.
 *
 * <p>Without a cache every step runs the model over the whole context (the last
 * {@code blockSize} tokens). With a {@link KvCache}, the first step runs over the prompt and each
 * later step over the one new token. Once the sequence no longer fits in the context, the window
 * slides and every position changes, so the cache is rebuilt from the last {@code blockSize}
 * tokens: the output is exactly what recomputation gives, and the cache pays off within the
 * context window. With a sliding window the cache is a rolling one ({@link Gpt#newKvCache}) that
 * keeps only the window's positions.
 */
final class Generator {
    private final Gpt gpt;
    private final GenerationConfig config;
    private final Rng rng;
    private final KvCache cache;
    /** Index in the sequence of the token at cache position 0. */
    private int cacheStart;

    Generator(Gpt gpt, GenerationConfig config, Rng rng) {
        this.gpt = gpt;
        this.config = config;
        this.rng = rng;
        this.cache = config.useKvCache() ? gpt.newKvCache() : null;
    }

    int[] run(int[] prompt) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generate: the prompt needs at least one token");
        }
        boolean wasTraining = gpt.isTraining();
        gpt.eval();
        try (var ignored = Autograd.noGrad()) {
            int[] sequence = Arrays.copyOf(prompt, prompt.length + config.maxNewTokens());
            int n = prompt.length;
            for (int step = 0; step < config.maxNewTokens(); step++) {
                sequence[n] = config.sampler().sample(nextLogits(sequence, n), rng);
                n++;
                if (config.stopsAfter(Arrays.copyOf(sequence, n))) {
                    break;
                }
            }
            return Arrays.copyOf(sequence, n);
        } finally {
            if (wasTraining) {
                gpt.train();
            }
        }
    }

    /** The logits {@code (V)} for the token after {@code sequence[0..n)}. */
    private float[] nextLogits(int[] sequence, int n) {
        int blockSize = gpt.config.blockSize();
        if (cache == null) {
            return lastRow(gpt.forward(ids(sequence, Math.max(0, n - blockSize), n)));
        }
        if (n - cacheStart > blockSize) {
            cache.clear();                       // the window slides: every position would change
            cacheStart = n - blockSize;
        }
        int cached = cacheStart + cache.length();
        return lastRow(gpt.forward(ids(sequence, cached, n), cache));
    }

    private static IntTensor ids(int[] sequence, int from, int to) {
        int[] ids = new int[to - from];
        for (int i = from; i < to; i++) {
            ids[i - from] = sequence[i];
        }
        return IntTensor.wrap(ids, 1, to - from);   // (1, T)
    }

    private static float[] lastRow(Tensor logits) {
        int t = logits.size(1);
        int v = logits.size(2);
        return Arrays.copyOfRange(logits.data(), (t - 1) * v, t * v);
    }
}
