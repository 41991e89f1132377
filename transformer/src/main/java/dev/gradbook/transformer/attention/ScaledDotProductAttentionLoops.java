package dev.gradbook.transformer.attention;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Equation 1 of Vaswani et al. (2017) once more, with a plain loop for every index, so that each
 * number can be followed by hand:
 * <pre>
 *   for each batch element b, head h, query i:
 *       s_j = (q_i · k_j) / sqrt(d_k) + M[i, j]          for every key j
 *       w_j = exp(s_j - max s) / sum_j' exp(s_j' - max s)   (softmax; the max keeps exp from overflowing)
 *       out_i = sum_j w_j v_j
 * </pre>
 * No autograd and no speed: this is the reading version of {@link ScaledDotProductAttention}, and
 * the tests check that the two agree. Inputs are {@code q (B, nh, Tq, d_k)},
 * {@code k (B, nh, Tk, d_k)}, {@code v (B, nh, Tk, d_v)}; the result is {@code (B, nh, Tq, d_v)}.
 */
public final class ScaledDotProductAttentionLoops {
    private ScaledDotProductAttentionLoops() {
    }

    /** Attention by loops; {@code mask} may be null. */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, AttentionMask mask) {
        if (q.dim() != 4 || k.dim() != 4 || v.dim() != 4) {
            throw new IllegalArgumentException("attention (loops): expects 4-D q, k, v (B, nh, T, d), got "
                    + Shape.format(q.shape()) + ", " + Shape.format(k.shape()) + ", " + Shape.format(v.shape()));
        }
        ScaledDotProductAttention.checkShapes(q, k, v);
        int batch = q.size(0);
        int heads = q.size(1);
        int tq = q.size(2);
        int tk = k.size(2);
        int dk = q.size(3);
        int dv = v.size(3);
        float[] bias = maskValues(mask, batch, heads, tq, tk);
        double scale = 1 / Math.sqrt(dk);
        float[] out = new float[batch * heads * tq * dv];
        double[] s = new double[tk];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < tq; i++) {
                    // scores of query i against every key j
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tk; j++) {
                        double dot = 0;
                        for (int c = 0; c < dk; c++) {
                            dot += q.get(b, h, i, c) * k.get(b, h, j, c);
                        }
                        s[j] = dot * scale + (bias == null ? 0 : bias[((b * heads + h) * tq + i) * tk + j]);
                        max = Math.max(max, s[j]);
                    }
                    // softmax over the keys
                    double total = 0;
                    for (int j = 0; j < tk; j++) {
                        s[j] = Math.exp(s[j] - max);
                        total += s[j];
                    }
                    // the weighted average of the values
                    for (int c = 0; c < dv; c++) {
                        double acc = 0;
                        for (int j = 0; j < tk; j++) {
                            acc += s[j] / total * v.get(b, h, j, c);
                        }
                        out[((b * heads + h) * tq + i) * dv + c] = (float) acc;
                    }
                }
            }
        }
        return Tensor.wrap(out, batch, heads, tq, dv);
    }

    /** The mask's bias stretched to {@code (B, nh, Tq, Tk)}, or null for no mask. */
    private static float[] maskValues(AttentionMask mask, int batch, int heads, int tq, int tk) {
        if (mask == null) {
            return null;
        }
        try (var ignored = Autograd.noGrad()) {
            return mask.bias().expand(batch, heads, tq, tk).data();
        }
    }
}
