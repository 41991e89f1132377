package dev.gradbook.transformer.alignment;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceLogProbTest {
    @Test
    void sumsTheMaskedTokenLogProbabilities() {
        Rng rng = new Rng(1);
        int b = 2, t = 3, v = 4;
        Tensor logits = Tensor.randn(rng, b, t, v);
        int[][] ids = {{1, 3, 0}, {2, 2, 1}};
        float[][] mask = {{1, 1, 0}, {0, 1, 1}};
        Tensor out = SequenceLogProb.of(logits, IntTensor.of(new int[] {1, 3, 0, 2, 2, 1}, 2, 3), Tensor.of(mask));
        double[] expected = new double[b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                double z = 0;
                for (int k = 0; k < v; k++) {
                    z += Math.exp(logits.get(i, j, k));
                }
                double logp = logits.get(i, j, ids[i][j]) - Math.log(z);
                expected[i] += mask[i][j] * logp;
            }
        }
        assertValues(out, 1e-5, expected);
    }

    @Test
    void uniformLogitsGiveMinusCountTimesLogV() {
        Tensor out = SequenceLogProb.of(Tensor.zeros(1, 5, 8), IntTensor.zeros(1, 5), Tensor.of(new float[][] {{0, 1, 1, 1, 0}}));
        assertValues(out, 1e-6, -3 * Math.log(8));
    }

    @Test
    void gradientCheckAndShapeErrors() {
        Tensor logits = Tensor.randn(new Rng(2), 2, 3, 5).requiresGrad(true);
        IntTensor ids = IntTensor.of(new int[] {4, 0, 2, 1, 1, 3}, 2, 3);
        Tensor mask = Tensor.of(new float[][] {{1, 0, 1}, {1, 1, 1}});
        GradCheck.Report r = GradCheck.check(in -> SequenceLogProb.of(in[0], ids, mask), logits);
        assertTrue(r.passed(), r.toString());
        assertThrows(IllegalArgumentException.class, () -> SequenceLogProb.of(logits, IntTensor.zeros(2, 4), mask));
    }
}
