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
 * One layer of the transformer encoder (Vaswani et al. 2017, section 3.1), drawn as in the paper
 * with the layer norm after each residual addition ("post-LN"):
 * <pre>
 *   x = LayerNorm(x + Dropout(SelfAttention(x)))
 *   x = LayerNorm(x + Dropout(FFN(x)))
 * </pre>
 * Every position attends to every other (only padding is masked). BERT uses the same layer with
 * GELU in the feed-forward network. Children: {@code selfAttn}, {@code norm1}, {@code ff},
 * {@code norm2}.
 */
public class EncoderLayer extends Module {
    private final MultiHeadAttention selfAttn;
    private final Dropout dropout;
    private final LayerNorm norm1;
    private final FeedForward ff;
    private final LayerNorm norm2;

    public EncoderLayer(int dModel, int nHead, int dFF, Layer activation, float dropout, Rng rng) {
        this.selfAttn = child("selfAttn", new MultiHeadAttention(dModel, nHead, dropout, true, rng));
        this.dropout = child("dropout", new Dropout(dropout, rng.split()));
        this.norm1 = child("norm1", new LayerNorm(dModel));
        this.ff = child("ff", new FeedForward(dModel, dFF, activation, dropout, true, rng));
        this.norm2 = child("norm2", new LayerNorm(dModel));
    }

    /** {@code x (B, S, C)} with a padding mask over its keys (or null); returns {@code (B, S, C)}. */
    public Tensor forward(Tensor x, AttentionMask mask) {
        x = norm1.forward(x.add(dropout.forward(selfAttn.forward(x, mask))));   // (B, S, C)
        return norm2.forward(x.add(ff.forward(x)));                             // (B, S, C)
    }

    public MultiHeadAttention selfAttention() {
        return selfAttn;
    }
}
