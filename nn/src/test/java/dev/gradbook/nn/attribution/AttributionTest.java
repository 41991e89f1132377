package dev.gradbook.nn.attribution;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.Tanh;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttributionTest {
    @Test
    void onALinearModelEachMethodHasItsClosedForm() {
        Linear lin = new Linear(3, 2, new Rng(1));
        Tensor x = Tensor.of(new float[] {0.5f, -2f, 1f}, 1, 3);
        Tensor base = Tensor.of(new float[] {0.1f, 0.2f, -0.3f}, 1, 3);
        float[] w = lin.weight.select(0, 1).toArray();
        float[] sal = new float[3];
        float[] gxi = new float[3];
        float[] ig = new float[3];
        for (int i = 0; i < 3; i++) {
            sal[i] = Math.abs(w[i]);
            gxi[i] = x.get(0, i) * w[i];
            ig[i] = (x.get(0, i) - base.get(0, i)) * w[i];
        }
        assertArrayEquals(sal, Attribution.saliency(lin, x, 1).data(), 1e-6f);
        assertArrayEquals(gxi, Attribution.gradientTimesInput(lin, x, 1).data(), 1e-6f);
        assertArrayEquals(ig, Attribution.integratedGradients(lin, x, base, 1, 3).data(), 1e-6f);
    }

    @Test
    void integratedGradientsAreCompleteForANonlinearModel() {
        MLP mlp = new MLP(new int[] {5, 8, 3}, Tanh::new, new Rng(2));
        Tensor x = Tensor.randn(new Rng(3), 1, 5);
        Tensor base = Tensor.zeros(1, 5);
        Tensor ig = Attribution.integratedGradients(mlp, x, base, 2, 64);
        // sum of attributions against f(x) - f(x') computed here from the model's output
        double expected = mlp.forward(x).get(0, 2) - mlp.forward(base).get(0, 2);
        double sum = ig.sum().item();
        assertTrue(Math.abs(sum - expected) < 0.01 * Math.abs(expected), sum + " vs " + expected);
        assertTrue(Attribution.completenessError(mlp, x, base, 2, ig) < 0.01);
        assertTrue(Attribution.completenessError(mlp, x, base, 2, Attribution.integratedGradients(mlp, x, base, 2, 1))
                >= Attribution.completenessError(mlp, x, base, 2, ig), "more steps, less error");
    }

    @Test
    void badArgumentsAreNamed() {
        Linear lin = new Linear(3, 2, new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> Attribution.saliency(lin, Tensor.zeros(2, 3), 0));
        assertThrows(IllegalArgumentException.class, () -> Attribution.saliency(lin, Tensor.zeros(1, 3), 5));
        assertThrows(IllegalArgumentException.class,
                () -> Attribution.integratedGradients(lin, Tensor.zeros(1, 3), Tensor.zeros(1, 4), 0, 8));
    }
}
