package dev.gradbook.transformer.attention;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Which keys each query may look at, stored the way attention uses it: an additive bias that is
 * {@code 0} where attention is allowed and {@code -inf} where it is blocked, added to the scores
 * before the softmax (Vaswani et al. 2017, section 3.2.3: "masking out (setting to -inf) all
 * values in the input of the softmax which correspond to illegal connections"). Since
 * {@code exp(-inf) = 0}, a blocked key receives exactly zero weight and zero gradient.
 *
 * <p>The bias broadcasts against the scores {@code (B, nh, Tq, Tk)}: a causal mask is
 * {@code (Tq, Tk)}, a padding mask {@code (B, 1, 1, Tk)}. Two masks combine with {@link #and},
 * which adds the biases, so a key is allowed only if both allow it. A query whose every key is
 * blocked has no defined softmax (its weights come out NaN, as in PyTorch): give every query at
 * least one real key.
 *
 * <p>Boolean masks. PyTorch reads a boolean mask both ways round: in
 * {@code F.scaled_dot_product_attention} True means "may attend", in {@code nn.MultiheadAttention}
 * ({@code attn_mask}, {@code key_padding_mask}) and {@code nn.Transformer} True means "blocked".
 * So Gradbook has no bare "from boolean" factory: a 0/1 tensor becomes a mask through
 * {@link #allowing} (1 = may attend) or {@link #blocking} (1 = blocked), and the call says which.
 * {@link #padding} takes {@code keyValid}, 1 for a real token.
 *
 * @param bias additive scores, {@code 0} or {@code -inf} (or any other bias, see {@link #additive})
 */
public record AttentionMask(Tensor bias) {
    private static final float BLOCKED = Float.NEGATIVE_INFINITY;

    public AttentionMask {
        if (bias == null || bias.dim() < 2) {
            throw new IllegalArgumentException("AttentionMask: the bias needs at least two dimensions (Tq, Tk), got "
                    + (bias == null ? "null" : Shape.format(bias.shape())));
        }
    }

    /** Query {@code i} may see keys {@code 0..i}: the decoder's "no peeking at the future" mask, {@code (T, T)}. */
    public static AttentionMask causal(int t) {
        return causal(t, t);
    }

    /**
     * The causal mask when the {@code tq} queries are the last {@code tq} of {@code tk} positions,
     * as when earlier keys come from a KV cache: query {@code i} sits at position
     * {@code tk - tq + i} and may see keys {@code 0..tk - tq + i}. Shape {@code (tq, tk)}.
     */
    public static AttentionMask causal(int tq, int tk) {
        if (tq <= 0 || tk < tq) {
            throw new IllegalArgumentException("AttentionMask.causal: needs 0 < tq <= tk, got tq=" + tq + ", tk=" + tk);
        }
        float[] bias = new float[tq * tk];
        int offset = tk - tq;
        for (int i = 0; i < tq; i++) {
            for (int j = offset + i + 1; j < tk; j++) {
                bias[i * tk + j] = BLOCKED;
            }
        }
        return new AttentionMask(Tensor.wrap(bias, tq, tk));
    }

    /**
     * Causal attention over the last {@code window} positions only (sliding-window attention:
     * Beltagy et al. 2020, "Longformer", section 3.1; Jiang et al. 2023, "Mistral 7B", section 2).
     * As in {@link #causal(int, int)} the {@code tq} queries are the last of {@code tk}
     * consecutive positions; query {@code i}, at position {@code p = tk - tq + i}, may see keys
     * {@code p - window + 1 .. p}, so each query sees at most {@code window} keys, itself included.
     * With {@code window >= tk} this is the causal mask. Shape {@code (tq, tk)}.
     */
    public static AttentionMask slidingWindow(int tq, int tk, int window) {
        if (tq <= 0 || tk < tq || window <= 0) {
            throw new IllegalArgumentException("AttentionMask.slidingWindow: needs 0 < tq <= tk and window > 0, got tq="
                    + tq + ", tk=" + tk + ", window=" + window);
        }
        float[] bias = new float[tq * tk];
        int offset = tk - tq;
        for (int i = 0; i < tq; i++) {
            int p = offset + i;
            for (int j = 0; j < tk; j++) {
                if (j > p || j <= p - window) {                      // the future, or out of the window
                    bias[i * tk + j] = BLOCKED;
                }
            }
        }
        return new AttentionMask(Tensor.wrap(bias, tq, tk));
    }

    /**
     * A padding mask from {@code keyValid (B, Tk)}, 1 for a real token and 0 for padding: no query
     * attends to a padded key. Shape {@code (B, 1, 1, Tk)}, broadcasting over heads and queries.
     */
    public static AttentionMask padding(Tensor keyValid) {
        if (keyValid.dim() != 2) {
            throw new IllegalArgumentException("AttentionMask.padding: expects (B, Tk) with 1 for real tokens, got "
                    + Shape.format(keyValid.shape()));
        }
        int b = keyValid.size(0);
        int tk = keyValid.size(1);
        float[] valid = keyValid.data();
        float[] bias = new float[b * tk];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = valid[i] != 0 ? 0f : BLOCKED;
        }
        return new AttentionMask(Tensor.wrap(bias, b, 1, 1, tk));
    }

    /**
     * From a 0/1 tensor where 1 means "may attend" and 0 "blocked", as PyTorch's
     * {@code F.scaled_dot_product_attention} reads a boolean {@code attn_mask}.
     */
    public static AttentionMask allowing(Tensor allowed) {
        return fromZeroOne("allowing", allowed, true);
    }

    /**
     * From a 0/1 tensor where 1 means "blocked" and 0 "may attend", as PyTorch's
     * {@code nn.MultiheadAttention} reads a boolean {@code attn_mask} or {@code key_padding_mask}.
     */
    public static AttentionMask blocking(Tensor blocked) {
        return fromZeroOne("blocking", blocked, false);
    }

    private static AttentionMask fromZeroOne(String op, Tensor mask, boolean oneAllows) {
        float[] a = mask.data();
        float[] bias = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0 && a[i] != 1) {
                throw new IllegalArgumentException("AttentionMask." + op + ": expects 0/1 values, got " + a[i]
                        + " at flat position " + i);
            }
            bias[i] = (a[i] == 1) == oneAllows ? 0f : BLOCKED;
        }
        return new AttentionMask(Tensor.wrap(bias, mask.shape()));
    }

    /** An arbitrary additive bias on the scores (PyTorch's float {@code attn_mask}), used as given. */
    public static AttentionMask additive(Tensor bias) {
        return new AttentionMask(bias);
    }

    /** Both masks at once: a key is allowed only where both allow it (the biases add). */
    public AttentionMask and(AttentionMask other) {
        if (other == null) {
            return this;
        }
        try (var ignored = dev.gradbook.core.Autograd.noGrad()) {
            return new AttentionMask(bias.add(other.bias));
        }
    }
}
