package dev.gradbook.nn;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BatchNorm1d and BatchNorm2d against loops over the (N, C, L) layout, in double. */
class BatchNormTest {

    /** Per-channel mean, biased and unbiased variance of x viewed as (n, c, l). */
    record Stats(double[] mean, double[] biasedVar, double[] unbiasedVar) {
        static Stats of(Tensor x, int c) {
            int n = x.size(0);
            int l = x.numel() / (n * c);
            float[] v = x.data();
            double[] mean = new double[c];
            double[] biased = new double[c];
            double[] unbiased = new double[c];
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < l; j++) {
                        s += v[(i * c + ch) * l + j];
                    }
                }
                mean[ch] = s / (n * l);
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < l; j++) {
                        double d = v[(i * c + ch) * l + j] - mean[ch];
                        ss += d * d;
                    }
                }
                biased[ch] = ss / (n * l);
                unbiased[ch] = ss / (n * l - 1);
            }
            return new Stats(mean, biased, unbiased);
        }
    }

    /** y = (x - mean_c) / sqrt(var_c + eps) * gamma_c + beta_c, with the given per-channel statistics. */
    static Tensor normaliseLoops(Tensor x, int c, double[] mean, double[] var, float eps, Tensor gamma, Tensor beta) {
        int n = x.size(0);
        int l = x.numel() / (n * c);
        float[] y = new float[x.numel()];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < l; j++) {
                    int at = (i * c + ch) * l + j;
                    y[at] = (float) ((x.data()[at] - mean[ch]) / Math.sqrt(var[ch] + eps) * gamma.get(ch) + beta.get(ch));
                }
            }
        }
        return Tensor.wrap(y, x.shape());
    }

    static void randomAffine(BatchNorm bn, Rng rng) {
        try (var noGrad = Autograd.noGrad()) {
            bn.weight.copyInPlace(Tensor.uniform(rng, 0.5f, 2f, bn.numFeatures));
            bn.bias.copyInPlace(Tensor.randn(rng, bn.numFeatures));
        }
    }

    @Test
    void trainingNormalisesWithTheBatchStatisticsForEveryLayout() {
        Rng rng = new Rng(1);
        BatchNorm[] layers = {new BatchNorm1d(3), new BatchNorm1d(3), new BatchNorm2d(3)};
        Tensor[] inputs = {Tensor.normal(rng, 2f, 3f, 8, 3), Tensor.normal(rng, -1f, 2f, 4, 3, 5),
                Tensor.normal(rng, 0.5f, 1.5f, 2, 3, 4, 3)};
        for (int k = 0; k < layers.length; k++) {
            BatchNorm bn = layers[k];
            randomAffine(bn, rng);
            Stats s = Stats.of(inputs[k], 3);
            Tensor y = bn.forward(inputs[k]);
            assertShape(y, inputs[k].shape());
            assertClose(normaliseLoops(inputs[k], 3, s.mean(), s.biasedVar(), bn.eps, bn.weight, bn.bias), y, 2e-5);
        }
    }

    @Test
    void runningStatisticsMoveByMomentumUsingTheUnbiasedVariance() {
        Rng rng = new Rng(2);
        BatchNorm1d bn = new BatchNorm1d(2);
        assertEquals(0.1f, bn.momentum);
        assertClose(Tensor.zeros(2), bn.runningMean, 0);
        assertClose(Tensor.ones(2), bn.runningVar, 0);

        double[] rm = {0, 0};
        double[] rv = {1, 1};
        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.normal(rng, 4f, 2f, 3, 2, 4); // 12 values per channel
            Stats s = Stats.of(x, 2);
            bn.forward(x);
            for (int c = 0; c < 2; c++) {
                rm[c] = 0.9 * rm[c] + 0.1 * s.mean()[c];
                rv[c] = 0.9 * rv[c] + 0.1 * s.unbiasedVar()[c];
            }
            assertValues(bn.runningMean, 1e-5, rm);
            assertValues(bn.runningVar, 1e-5, rv);
        }
    }

    @Test
    void runningVarianceByHand() {
        // one channel, batch [1, 3]: mean 2, unbiased variance ((1-2)^2 + (3-2)^2) / 1 = 2
        BatchNorm1d bn = new BatchNorm1d(1);
        bn.forward(Tensor.of(new float[][] {{1}, {3}}));
        assertValues(bn.runningMean, 1e-7, 0.2);
        assertValues(bn.runningVar, 1e-7, 0.9 + 0.2);
    }

    @Test
    void evalUsesTheRunningStatisticsAndDoesNotUpdateThem() {
        Rng rng = new Rng(3);
        BatchNorm2d bn = new BatchNorm2d(2);
        randomAffine(bn, rng);
        bn.forward(Tensor.normal(rng, 1f, 2f, 4, 2, 3, 3));
        bn.forward(Tensor.normal(rng, 1f, 2f, 4, 2, 3, 3));
        float[] rm = bn.runningMean.toArray();
        float[] rv = bn.runningVar.toArray();

        bn.eval();
        Tensor x = Tensor.randn(rng, 3, 2, 2, 2);
        Tensor y = bn.forward(x);
        double[] mean = {rm[0], rm[1]};
        double[] var = {rv[0], rv[1]};
        assertClose(normaliseLoops(x, 2, mean, var, bn.eps, bn.weight, bn.bias), y, 1e-5);
        assertValues(bn.runningMean, 0, rm);
        assertValues(bn.runningVar, 0, rv);

        // each example on its own gives the same answer as in the batch
        assertClose(y.narrow(0, 1, 1), bn.forward(x.narrow(0, 1, 1)), 1e-6);
    }

    @Test
    void evalWithFreshStatisticsIsAlmostTheIdentity() {
        BatchNorm1d bn = new BatchNorm1d(4);
        bn.eval();
        Tensor x = Tensor.randn(new Rng(4), 2, 4);
        assertClose(x.div((float) Math.sqrt(1 + 1e-5)), bn.forward(x), 1e-6);
    }

    @Test
    void runningStatisticsAreBuffersInTheStateDictButNotParameters() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertEquals(java.util.List.of("weight", "bias", "running_mean", "running_var"),
                java.util.List.copyOf(bn.stateDict().keySet()));
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(bn.namedParameters().keySet()));
        assertEquals(6, bn.parameterCount());
    }

    @Test
    void wrongInputShapesNameTheLayerAndTheShape() {
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 4)));
        assertTrue(channels.getMessage().contains("BatchNorm1d(3)") && channels.getMessage().contains("[2, 4]"),
                channels.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 5)));
        assertTrue(rank.getMessage().contains("BatchNorm2d(3)") && rank.getMessage().contains("[2, 3, 5]"),
                rank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(3)));
    }
}
