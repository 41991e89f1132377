package dev.gradbook.transformer.attention;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Dropout;
import dev.gradbook.nn.Module;

/**
 * Scaled dot-product attention (Vaswani et al. 2017, "Attention Is All You Need", section 3.2.1,
 * equation 1):
 * <pre>
 *   Attention(Q, K, V) = softmax(Q Kᵀ / sqrt(d_k) + M) V
 * </pre>
 * Each query row of {@code Q} is compared with every key row of {@code K} by a dot product; the
 * softmax turns one query's scores into weights that sum to 1; the output is the weighted average
 * of the value rows. {@code M} is an {@link AttentionMask} ({@code 0} allowed, {@code -inf}
 * blocked). Dividing by {@code sqrt(d_k)} keeps the scores' variance near 1 when q and k have
 * unit-variance entries, so the softmax does not saturate and its gradient does not vanish.
 *
 * <p>Shapes: {@code Q (..., Tq, d_k)}, {@code K (..., Tk, d_k)}, {@code V (..., Tk, d_v)}; the
 * leading dimensions (batch, heads) broadcast; output {@code (..., Tq, d_v)}, weights
 * {@code (..., Tq, Tk)}. Dropout on the weights (as in GPT-2 and BERT) is active in training mode.
 *
 * <p>Written from core ops, so autograd supplies the gradient. {@link ScaledDotProductAttentionLoops}
 * computes the same thing with four nested loops, for reading; the tests check that they agree.
 * A faster twin that overrides {@link #weights(Tensor, Tensor, AttentionMask, float)} can take this
 * module's place ({@code transformer.fused.Fused.apply}).
 */
public class ScaledDotProductAttention extends Module {
    /** The attended values {@code (..., Tq, d_v)} and the weights {@code (..., Tq, Tk)} that produced them. */
    public record Result(Tensor output, Tensor weights) {
    }

    private final Dropout dropout;
    private boolean keepWeights;
    private Tensor lastWeights;

    /** @param dropout probability of zeroing an attention weight in training (0 for none) */
    public ScaledDotProductAttention(float dropout, Rng rng) {
        this(new Dropout(dropout, rng));
    }

    /** Attention around an existing dropout module (a twin shares its original's, random state included). */
    protected ScaledDotProductAttention(Dropout dropout) {
        this.dropout = child("dropout", dropout);
    }

    /** Attention of {@code q} over {@code k, v}; {@code mask} may be null (every key allowed). */
    public Result forward(Tensor q, Tensor k, Tensor v, AttentionMask mask) {
        checkShapes(q, k, v);
        float scale = (float) (1 / Math.sqrt(q.size(-1)));
        Tensor weights = weights(q, k, mask, scale);                        // (..., Tq, Tk), rows sum to 1
        Tensor output = dropout.forward(weights).matmul(v);                 // (..., Tq, d_v)
        if (keepWeights) {
            lastWeights = weights.detach();
        }
        return new Result(output, weights);
    }

    /** Equation 1 without dropout, for callers that need no module (tests, one-off computations). */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, AttentionMask mask) {
        checkShapes(q, k, v);
        return composedWeights(q, k, mask, (float) (1 / Math.sqrt(q.size(-1)))).matmul(v);
    }

    /** {@code softmax(Q Kᵀ scale + M)}: one weight per query and key, each query's row summing to 1. */
    protected Tensor weights(Tensor q, Tensor k, AttentionMask mask, float scale) {
        return composedWeights(q, k, mask, scale);
    }

    private static Tensor composedWeights(Tensor q, Tensor k, AttentionMask mask, float scale) {
        Tensor scores = q.matmulT(k).mul(scale);                            // (..., Tq, Tk), no copy of Kᵀ
        if (mask != null) {
            scores = scores.add(mask.bias());                               // blocked scores become -inf
        }
        return scores.softmax(-1);
    }

    /**
     * Whether to keep the most recent weights (detached) for {@link #lastWeights()}, e.g. to draw
     * an attention map. Off by default: keeping them holds on to a {@code (B, nh, T, T)} tensor.
     */
    public void keepWeights(boolean keep) {
        this.keepWeights = keep;
        if (!keep) {
            lastWeights = null;
        }
    }

    /** Whether {@link #keepWeights} is on. */
    public boolean keepsWeights() {
        return keepWeights;
    }

    /** The dropout on the weights (child {@code dropout}). */
    public Dropout dropout() {
        return dropout;
    }

    /** The weights of the last forward while {@link #keepWeights} was on, else null. */
    public Tensor lastWeights() {
        return lastWeights;
    }

    static void checkShapes(Tensor q, Tensor k, Tensor v) {
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2 || q.size(-1) != k.size(-1) || k.size(-2) != v.size(-2)) {
            throw new IllegalArgumentException("attention: shapes q " + Shape.format(q.shape()) + ", k "
                    + Shape.format(k.shape()) + ", v " + Shape.format(v.shape())
                    + " do not fit (need q (..., Tq, d_k), k (..., Tk, d_k), v (..., Tk, d_v))");
        }
    }

    @Override
    protected String describe() {
        return "dropout=" + dropout.p;
    }
}
