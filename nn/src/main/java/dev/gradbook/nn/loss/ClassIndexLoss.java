package dev.gradbook.nn.loss;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * The shared core of {@link Losses#crossEntropy} and {@link Losses#nll}: pick each target's
 * log-probability out of a {@code (N, C, ...)} tensor of log-probabilities, drop ignored
 * targets, mix in label smoothing, reduce.
 */
final class ClassIndexLoss {
    private ClassIndexLoss() {
    }

    /** Logits {@code (N, C, d...)} need targets {@code (N, d...)}; logits {@code (C)} need one target. */
    static void checkShapes(String op, Tensor scores, IntTensor target) {
        int[] s = scores.shape();
        if (s.length == 0) {
            throw new IllegalArgumentException(op + ": scores must have a class dimension, got a scalar");
        }
        int[] expected;
        if (s.length == 1) {
            expected = new int[0];
        } else {
            expected = new int[s.length - 1];
            expected[0] = s[0];
            System.arraycopy(s, 2, expected, 1, s.length - 2);
        }
        boolean ok = Arrays.equals(target.shape(), expected) || (s.length == 1 && target.numel() == 1);
        if (!ok) {
            throw new IllegalArgumentException(op + ": scores of shape " + Shape.format(s) + " (classes in dimension "
                    + (s.length == 1 ? 0 : 1) + ") need class indices of shape " + Shape.format(expected) + ", got "
                    + Shape.format(target.shape()));
        }
    }

    /**
     * {@code loss_n = -(1 - eps) logProbs[n, y_n] - (eps / C) sum_c logProbs[n, c]} for every kept
     * target {@code n}, reduced. The shapes must already have passed {@link #checkShapes}.
     */
    static Tensor negativeLogLikelihood(String op, Tensor logProbs, IntTensor target, CrossEntropyOptions options) {
        int classes = logProbs.dim() == 1 ? logProbs.size(0) : logProbs.size(1);
        Tensor rows = toRows(logProbs);                                 // (M, C), M = N * d1 * ...
        int m = rows.size(0);

        int[] t = target.data();
        int[] index = new int[m];   // where to read each row; 0 for ignored rows, masked below
        float[] keep = new float[m];
        int kept = 0;
        for (int i = 0; i < m; i++) {
            int y = t[i];
            if (y == options.ignoreIndex()) {
                continue;
            }
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException(op + ": target index " + y + " out of range [0, " + classes
                        + ") at flat position " + i + " (nor the ignore index " + options.ignoreIndex() + ")");
            }
            index[i] = y;
            keep[i] = 1f;
            kept++;
        }

        Tensor picked = rows.gather(1, IntTensor.wrap(index, m, 1)).reshape(m);   // ln p[n, y_n], (M)
        float eps = options.labelSmoothing();
        Tensor perTarget = eps == 0 ? picked.neg() : picked.mul(-(1 - eps));
        if (eps > 0) {
            perTarget = perTarget.sub(rows.sum(1).mul(eps / classes));          // uniform part, (M)
        }
        if (kept < m) {
            perTarget = perTarget.mul(Tensor.wrap(keep, m));
        }
        return switch (options.reduction()) {
            case NONE -> perTarget.reshape(target.shape());
            case SUM -> perTarget.sum();
            case MEAN -> perTarget.sum().div(kept);   // 0 / 0 = NaN when every target is ignored, as in PyTorch
        };
    }

    /** {@code (C) -> (1, C)}, {@code (N, C) -> (N, C)}, {@code (N, C, d1, ...) -> (N * d1 * ..., C)}. */
    private static Tensor toRows(Tensor scores) {
        int k = scores.dim();
        if (k == 1) {
            return scores.reshape(1, -1);
        }
        if (k == 2) {
            return scores;
        }
        int[] classLast = new int[k];
        classLast[0] = 0;
        for (int d = 2; d < k; d++) {
            classLast[d - 1] = d;
        }
        classLast[k - 1] = 1;
        return scores.permute(classLast).reshape(-1, scores.size(1));   // (N, d1, ..., C) -> (M, C)
    }
}
