package dev.gradbook.transformer.position;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Module;

/**
 * Learned absolute positions, as in GPT-2 and BERT: row {@code p} of a trained
 * {@code (maxLen, dim)} table is added to the token embedding at position {@code p}. Vaswani et
 * al. (2017, section 3.5) found it "produced nearly identical results" to the sinusoids; the price
 * is a hard limit: a model trained with {@code maxLen} positions has no vector for position
 * {@code maxLen}, which is why the context length is part of a GPT's configuration. Rows start as
 * {@code N(0, 0.02^2)}, GPT-2's choice.
 */
public class LearnedPositionalEmbedding extends Module {
    public final int maxLen;
    public final int dim;
    public final Tensor weight;

    public LearnedPositionalEmbedding(int maxLen, int dim, Rng rng) {
        this.maxLen = maxLen;
        this.dim = dim;
        this.weight = parameter("weight", Tensor.normal(rng, 0f, 0.02f, maxLen, dim));
    }

    /** The vectors of positions {@code offset .. offset + length - 1}, {@code (length, dim)}. */
    public Tensor forward(int length, int offset) {
        if (offset < 0 || length <= 0 || offset + length > maxLen) {
            throw new IllegalArgumentException("LearnedPositionalEmbedding: positions " + offset + ".."
                    + (offset + length - 1) + " are beyond the " + maxLen + " learned positions (the context length)");
        }
        return weight.narrow(0, offset, length);          // (T, C)
    }

    @Override
    protected String describe() {
        return maxLen + ", " + dim;
    }
}
