package dev.gradbook.nn.metrics;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GenerativeMetricsTest {
    @Test
    void inceptionScoreOfItsExtremesAndOfAWorkedExample() {
        assertEquals(1.0, InceptionScore.of(Tensor.full(0.25f, 6, 4)), 1e-9);          // no confidence
        assertEquals(4.0, InceptionScore.of(Tensor.eye(4)), 1e-9);                      // confident, all classes
        assertEquals(1.0, InceptionScore.of(Tensor.of(new float[][] {{1, 0}, {1, 0}})), 1e-9); // one class only
        // p(y|x) = (0.9, 0.1) and (0.2, 0.8): p(y) = (0.55, 0.45)
        double kl1 = 0.9 * Math.log(0.9 / 0.55) + 0.1 * Math.log(0.1 / 0.45);
        double kl2 = 0.2 * Math.log(0.2 / 0.55) + 0.8 * Math.log(0.8 / 0.45);
        assertEquals(Math.exp((kl1 + kl2) / 2), InceptionScore.of(Tensor.of(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}})), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(Tensor.zeros(3)));
    }

    private static FrechetDistance.Statistics gaussian(double[] mean, double[] cov) {
        return new FrechetDistance.Statistics(mean, cov);
    }

    @Test
    void frechetDistanceOfGaussiansWithKnownAnswers() {
        // diagonal covariances commute: d^2 = |mu1 - mu2|^2 + sum (s1 + s2 - 2 sqrt(s1 s2)) = |mu1 - mu2|^2 + sum (sqrt s1 - sqrt s2)^2
        var a = gaussian(new double[] {0, 1, 2}, new double[] {4, 0, 0, 0, 1, 0, 0, 0, 9});
        var b = gaussian(new double[] {1, 1, 0}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 4});
        assertEquals(1 + 4 + (1 + 0 + 1), FrechetDistance.between(a, b), 1e-4);
        assertEquals(0, FrechetDistance.between(a, a), 1e-4);
        // non-commuting 2 x 2: S1 = diag(4, 1), S2 = R diag(9, 1) R^T rotated 30 degrees. For 2 x 2 with
        // eigenvalues l1, l2 >= 0: Tr sqrt(M) = sqrt(l1) + sqrt(l2) = sqrt(Tr M + 2 sqrt(det M)), M = S1 S2
        double c = Math.cos(Math.PI / 6);
        double s = Math.sin(Math.PI / 6);
        double[] s2 = {9 * c * c + s * s, 8 * c * s, 8 * c * s, 9 * s * s + c * c};
        double[] s1 = {4, 0, 0, 1};
        double trM = 4 * s2[0] + s2[3];
        double detM = 4 * 9;
        double expected = (4 + 1) + (9 + 1) - 2 * Math.sqrt(trM + 2 * Math.sqrt(detM));
        assertEquals(expected, FrechetDistance.between(gaussian(new double[2], s1), gaussian(new double[2], s2)), 1e-4);
    }

    @Test
    void frechetDistanceFromSamplesApproachesThePopulationValue() {
        // N((0,0), I) against N((1,0), diag(4, 1)): 1 + (1 - 2)^2 = 2
        int n = 20_000;
        Tensor x = Tensor.randn(new Rng(1), n, 2);
        Tensor y = Tensor.randn(new Rng(2), n, 2).mul(Tensor.vector(2f, 1f)).add(Tensor.vector(1f, 0f));
        assertEquals(2.0, FrechetDistance.between(x, y), 0.1);
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(x, Tensor.zeros(5, 3)));
    }
}
