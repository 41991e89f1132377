package dev.gradbook.examples.language.position;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Embedding;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.attention.Heads;
import dev.gradbook.transformer.attention.ScaledDotProductAttention;
import dev.gradbook.transformer.position.LearnedPositionalEmbedding;
import dev.gradbook.transformer.position.RotaryEmbedding;
import dev.gradbook.transformer.position.SinusoidalPositionalEncoding;

/**
 * One bidirectional self-attention layer whose only source of order is a chosen positional
 * scheme: none, sinusoidal or learned vectors added to the token embeddings, or RoPE rotating the
 * queries and keys. Without positions the layer is permutation-equivariant: shuffle the input
 * and the output is shuffled the same way, so no task that depends on where a token sits can
 * be learned.
 * <pre>
 *   x = E_tok[ids] (+ P[0..T) for sinusoidal or learned)          (B, T, C)
 *   q, k, v = x W_Q, x W_K, x W_V, split into heads               (B, nh, T, hs)
 *   q, k = R_m q, R_n k                                             (RoPE only)
 *   logits = merge(Attention(q, k, v)) W_out                        (B, T, V)
 * </pre>
 */
public final class OrderModel extends Module {
    /** Where the model learns the order of its input from. */
    public enum Positions { NONE, SINUSOIDAL, LEARNED, ROPE }

    public final Positions kind;
    private final int heads;
    private final Embedding tokens;
    private final SinusoidalPositionalEncoding sinusoidal;
    private final LearnedPositionalEmbedding learned;
    private final RotaryEmbedding rotary;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear readOut;

    public OrderModel(Positions kind, int vocab, int length, int channels, int heads, Rng rng) {
        this.kind = kind;
        this.heads = heads;
        this.tokens = child("tokens", new Embedding(vocab, channels, rng));
        this.sinusoidal = kind == Positions.SINUSOIDAL
                ? child("sinusoidal", new SinusoidalPositionalEncoding(length, channels)) : null;
        this.learned = kind == Positions.LEARNED
                ? child("learned", new LearnedPositionalEmbedding(length, channels, rng)) : null;
        this.rotary = kind == Positions.ROPE ? child("rotary", new RotaryEmbedding(channels / heads, length)) : null;
        this.query = child("query", new Linear(channels, channels, rng));
        this.key = child("key", new Linear(channels, channels, rng));
        this.value = child("value", new Linear(channels, channels, rng));
        this.readOut = child("readOut", new Linear(channels, vocab, rng));
    }

    /** {@code ids (B, T)} -> logits {@code (B, T, V)}. */
    public Tensor forward(IntTensor ids) {
        int t = ids.size(1);
        Tensor x = tokens.forward(ids);                                        // (B, T, C)
        if (sinusoidal != null) {
            x = sinusoidal.forward(x);
        } else if (learned != null) {
            x = x.add(learned.forward(t, 0));                                  // (B, T, C) + (T, C)
        }
        Tensor q = Heads.split(query.forward(x), heads);                       // (B, nh, T, hs)
        Tensor k = Heads.split(key.forward(x), heads);                         // (B, nh, T, hs)
        Tensor v = Heads.split(value.forward(x), heads);                       // (B, nh, T, hs)
        if (rotary != null) {
            q = rotary.forward(q, 0);
            k = rotary.forward(k, 0);
        }
        Tensor y = ScaledDotProductAttention.attention(q, k, v, null);         // (B, nh, T, hs)
        return readOut.forward(Heads.merge(y));                                // (B, T, V)
    }

    /** The learned position vectors {@code (T, C)}, or null for the other kinds. */
    public Tensor learnedPositions() {
        return learned == null ? null : learned.weight;
    }
}
