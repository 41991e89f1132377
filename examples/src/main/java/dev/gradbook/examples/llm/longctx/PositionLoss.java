package dev.gradbook.examples.llm.longctx;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.language.CharWindows;
import dev.gradbook.transformer.gpt.Gpt;

/**
 * The validation loss at each position of a window: {@code loss[t]} is the mean over windows of
 * {@code -log p(x_(t+1) | x_0..x_t)}, the cost of predicting the next character with {@code t + 1}
 * characters of context. A model that uses a longer context well has a curve that falls, or at
 * least stays flat, as {@code t} grows; one that breaks beyond its training length climbs there.
 */
public final class PositionLoss {
    private PositionLoss() {
    }

    /**
     * The per-position loss of {@code model} over {@code windows} windows of {@code length}
     * characters of {@code ids}, drawn from {@code Rng(seed)} (the same windows for every model
     * given the same seed and length), in batches of 16, without gradients.
     */
    public static double[] of(Gpt model, IntTensor ids, int length, int windows, long seed) {
        double[] sum = new double[length];
        Rng rng = new Rng(seed);
        model.eval();
        try (var ignored = Autograd.noGrad()) {
            for (int done = 0; done < windows; done += 16) {
                int b = Math.min(16, windows - done);
                IntTensor[] xy = CharWindows.sample(ids, b, length, rng);
                addLosses(model.forward(xy[0]), xy[1], sum);
            }
        }
        for (int t = 0; t < length; t++) {
            sum[t] /= windows;
        }
        return sum;
    }

    /** Adds {@code -log softmax(logits[b, t])[target]} to {@code sum[t]} for every row, in doubles. */
    private static void addLosses(Tensor logits, IntTensor targets, double[] sum) {
        int b = logits.size(0);
        int t = logits.size(1);
        int v = logits.size(2);
        float[] z = logits.data();
        int[] y = targets.data();
        for (int row = 0; row < b * t; row++) {
            int at = row * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, z[at + j]);
            }
            double norm = 0;
            for (int j = 0; j < v; j++) {
                norm += Math.exp(z[at + j] - max);
            }
            sum[row % t] += max + Math.log(norm) - z[at + y[row]];
        }
    }

    /** The mean of {@code loss[from..to)}. */
    public static double mean(double[] loss, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += loss[i];
        }
        return s / (to - from);
    }
}
