package dev.gradbook.nn.loss;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regression, binary and KL losses against values computed by hand or with double loops here. */
class LossesTest {
    private static final Tensor X = Tensor.of(new float[][] {{1, 2}, {3, 4}});
    private static final Tensor Y = Tensor.of(new float[][] {{0.5f, 2.5f}, {3, 5}});   // x - y = .5, -.5, 0, -1

    @Test
    void mseByHand() {
        // squares: 0.25, 0.25, 0, 1
        assertValues(Losses.mse(X, Y), 1e-6, 0.375);
        assertValues(Losses.mse(X, Y, Reduction.SUM), 1e-6, 1.5);
        Tensor none = Losses.mse(X, Y, Reduction.NONE);
        assertShape(none, 2, 2);
        assertValues(none, 1e-6, 0.25, 0.25, 0, 1);
        assertValues(new MSELoss().forward(X, Y), 1e-6, 0.375);
    }

    @Test
    void l1ByHand() {
        assertValues(Losses.l1(X, Y), 1e-6, 0.5);      // (0.5 + 0.5 + 0 + 1) / 4
        assertValues(Losses.l1(X, Y, Reduction.SUM), 1e-6, 2.0);
    }

    @Test
    void huberIsQuadraticInsideAndLinearOutside() {
        Tensor d = Tensor.vector(0.5f, -2f, 1f, 3f);
        Tensor zero = Tensor.zeros(4);
        // delta = 1: 0.5^2/2 = 0.125; 1*(2 - 0.5) = 1.5; at the seam 0.5 either way; 1*(3 - 0.5) = 2.5
        assertValues(Losses.huber(d, zero, 1f, Reduction.NONE), 1e-6, 0.125, 1.5, 0.5, 2.5);
        assertValues(Losses.huber(d, zero, 1f), 1e-6, 4.625 / 4);
        // delta = 2.5: only |3| is outside: 2.5 * (3 - 1.25) = 4.375
        assertValues(Losses.huber(d, zero, 2.5f, Reduction.NONE), 1e-6, 0.125, 2.0, 0.5, 4.375);
        assertThrows(IllegalArgumentException.class, () -> Losses.huber(d, zero, 0f));
    }

    @Test
    void binaryCrossEntropyClampsTheLogAtMinus100() {
        float[] p = {0.9f, 0.2f, 0.5f, 0f, 1f, 0.7f};
        float[] y = {1f, 0f, 1f, 1f, 0f, 0.3f};
        double[] expected = new double[p.length];
        double mean = 0;
        for (int i = 0; i < p.length; i++) {
            double logP = Math.max(Math.log(p[i]), -100);
            double logNotP = Math.max(Math.log(1 - (double) p[i]), -100);
            expected[i] = -(y[i] * logP + (1 - y[i]) * logNotP);
            mean += expected[i] / p.length;
        }
        assertEquals(100.0, expected[3]);   // p = 0 for a positive costs exactly 100, not infinity
        Tensor probs = Tensor.vector(p);
        Tensor targets = Tensor.vector(y);
        assertValues(Losses.binaryCrossEntropy(probs, targets, Reduction.NONE), 1e-5, expected);
        assertValues(Losses.binaryCrossEntropy(probs, targets), 1e-5, mean);
    }

    @Test
    void binaryCrossEntropyGradientStaysFiniteWhenSaturated() {
        Tensor p = Tensor.vector(0f, 0.25f).requiresGrad(true);
        Losses.binaryCrossEntropy(p, Tensor.vector(1f, 1f), Reduction.SUM).backward();
        // d/dp -ln p = -1/p, bounded by 1/max(p, 1e-12) at p = 0
        assertValues(p.grad(), 1e-5, -1e12, -4.0);
    }

    @Test
    void binaryCrossEntropyRejectsValuesOutsideZeroOne() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Losses.binaryCrossEntropy(Tensor.vector(0.5f, 1.5f), Tensor.vector(1f, 0f)));
        assertTrue(e.getMessage().contains("binaryCrossEntropy") && e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void binaryCrossEntropyWithLogitsIsStableAtHundred() {
        float[] x = {-100f, -3f, 0f, 2.5f, 100f, 100f, -100f};
        float[] y = {1f, 0f, 0.5f, 1f, 0f, 1f, 0f};
        // by hand at |x| = 100: sigmoid(100) = 1 - 3.7e-44, so a wrong label costs 100 and a right one ~0;
        // elsewhere the textbook formula in double, -(y ln s + (1 - y) ln(1 - s))
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 1 / (1 + Math.exp(-x[i]));
            expected[i] = Math.abs(x[i]) == 100f ? (y[i] == (x[i] > 0 ? 1 : 0) ? 0 : 100)
                    : -(y[i] * Math.log(s) + (1 - y[i]) * Math.log(1 - s));
        }
        Tensor logits = Tensor.vector(x).requiresGrad(true);
        Tensor loss = Losses.binaryCrossEntropyWithLogits(logits, Tensor.vector(y), Reduction.NONE);
        assertValues(loss, 1e-6, expected);
        assertTrue(!loss.hasNonFinite());

        // gradient of the mean: (sigmoid(x) - y) / N, including the exact kink-free value 1/2 - y at x = 0
        Losses.binaryCrossEntropyWithLogits(logits, Tensor.vector(y)).backward();
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            grad[i] = (1 / (1 + Math.exp(-x[i])) - y[i]) / x.length;
        }
        assertValues(logits.grad(), 1e-6, grad);
    }

    @Test
    void withLogitsAgreesWithSigmoidThenBce() {
        Tensor x = Tensor.vector(-2f, -0.5f, 0.3f, 1.7f);
        Tensor y = Tensor.vector(0f, 1f, 0.25f, 1f);
        float a = Losses.binaryCrossEntropyWithLogits(x, y).item();
        float b = Losses.binaryCrossEntropy(x.sigmoid(), y).item();
        assertEquals(b, a, 1e-6);
    }

    @Test
    void klDivByLoops() {
        // rows: P = (0.5, 0.5, 0), (0.1, 0.6, 0.3); Q = (0.25, 0.25, 0.5), (0.2, 0.2, 0.6)
        double[][] p = {{0.5, 0.5, 0}, {0.1, 0.6, 0.3}};
        double[][] q = {{0.25, 0.25, 0.5}, {0.2, 0.2, 0.6}};
        float[] logQ = new float[6];
        float[] pf = new float[6];
        double[] pointwise = new double[6];
        double total = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                logQ[i * 3 + j] = (float) Math.log(q[i][j]);
                pf[i * 3 + j] = (float) p[i][j];
                pointwise[i * 3 + j] = p[i][j] == 0 ? 0 : p[i][j] * Math.log(p[i][j] / q[i][j]);
                total += pointwise[i * 3 + j];
            }
        }
        Tensor input = Tensor.wrap(logQ, 2, 3);
        Tensor target = Tensor.wrap(pf, 2, 3);
        assertValues(Losses.klDiv(input, target, Reduction.NONE), 1e-6, pointwise);
        assertValues(Losses.klDiv(input, target, Reduction.SUM), 1e-6, total);
        assertValues(Losses.klDiv(input, target, Reduction.MEAN), 1e-6, total / 6);
        assertValues(Losses.klDivBatchMean(input, target), 1e-6, total / 2);
        // row 0 by hand: 2 * 0.5 ln(0.5 / 0.25) = ln 2, and the P = 0 entry adds nothing
        assertEquals(Math.log(2), pointwise[0] + pointwise[1], 1e-12);
    }

    @Test
    void klDivOfADistributionWithItselfIsZero() {
        Tensor logits = Tensor.vector(0.3f, -1f, 2f).reshape(1, 3);
        Tensor kl = Losses.klDivBatchMean(logits.logSoftmax(1), logits.softmax(1));
        assertValues(kl, 1e-6, 0.0);
    }

    @Test
    void shapesMustMatchExactly() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Losses.mse(Tensor.zeros(4, 1), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("mse") && e.getMessage().contains("[4, 1]")
                && e.getMessage().contains("[4]"), e.getMessage());
    }
}
