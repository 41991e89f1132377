package dev.gradbook.transformer.seq2seq;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.LayerNorm;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.FeedForward;
import dev.gradbook.transformer.attention.AttentionMask;
import dev.gradbook.transformer.attention.MultiHeadAttention;

/**
 * One layer of the transformer decoder (Vaswani et al. 2017, section 3.1), post-LN as drawn in
 * figure 1:
 * <pre>
 *   y = LayerNorm(y + Dropout(MaskedSelfAttention(y)))           causal: no peeking at later targets
 *   y = LayerNorm(y + Dropout(CrossAttention(y, memory, memory)))  queries from y, keys/values from the encoder
 *   y = LayerNorm(y + Dropout(FFN(y)))
 * </pre>
 * Children: {@code selfAttn}, {@code norm1}, {@code crossAttn}, {@code norm2}, {@code ff},
 * {@code norm3}.
 */
public class DecoderLayer extends Module {
    private final MultiHeadAttention selfAttn;
    private final LayerNorm norm1;
    private final MultiHeadAttention crossAttn;
    private final LayerNorm norm2;
    private final FeedForward ff;
    private final LayerNorm norm3;
    private final Dropout dropout;

    public DecoderLayer(int dModel, int nHead, int dFF, Layer activation, float dropout, Rng rng) {
        this.selfAttn = child("selfAttn", new MultiHeadAttention(dModel, nHead, dropout, true, rng));
        this.norm1 = child("norm1", new LayerNorm(dModel));
        this.crossAttn = child("crossAttn", new MultiHeadAttention(dModel, nHead, dropout, true, rng));
        this.norm2 = child("norm2", new LayerNorm(dModel));
        this.ff = child("ff", new FeedForward(dModel, dFF, activation, dropout, true, rng));
        this.norm3 = child("norm3", new LayerNorm(dModel));
        this.dropout = child("dropout", new Dropout(dropout, rng.split()));
    }

    /**
     * {@code y (B, T, C)}: the target so far; {@code memory (B, S, C)}: the encoder's output.
     * {@code selfMask} is causal (and may block target padding), {@code memoryMask} blocks source
     * padding (or is null). Returns {@code (B, T, C)}.
     */
    public Tensor forward(Tensor y, Tensor memory, AttentionMask selfMask, AttentionMask memoryMask) {
        y = norm1.forward(y.add(dropout.forward(selfAttn.forward(y, selfMask))));                       // (B, T, C)
        y = norm2.forward(y.add(dropout.forward(crossAttn.forward(y, memory, memory, memoryMask))));    // (B, T, C)
        return norm3.forward(y.add(ff.forward(y)));                                                     // (B, T, C)
    }

    public MultiHeadAttention crossAttention() {
        return crossAttn;
    }
}
