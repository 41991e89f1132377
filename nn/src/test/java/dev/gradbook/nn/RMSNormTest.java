package dev.gradbook.nn;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RMSNorm against per-row loops in double. */
class RMSNormTest {

    /** y = x / sqrt(mean(x^2) + eps) * gamma per row of length c. */
    static float[] rmsNormLoops(float[] x, int c, float eps, float[] gamma) {
        float[] y = new float[x.length];
        for (int r = 0; r < x.length / c; r++) {
            double ms = 0;
            for (int k = 0; k < c; k++) {
                ms += (double) x[r * c + k] * x[r * c + k];
            }
            double rms = Math.sqrt(ms / c + eps);
            for (int k = 0; k < c; k++) {
                y[r * c + k] = (float) (x[r * c + k] / rms * gamma[k]);
            }
        }
        return y;
    }

    @Test
    void rmsNormMatchesTheLoops() {
        Rng rng = new Rng(4);
        RMSNorm norm = new RMSNorm(5);
        assertClose(Tensor.ones(5), norm.weight, 0);
        try (var noGrad = Autograd.noGrad()) {
            norm.weight.copyInPlace(Tensor.uniform(rng, 0.5f, 2f, 5));
        }
        Tensor x = Tensor.normal(rng, 1f, 3f, 3, 2, 5);
        Tensor y = norm.forward(x);
        assertShape(y, 3, 2, 5);
        assertClose(Tensor.wrap(rmsNormLoops(x.data(), 5, 1e-6f, norm.weight.data()), 3, 2, 5), y, 1e-5);
    }

    @Test
    void rmsNormByHand() {
        // [3, 4]: mean of squares 12.5, so y = [3, 4] / sqrt(12.5 + eps)
        RMSNorm norm = new RMSNorm(2, 0f);
        double rms = Math.sqrt(12.5);
        assertClose(Tensor.vector((float) (3 / rms), (float) (4 / rms)), norm.forward(Tensor.vector(3, 4)), 1e-6);
    }

    @Test
    void wrongWidthNamesTheLayerAndTheShape() {
        IllegalArgumentException rms = assertThrows(IllegalArgumentException.class,
                () -> new RMSNorm(4).forward(Tensor.zeros(3, 2, 5)));
        assertTrue(rms.getMessage().contains("RMSNorm(4)") && rms.getMessage().contains("[3, 2, 5]"), rms.getMessage());
    }
}
