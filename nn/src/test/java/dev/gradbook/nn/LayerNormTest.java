package dev.gradbook.nn;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LayerNorm against per-row loops in double. */
class LayerNormTest {

    /** y = (x - mean) / sqrt(var + eps) * gamma + beta per row of length c, var biased (divide by c). */
    static float[] layerNormLoops(float[] x, int c, float eps, float[] gamma, float[] beta) {
        float[] y = new float[x.length];
        for (int r = 0; r < x.length / c; r++) {
            double mean = 0;
            for (int k = 0; k < c; k++) {
                mean += x[r * c + k];
            }
            mean /= c;
            double var = 0;
            for (int k = 0; k < c; k++) {
                double d = x[r * c + k] - mean;
                var += d * d;
            }
            var /= c;
            for (int k = 0; k < c; k++) {
                double n = (x[r * c + k] - mean) / Math.sqrt(var + eps);
                y[r * c + k] = (float) (gamma == null ? n : n * gamma[k] + beta[k]);
            }
        }
        return y;
    }

    @Test
    void layerNormMatchesTheLoopsWithAffine() {
        Rng rng = new Rng(1);
        LayerNorm ln = new LayerNorm(6);
        try (var noGrad = Autograd.noGrad()) {
            ln.weight.copyInPlace(Tensor.uniform(rng, 0.5f, 2f, 6));
            ln.bias.copyInPlace(Tensor.randn(rng, 6));
        }
        Tensor x = Tensor.normal(rng, 3f, 2f, 2, 3, 6);
        Tensor y = ln.forward(x);
        assertShape(y, 2, 3, 6);
        assertClose(Tensor.wrap(layerNormLoops(x.data(), 6, 1e-5f, ln.weight.data(), ln.bias.data()), 2, 3, 6), y, 1e-5);
    }

    @Test
    void layerNormWithoutAffineHasNoParametersAndGivesZeroMeanUnitVariance() {
        LayerNorm ln = new LayerNorm(4, 1e-5f, false);
        assertNull(ln.weight);
        assertEquals(0, ln.parameterCount());
        // row [1, 2, 3, 4]: mean 2.5, biased variance 1.25
        Tensor y = ln.forward(Tensor.of(new float[][] {{1, 2, 3, 4}}));
        double s = Math.sqrt(1.25 + 1e-5);
        assertClose(Tensor.of(new float[][] {{(float) (-1.5 / s), (float) (-0.5 / s), (float) (0.5 / s),
                (float) (1.5 / s)}}), y, 1e-6);
        Tensor x = Tensor.randn(new Rng(2), 5, 4);
        assertClose(Tensor.wrap(layerNormLoops(x.data(), 4, 1e-5f, null, null), 5, 4), ln.forward(x), 1e-5);
    }

    @Test
    void layerNormStartsAsPureNormalisation() {
        LayerNorm ln = new LayerNorm(3);
        assertClose(Tensor.ones(3), ln.weight, 0);
        assertClose(Tensor.zeros(3), ln.bias, 0);
        assertEquals(6, ln.parameterCount());
        // a constant row has zero variance: the output is 0, not NaN, thanks to eps
        assertClose(Tensor.zeros(1, 3), ln.forward(Tensor.full(7f, 1, 3)), 0);
    }

    @Test
    void layerNormIsTheSameInTrainingAndEval() {
        LayerNorm ln = new LayerNorm(5);
        Tensor x = Tensor.randn(new Rng(3), 2, 5);
        Tensor train = ln.forward(x);
        ln.eval();
        assertClose(train, ln.forward(x), 0);
    }

    @Test
    void wrongWidthNamesTheLayerAndTheShape() {
        IllegalArgumentException ln = assertThrows(IllegalArgumentException.class,
                () -> new LayerNorm(4).forward(Tensor.zeros(2, 3)));
        assertTrue(ln.getMessage().contains("LayerNorm(4)") && ln.getMessage().contains("[2, 3]"), ln.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm(1).forward(Tensor.scalar(1f)));
    }
}
