package dev.gradbook.transformer.attention;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Multi-head attention (Vaswani et al. 2017, section 3.2.2):
 * <pre>
 *   MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W^O
 *   head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)
 * </pre>
 * The {@code h} projections of size {@code d_k = dModel / h} are computed as one
 * {@code dModel x dModel} product each for queries, keys and values, then cut into heads
 * ({@link Heads}). Self-attention passes the same sequence three times; the decoder's
 * cross-attention (section 3.2.3) takes queries from the decoder and keys and values from the
 * encoder's output, so {@code Tq} and {@code Tk} may differ.
 *
 * <p>Children: {@code query}, {@code key}, {@code value} ({@code W^Q, W^K, W^V}), {@code proj}
 * ({@code W^O}) and {@code attention}, as in {@link AttentionProjections}; LoRA can swap the
 * projections by name ({@link #replaceChild}).
 */
public class MultiHeadAttention extends AttentionProjections {
    public final int dModel;

    public MultiHeadAttention(int dModel, int nHead, float dropout, boolean bias, Rng rng) {
        super("dModel", dModel, nHead, dropout, bias, rng);
        this.dModel = dModel;
    }

    /**
     * Attention of {@code query (B, Tq, C)} over {@code key, value (B, Tk, C)}; {@code mask}
     * broadcasts to {@code (B, nh, Tq, Tk)} and may be null. Returns {@code (B, Tq, C)}.
     */
    public Tensor forward(Tensor query, Tensor key, Tensor value, AttentionMask mask) {
        if (query.dim() != 3 || key.dim() != 3 || value.dim() != 3 || query.size(2) != dModel
                || key.size(2) != dModel || value.size(2) != dModel || key.size(1) != value.size(1)) {
            throw new IllegalArgumentException("MultiHeadAttention(dModel=" + dModel + "): query "
                    + Shape.format(query.shape()) + ", key " + Shape.format(key.shape()) + ", value "
                    + Shape.format(value.shape()) + " must be (B, Tq, " + dModel + "), (B, Tk, " + dModel
                    + "), (B, Tk, " + dModel + ")");
        }
        Tensor q = Heads.split(this.query.forward(query), nHead);                // (B, nh, Tq, hs)
        Tensor k = Heads.split(this.key.forward(key), nHead);                    // (B, nh, Tk, hs)
        Tensor v = Heads.split(this.value.forward(value), nHead);                // (B, nh, Tk, hs)
        Tensor heads = attention.forward(q, k, v, mask).output();                // (B, nh, Tq, hs)
        return proj.forward(Heads.merge(heads));                                 // (B, Tq, C)
    }

    /** Self-attention: queries, keys and values all come from {@code x (B, T, C)}. */
    public Tensor forward(Tensor x, AttentionMask mask) {
        return forward(x, x, x, mask);
    }

    @Override
    protected String describe() {
        return "dModel=" + dModel + ", nHead=" + nHead;
    }
}
