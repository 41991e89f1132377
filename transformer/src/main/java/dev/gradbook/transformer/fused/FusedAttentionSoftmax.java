package dev.gradbook.transformer.fused;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.StepArena;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Parallel;
import dev.gradbook.transformer.attention.AttentionMask;

/**
 * The middle of scaled dot-product attention in one pass: the weights
 * {@code P = softmax(scale * S + M)} from the raw scores {@code S = Q Kᵀ} {@code (..., Tq, Tk)},
 * the scale {@code 1 / sqrt(d_k)} and a mask bias {@code M} that broadcasts to S (or none).
 * Composed, this is a multiply, an add, a max, a subtraction, an exponential, a sum and a
 * division, each a pass over {@code (B, nh, T, T)} values with its own backward.
 *
 * <p>Backward of a softmax row {@code p} with incoming gradient {@code g}: the Jacobian is
 * {@code diag(p) - p pᵀ}, so {@code dL/dz = p (g - sum_j g_j p_j)}; through the scale,
 * {@code dL/dS = scale * p (g - sum_j g_j p_j)}. Blocked keys have {@code p = 0} and get 0.
 * Rows are independent, so blocks of them run on the matmul kernel's threads ({@link Parallel}).
 */
public final class FusedAttentionSoftmax {
    /** Rows of scores per block of work (see {@link Parallel}). */
    private static final int ROWS_PER_BLOCK = 64;
    private FusedAttentionSoftmax() {
    }

    /** {@code softmax(scale * scores + mask.bias)} along the last dimension; {@code mask} may be null. */
    public static Tensor apply(Tensor scores, float scale, AttentionMask mask) {
        int[] shape = scores.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("attention softmax: scores need (..., Tq, Tk), got " + Shape.format(shape));
        }
        int tk = shape[shape.length - 1];
        float[] s = scores.data();
        int rows = s.length / Math.max(1, tk);
        float[] bias = mask == null ? null : mask.bias().data();
        int[] biasRow = mask == null ? null : biasRowOffsets(mask.bias().shape(), shape);
        int biasStep = mask == null ? 0 : (mask.bias().size(-1) == 1 ? 0 : 1);
        float[] p = StepArena.floats(s.length);
        Parallel.forEachBlock(rows, ROWS_PER_BLOCK, 12L * tk, (block, from, to) -> {
            for (int r = from; r < to; r++) {
                int at = r * tk;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < tk; j++) {
                    float z = scale * s[at + j] + (bias == null ? 0f : bias[biasRow[r] + j * biasStep]);
                    p[at + j] = z;
                    max = Math.max(max, z);
                }
                double total = 0;
                for (int j = 0; j < tk; j++) {
                    float z = p[at + j];
                    float e = z == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(z - max);   // blocked: exactly 0
                    p[at + j] = e;
                    total += e;
                }
                float inv = (float) (1 / total);
                for (int j = 0; j < tk; j++) {
                    p[at + j] *= inv;
                }
            }
        });
        Tensor out = Tensor.wrap(p, shape);
        return Autograd.customOp("attentionSoftmax", out, g -> {
            float[] gd = g.data();
            float[] ds = StepArena.floats(p.length);
            Parallel.forEachBlock(rows, ROWS_PER_BLOCK, 5L * tk, (block, from, to) -> {
                for (int r = from; r < to; r++) {
                    int at = r * tk;
                    double dot = 0;
                    for (int j = 0; j < tk; j++) {
                        dot += gd[at + j] * p[at + j];
                    }
                    float d = (float) dot;
                    for (int j = 0; j < tk; j++) {
                        ds[at + j] = scale * p[at + j] * (gd[at + j] - d);
                    }
                }
            });
            return new Tensor[] {Tensor.wrap(ds, shape)};
        }, scores);
    }

    /** Where row {@code r} of the scores (all dimensions but the last) starts in the broadcast bias. */
    private static int[] biasRowOffsets(int[] biasShape, int[] shape) {
        if (!java.util.Arrays.equals(Shape.broadcast("attention softmax", biasShape, shape), shape)) {
            throw new IllegalArgumentException("attention softmax: mask of shape " + Shape.format(biasShape)
                    + " does not broadcast to the scores " + Shape.format(shape));
        }
        return Shape.offsets(shape, Shape.broadcastStrides(biasShape, shape), shape.length - 1);
    }
}
