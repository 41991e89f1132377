package dev.gradbook.examples.llm.longctx;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.transformer.attention.KvCache;
import dev.gradbook.transformer.gpt.Gpt;

import java.util.Arrays;

/**
 * What one generated token costs at context length {@code n}, three ways:
 * <ul>
 *   <li>{@link Mode#NO_CACHE}: run the model over all {@code n} tokens again; only the last
 *       position's logits are used. Work per token grows like {@code n} (the projections and MLP
 *       of every position) plus {@code n^2} (attention); nothing is kept between tokens.</li>
 *   <li>{@link Mode#FULL_CACHE}: keep every position's keys and values ({@link KvCache}); a token
 *       costs one position's projections and MLP plus attention over {@code n} cached keys. The
 *       cache grows by {@code 2 nLayer C} floats per token.</li>
 *   <li>{@link Mode#ROLLING_CACHE}: the same model with a sliding window of {@code w} positions
 *       and a rolling cache of {@code w} ({@link KvCache#rolling}): constant time and memory per
 *       token, however long the text.</li>
 * </ul>
 * The time is the median over a few tokens at that length, measured after a warm-up (so the JIT
 * has compiled the kernels); the memory is {@link KvCache#bytes()}, the arrays the cache holds.
 */
public final class DecodeBenchmark {
    /** How the keys and values of earlier tokens are treated. */
    public enum Mode { NO_CACHE, FULL_CACHE, ROLLING_CACHE }

    /** One measurement: context length, milliseconds per generated token, bytes the cache holds. */
    public record Point(Mode mode, int context, double msPerToken, long cacheBytes) {
    }

    private static final int REPEATS = 5;

    private final Gpt full;
    private final Gpt windowed;
    private final int vocab;

    /**
     * @param full     a model with full causal attention, {@code blockSize} at least the longest
     *                 context measured plus {@link #REPEATS}
     * @param windowed the same weights with a sliding window
     */
    public DecodeBenchmark(Gpt full, Gpt windowed) {
        this.full = full;
        this.windowed = windowed;
        this.vocab = full.config.vocabSize();
        full.eval();
        windowed.eval();
    }

    /** Runs every mode at {@code context} a few times so that the timed runs find compiled code. */
    public void warmUp(int context) {
        for (int round = 0; round < 10; round++) {
            for (Mode mode : Mode.values()) {
                measure(mode, context);
            }
        }
    }

    /** Time per token and cache bytes of {@code mode} at context length {@code context}. */
    public Point measure(Mode mode, int context) {
        int[] text = randomText(context + REPEATS, context);
        double[] ms = new double[REPEATS];
        long bytes = 0;
        try (var ignored = Autograd.noGrad()) {
            if (mode == Mode.NO_CACHE) {
                for (int r = 0; r < REPEATS; r++) {
                    IntTensor ids = IntTensor.wrap(Arrays.copyOf(text, context + r), 1, context + r);
                    long t0 = System.nanoTime();
                    full.forward(ids);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            } else {
                Gpt model = mode == Mode.FULL_CACHE ? full : windowed;
                KvCache cache = model.newKvCache();
                model.forward(IntTensor.wrap(Arrays.copyOf(text, context - 1), 1, context - 1), cache);   // prefill
                for (int r = 0; r < REPEATS; r++) {
                    IntTensor next = IntTensor.wrap(new int[] {text[context - 1 + r]}, 1, 1);
                    long t0 = System.nanoTime();
                    model.forward(next, cache);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                    if (r == 0) {
                        bytes = cache.bytes();                 // the cache at exactly `context` positions
                    }
                }
            }
        }
        Arrays.sort(ms);
        return new Point(mode, context, ms[REPEATS / 2], bytes);
    }

    /** Token ids to run on (the cost does not depend on which). */
    private int[] randomText(int length, long seed) {
        Rng rng = new Rng(seed);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        return ids;
    }

    /** The longest context the models must accept for a sweep up to {@code maxContext}. */
    public static int blockSizeFor(int maxContext) {
        return maxContext + REPEATS;
    }
}
