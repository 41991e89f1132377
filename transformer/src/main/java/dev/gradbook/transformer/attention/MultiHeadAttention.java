package dev.gradbook.transformer.attention;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;

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
 * ({@code W^O}) and {@code attention}. The projections are plain {@link Layer} fields so that
 * LoRA can swap them by name ({@link #replaceChild}).
 */
public class MultiHeadAttention extends Module {
    public final int dModel;
    public final int nHead;
    private Layer query;
    private Layer key;
    private Layer value;
    private Layer proj;
    private final ScaledDotProductAttention attention;

    public MultiHeadAttention(int dModel, int nHead, float dropout, boolean bias, Rng rng) {
        if (nHead <= 0 || dModel % nHead != 0) {
            throw new IllegalArgumentException("MultiHeadAttention: dModel " + dModel + " is not divisible by "
                    + nHead + " heads");
        }
        this.dModel = dModel;
        this.nHead = nHead;
        this.query = child("query", new Linear(dModel, dModel, bias, rng));
        this.key = child("key", new Linear(dModel, dModel, bias, rng));
        this.value = child("value", new Linear(dModel, dModel, bias, rng));
        this.proj = child("proj", new Linear(dModel, dModel, bias, rng));
        this.attention = child("attention", new ScaledDotProductAttention(dropout, rng.split()));
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

    /** The attention inside, e.g. to keep its weights for a picture. */
    public ScaledDotProductAttention attention() {
        return attention;
    }

    @Override
    protected void onChildReplaced(String name, Module replacement) {
        switch (name) {
            case "query" -> query = (Layer) replacement;
            case "key" -> key = (Layer) replacement;
            case "value" -> value = (Layer) replacement;
            case "proj" -> proj = (Layer) replacement;
            default -> super.onChildReplaced(name, replacement);
        }
    }

    @Override
    protected String describe() {
        return "dModel=" + dModel + ", nHead=" + nHead;
    }
}
