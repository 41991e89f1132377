package dev.gradbook.nn.loss;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-entropy and NLL against a plain double loop written here from the definition
 * {@code loss_n = -(1 - eps) ln p[n, y_n] - (eps / C) sum_c ln p[n, c]}, mean over kept targets.
 */
class CrossEntropyTest {
    private static final float[][] LOGITS = {
            {2.0f, 1.0f, 0.1f, -1.0f},
            {0.5f, 2.5f, -0.3f, 0.0f},
            {-1.2f, 0.4f, 0.4f, 3.0f}};

    /** ln softmax of one row, in double. */
    private static double[] logSoftmax(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[row.length];
        for (int c = 0; c < row.length; c++) {
            out[c] = row[c] - lse;
        }
        return out;
    }

    /** Per-row losses (0 where ignored) from the definition. */
    private static double[] reference(float[][] logits, int[] target, int ignore, double eps) {
        double[] out = new double[logits.length];
        for (int n = 0; n < logits.length; n++) {
            if (target[n] == ignore) {
                continue;
            }
            double[] lp = logSoftmax(logits[n]);
            double uniform = 0;
            for (double v : lp) {
                uniform -= v / lp.length;
            }
            out[n] = -(1 - eps) * lp[target[n]] + eps * uniform;
        }
        return out;
    }

    private static double meanOverKept(double[] perRow, int[] target, int ignore) {
        double sum = 0;
        int kept = 0;
        for (int n = 0; n < perRow.length; n++) {
            if (target[n] != ignore) {
                sum += perRow[n];
                kept++;
            }
        }
        return sum / kept;
    }

    private static IntTensor indices(int... t) {
        return IntTensor.vector(t);
    }

    @Test
    void plainMeanSumAndNone() {
        int[] t = {0, 1, 3};
        double[] rows = reference(LOGITS, t, -100, 0);
        Tensor logits = Tensor.of(LOGITS);
        assertValues(Losses.crossEntropy(logits, indices(t)), 1e-6, meanOverKept(rows, t, -100));
        assertValues(Losses.crossEntropy(logits, indices(t), CrossEntropyOptions.of(Reduction.SUM)), 1e-6,
                rows[0] + rows[1] + rows[2]);
        Tensor none = Losses.crossEntropy(logits, indices(t), CrossEntropyOptions.of(Reduction.NONE));
        assertShape(none, 3);
        assertValues(none, 1e-6, rows);
        assertValues(new CrossEntropyLoss().forward(logits, indices(t)), 1e-6, meanOverKept(rows, t, -100));
    }

    @Test
    void ignoredTargetsDropOutOfTheMean() {
        int[] t = {1, -100, 3};
        double[] rows = reference(LOGITS, t, -100, 0);
        assertValues(Losses.crossEntropy(Tensor.of(LOGITS), indices(t)), 1e-6, (rows[0] + rows[2]) / 2);
        // a real class can be the ignore index too (padding token 0)
        int[] t2 = {0, 2, 0};
        double[] rows2 = reference(LOGITS, t2, 0, 0);
        Tensor loss = Losses.crossEntropy(Tensor.of(LOGITS), indices(t2), CrossEntropyOptions.ignoring(0));
        assertValues(loss, 1e-6, rows2[1]);
        Tensor none = Losses.crossEntropy(Tensor.of(LOGITS), indices(t2),
                new CrossEntropyOptions(Reduction.NONE, 0, 0f));
        assertValues(none, 1e-6, 0, rows2[1], 0);
    }

    @Test
    void labelSmoothingMixesInTheUniformDistribution() {
        int[] t = {0, 1, 3};
        double eps = 0.1;
        double[] rows = reference(LOGITS, t, -100, eps);
        assertValues(Losses.crossEntropy(Tensor.of(LOGITS), indices(t), CrossEntropyOptions.smoothed(0.1f)), 1e-6,
                meanOverKept(rows, t, -100));
        // by hand for row 0: the smoothed target is (0.925, 0.025, 0.025, 0.025)
        double[] lp = logSoftmax(LOGITS[0]);
        double byHand = -(0.925 * lp[0] + 0.025 * (lp[1] + lp[2] + lp[3]));
        Tensor none = Losses.crossEntropy(Tensor.of(LOGITS), indices(t),
                new CrossEntropyOptions(Reduction.NONE, -100, 0.1f));
        assertValues(none.narrow(0, 0, 1), 1e-6, byHand);
    }

    @Test
    void smoothingAndIgnoreTogether() {
        int[] t = {2, -1, 1};
        double[] rows = reference(LOGITS, t, -1, 0.2);
        Tensor loss = Losses.crossEntropy(Tensor.of(LOGITS), indices(t), new CrossEntropyOptions(Reduction.MEAN, -1, 0.2f));
        assertValues(loss, 1e-6, (rows[0] + rows[2]) / 2);
    }

    @Test
    void everyTargetIgnoredIsNaNLikePyTorch() {
        Tensor loss = Losses.crossEntropy(Tensor.of(LOGITS), indices(-100, -100, -100));
        assertTrue(Float.isNaN(loss.item()));
    }

    @Test
    void spatialTargetsPerPosition() {
        // logits (N=2, C=3, d=4), target (2, 4): class scores of position (n, j) are logits[n, :, j]
        Rng rng = new Rng(7);
        Tensor logits = Tensor.randn(rng, 2, 3, 4);
        int[] t = {0, 2, 1, -100, 2, 2, 0, 1};
        float[][] rows = new float[8][3];
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 4; j++) {
                for (int c = 0; c < 3; c++) {
                    rows[n * 4 + j][c] = logits.get(n, c, j);
                }
            }
        }
        double[] per = reference(rows, t, -100, 0.05);
        IntTensor target = indices(t).reshape(2, 4);
        Tensor none = Losses.crossEntropy(logits, target, new CrossEntropyOptions(Reduction.NONE, -100, 0.05f));
        assertShape(none, 2, 4);
        assertValues(none, 1e-5, per);
        assertValues(Losses.crossEntropy(logits, target, CrossEntropyOptions.smoothed(0.05f)), 1e-5,
                meanOverKept(per, t, -100));
    }

    @Test
    void unbatchedLogits() {
        double[] rows = reference(new float[][] {LOGITS[1]}, new int[] {2}, -100, 0);
        assertValues(Losses.crossEntropy(Tensor.vector(LOGITS[1]), IntTensor.scalar(2)), 1e-6, rows[0]);
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverN() {
        int[] t = {0, -100, 3};
        Tensor logits = Tensor.of(LOGITS).requiresGrad(true);
        Losses.crossEntropy(logits, indices(t)).backward();
        double[] expected = new double[12];
        for (int n = 0; n < 3; n++) {
            if (t[n] == -100) {
                continue;                      // ignored rows get no gradient
            }
            double[] lp = logSoftmax(LOGITS[n]);
            for (int c = 0; c < 4; c++) {
                expected[n * 4 + c] = (Math.exp(lp[c]) - (c == t[n] ? 1 : 0)) / 2;   // 2 kept targets
            }
        }
        assertValues(logits.grad(), 1e-6, expected);
    }

    @Test
    void nllOnLogProbabilities() {
        // log-probabilities given directly: the loss is minus the picked entries, averaged
        Tensor logProbs = Tensor.of(new float[][] {{-0.1f, -2.5f, -3f}, {-1.2f, -0.4f, -2f}});
        assertValues(Losses.nll(logProbs, indices(0, 2)), 1e-6, (0.1 + 2.0) / 2);
        assertValues(Losses.nll(logProbs, indices(0, 2), Reduction.SUM, 2), 1e-6, 0.1);
        // crossEntropy(x) == nll(logSoftmax(x))
        Tensor logits = Tensor.of(LOGITS);
        IntTensor target = indices(3, 0, 2);
        assertValues(Losses.nll(logits.logSoftmax(1), target), 1e-6, Losses.crossEntropy(logits, target).item());
    }

    @Test
    void badTargetsAreClearErrors() {
        Tensor logits = Tensor.of(LOGITS);
        var outOfRange = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits, indices(0, 4, 1)));
        assertTrue(outOfRange.getMessage().contains("crossEntropy") && outOfRange.getMessage().contains("[0, 4)"),
                outOfRange.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.vector(0f, 1.5f, 1f).toIntTensor());
        var shape = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits, IntTensor.zeros(3, 1)));
        assertTrue(shape.getMessage().contains("[3, 4]") && shape.getMessage().contains("[3, 1]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.smoothed(1.5f));
    }
}
