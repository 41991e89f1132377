package dev.gradbook.transformer.alignment;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceKlTest {
    @Test
    void sumsTheMaskedPerPositionKlInDoubles() {
        Rng rng = new Rng(5);
        Tensor p = Tensor.randn(rng, 2, 3, 4);
        Tensor q = Tensor.randn(rng, 2, 3, 4);
        float[][] mask = {{1, 0, 1}, {0, 1, 1}};
        double[] expected = new double[2];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                double zp = 0;
                double zq = 0;
                for (int v = 0; v < 4; v++) {
                    zp += Math.exp(p.get(b, t, v));
                    zq += Math.exp(q.get(b, t, v));
                }
                double kl = 0;
                for (int v = 0; v < 4; v++) {
                    double pv = Math.exp(p.get(b, t, v)) / zp;
                    double qv = Math.exp(q.get(b, t, v)) / zq;
                    kl += pv * Math.log(pv / qv);
                }
                expected[b] += mask[b][t] * kl;
            }
        }
        assertValues(SequenceKl.of(p, q, Tensor.of(mask)), 1e-5, expected);
        assertValues(SequenceKl.of(p, p, Tensor.of(mask)), 1e-6, 0, 0);
    }

    @Test
    void gradientCheckAndShapeErrors() {
        Rng rng = new Rng(6);
        Tensor p = Tensor.randn(rng, 2, 3, 5).requiresGrad(true);
        Tensor q = Tensor.randn(rng, 2, 3, 5);
        Tensor mask = Tensor.of(new float[][] {{1, 1, 0}, {1, 0, 1}});
        GradCheck.Report r = GradCheck.check(in -> SequenceKl.of(in[0], q, mask), p);
        assertTrue(r.passed(), r.toString());
        assertThrows(IllegalArgumentException.class, () -> SequenceKl.of(p, Tensor.zeros(2, 3, 4), mask));
    }
}
