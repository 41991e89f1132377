package dev.gradbook.examples.language.attention;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.attention.MultiHeadAttention;
import dev.gradbook.transformer.position.LearnedPositionalEmbedding;

/**
 * The smallest model that can reverse a sequence: token and learned position embeddings, one
 * multi-head self-attention layer without a mask (every position sees every other), and a linear
 * read-out. Reversing asks position {@code i} to fetch the token at position {@code T - 1 - i}:
 * a query built from position {@code i} must match the key of position {@code T - 1 - i}
 * whatever the tokens are, and the value must carry the token. Nothing else in the model can move
 * information between positions, so the attention weights show how it solved the task.
 * <pre>
 *   x = E_tok[ids] + E_pos[0..T)          (B, T, C)
 *   y = MultiHead(x, x, x)                 (B, T, C)
 *   logits = y W_out                       (B, T, V)
 * </pre>
 */
public final class ReverseByAttention extends Module {
    private final Embedding tokens;
    private final LearnedPositionalEmbedding positions;
    private final MultiHeadAttention attention;
    private final Linear readOut;

    public ReverseByAttention(int vocab, int length, int channels, int heads, Rng rng) {
        this.tokens = child("tokens", new Embedding(vocab, channels, rng));
        this.positions = child("positions", new LearnedPositionalEmbedding(length, channels, rng));
        this.attention = child("attention", new MultiHeadAttention(channels, heads, 0f, true, rng));
        this.readOut = child("readOut", new Linear(channels, vocab, rng));
        attention.attention().keepWeights(true);
    }

    /** {@code ids (B, T)} -> logits {@code (B, T, V)}. */
    public Tensor forward(IntTensor ids) {
        Tensor x = tokens.forward(ids).add(positions.forward(ids.size(1), 0));   // (B, T, C)
        Tensor y = attention.forward(x, null);                                   // (B, T, C)
        return readOut.forward(y);                                               // (B, T, V)
    }

    /** The attention weights {@code (B, nh, T, T)} of the last forward pass. */
    public Tensor lastWeights() {
        return attention.attention().lastWeights();
    }
}
