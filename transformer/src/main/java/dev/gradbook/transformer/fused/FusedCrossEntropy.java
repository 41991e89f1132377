package dev.gradbook.transformer.fused;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Mean cross-entropy of class logits {@code (N, V)} against target ids {@code (N)} in one pass,
 * the same value as {@code Losses.crossEntropy} with an ignore index:
 * <pre>
 *   loss = (1 / |kept|) sum over kept rows n of ( logsumexp(x_n) - x_n[y_n] )
 *   dL/dx_n = (softmax(x_n) - onehot(y_n)) / |kept|      (0 for ignored rows)
 * </pre>
 * The softmax computed in the forward is kept for the backward. Rows whose target equals
 * {@code ignoreIndex} count neither in the sum nor in {@code |kept|}.
 */
public final class FusedCrossEntropy {
    private FusedCrossEntropy() {
    }

    public static Tensor apply(Tensor logits, Tensor targets, int ignoreIndex) {
        if (logits.dim() != 2 || targets.dim() != 1 || targets.size(0) != logits.size(0)) {
            throw new IllegalArgumentException("crossEntropy (fused): needs logits (N, V) and targets (N), got "
                    + Shape.format(logits.shape()) + " and " + Shape.format(targets.shape()));
        }
        int n = logits.size(0);
        int v = logits.size(1);
        float[] x = logits.data();
        float[] y = targets.data();
        float[] p = new float[x.length];
        int[] target = new int[n];
        int kept = 0;
        double total = 0;
        for (int r = 0; r < n; r++) {
            target[r] = (int) y[r];
            if (y[r] == ignoreIndex) {
                target[r] = -1;
                continue;
            }
            if (target[r] != y[r] || target[r] < 0 || target[r] >= v) {
                throw new IllegalArgumentException("crossEntropy (fused): target " + y[r] + " at row " + r
                        + " is not a class index in [0, " + v + ") nor the ignore index " + ignoreIndex);
            }
            int at = r * v;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, x[at + j]);
            }
            double sum = 0;
            for (int j = 0; j < v; j++) {
                float e = (float) Math.exp(x[at + j] - max);
                p[at + j] = e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int j = 0; j < v; j++) {
                p[at + j] *= inv;
            }
            total += max + Math.log(sum) - x[at + target[r]];
            kept++;
        }
        int count = kept;
        Tensor out = Tensor.scalar((float) (total / count));   // 0 / 0 = NaN if every target is ignored
        return Autograd.customOp("crossEntropy", out, g -> {
            float scale = g.item() / count;
            float[] dx = new float[x.length];
            for (int r = 0; r < n; r++) {
                if (target[r] < 0) {
                    continue;
                }
                int at = r * v;
                for (int j = 0; j < v; j++) {
                    dx[at + j] = scale * p[at + j];
                }
                dx[at + target[r]] -= scale;
            }
            return new Tensor[] {Tensor.wrap(dx, n, v)};
        }, logits);
    }
}
