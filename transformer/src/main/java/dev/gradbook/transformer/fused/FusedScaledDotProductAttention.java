package dev.gradbook.transformer.fused;

import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.attention.AttentionMask;
import dev.gradbook.transformer.attention.ScaledDotProductAttention;

/**
 * {@link ScaledDotProductAttention} whose weights {@code softmax(Q Kᵀ scale + M)} come from
 * {@link FusedAttentionSoftmax} in one pass instead of a scale, a mask addition and a softmax,
 * each its own pass over the {@code (B, nh, Tq, Tk)} scores. Everything else (the products,
 * dropout, kept weights) is the readable module's. It shares its original's dropout module, so
 * the random stream is the same too.
 */
public class FusedScaledDotProductAttention extends ScaledDotProductAttention {

    /** The twin of {@code readable}: same dropout, same choice of keeping the weights. */
    public FusedScaledDotProductAttention(ScaledDotProductAttention readable) {
        super(readable.dropout());
        keepWeights(readable.keepsWeights());
    }

    @Override
    protected Tensor weights(Tensor q, Tensor k, AttentionMask mask, float scale) {
        return FusedAttentionSoftmax.apply(q.matmulT(k), scale, mask);     // (..., Tq, Tk)
    }

    @Override
    protected String describe() {
        return super.describe() + ", fused";
    }
}
