package dev.gradbook.nn.loss;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillationLossTest {
    @Test
    void softLossMatchesTheFormulaInDoubles() {
        float[][] s = {{1f, -0.5f, 2f}, {0.3f, 0.1f, -1f}};
        float[][] t = {{3f, 0f, 1f}, {-2f, 0.5f, 0.5f}};
        double temp = 2.5;
        double expected = 0;
        for (int b = 0; b < 2; b++) {
            double[] p = softmax(t[b], temp);
            double[] q = softmax(s[b], temp);
            for (int i = 0; i < 3; i++) {
                expected += p[i] * (Math.log(p[i]) - Math.log(q[i]));
            }
        }
        expected = expected / 2 * temp * temp;
        assertEquals(expected, DistillationLoss.soft(Tensor.of(s), Tensor.of(t), (float) temp).item(), 1e-5);
    }

    @Test
    void zeroWhenTheStudentMatchesTheTeacher() {
        Tensor z = Tensor.randn(new Rng(1), 4, 5);
        assertEquals(0.0, DistillationLoss.soft(z, z.copy(), 3f).item(), 1e-6);
    }

    @Test
    void combinedAtAlphaZeroIsCrossEntropy() {
        Tensor s = Tensor.randn(new Rng(2), 3, 4);
        IntTensor y = IntTensor.vector(0, 3, 1);
        assertEquals(Losses.crossEntropy(s, y).item(),
                DistillationLoss.combined(s, Tensor.randn(new Rng(3), 3, 4), y, 4f, 0f).item(), 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndSkipTheTeacher() {
        Tensor s = Tensor.randn(new Rng(4), 3, 4).requiresGrad(true);
        Tensor t = Tensor.randn(new Rng(5), 3, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> DistillationLoss.soft(in[0], t, 2f), s);
        assertTrue(r.passed(), r.toString());
        DistillationLoss.soft(s, t, 2f).backward();
        assertTrue(t.grad() == null || t.grad().abs().sum().item() == 0, "the teacher is a constant");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> DistillationLoss.soft(Tensor.zeros(2, 3), Tensor.zeros(2, 4), 1f));
        assertThrows(IllegalArgumentException.class, () -> DistillationLoss.soft(Tensor.zeros(2, 3), Tensor.zeros(2, 3), 0f));
    }

    private static double[] softmax(float[] z, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v / temp);
        }
        double sum = 0;
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = Math.exp(z[i] / temp - max);
            sum += out[i];
        }
        for (int i = 0; i < z.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
