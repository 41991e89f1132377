package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.gradbook.nn.optim.OptimizerHarness.C;
import static dev.gradbook.nn.optim.OptimizerHarness.P0;
import static dev.gradbook.nn.optim.OptimizerHarness.QUADRATIC;
import static dev.gradbook.nn.optim.OptimizerHarness.assertTrajectory;
import static dev.gradbook.nn.optim.OptimizerHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SGD's first steps on L = 1/2 sum c p^2 with p0 = (1, -2, 0.5), c = (1, 0.5, 4), so g = c p. */
class SgdTest {

    @Test
    void plainStepsByHand() {
        // p <- p - 0.1 c p = p (1 - 0.1 c):  (0.9, -1.9, 0.3), then (0.81, -1.805, 0.18)
        double[][] expected = {{0.9, -1.9, 0.3}, {0.81, -1.805, 0.18}};
        assertTrajectory(expected, run(ps -> new SGD(ps, 0.1f), QUADRATIC, 2), 1e-6);
    }

    @Test
    void momentumByHand() {
        // step 1: b = g0 = (1, -1, 2), p1 = (0.9, -1.9, 0.3)
        // step 2: g1 = (0.9, -0.95, 1.2), b = 0.9 b + g1 = (1.8, -1.85, 3.0), p2 = p1 - 0.1 b = (0.72, -1.715, 0.0)
        // step 3: g2 = (0.72, -0.8575, 0), b = (2.34, -2.5225, 2.7), p3 = (0.486, -1.46275, -0.27)
        double[][] expected = {{0.9, -1.9, 0.3}, {0.72, -1.715, 0.0}, {0.486, -1.46275, -0.27}};
        assertTrajectory(expected, run(ps -> new SGD(ps, SGD.Config.withMomentum(0.1f, 0.9f)), QUADRATIC, 3), 1e-6);
    }

    @Test
    void nesterovByHand() {
        // step 1: b = g0 = (1, -1, 2), step direction g0 + 0.9 b = 1.9 g0, p1 = p0 - 0.19 g0 = (0.81, -1.81, 0.12)
        // step 2: g1 = (0.81, -0.905, 0.48), b = 0.9 g0 + g1 = (1.71, -1.805, 2.28),
        //         direction g1 + 0.9 b = (2.349, -2.5295, 2.532), p2 = p1 - 0.1 d = (0.5751, -1.55705, -0.1332)
        double[][] expected = {{0.81, -1.81, 0.12}, {0.5751, -1.55705, -0.1332}};
        SGD.Config nesterov = SGD.Config.defaults().withLr(0.1f).withMomentum(0.9f).withNesterov(true);
        assertTrajectory(expected, run(ps -> new SGD(ps, nesterov), QUADRATIC, 2), 1e-6);
    }

    @Test
    void weightDecayDampeningAndMomentumFollowThePyTorchAlgorithm() {
        double lr = 0.05;
        double mu = 0.8;
        double tau = 0.3;
        double lambda = 0.1;
        double[] p = P0.clone();
        double[] b = new double[3];
        double[][] expected = new double[3][];
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 3; i++) {
                double g = C[i] * p[i] + lambda * p[i];
                b[i] = t == 1 ? g : mu * b[i] + (1 - tau) * g;    // the first step copies g into the buffer
                p[i] -= lr * b[i];
            }
            expected[t - 1] = p.clone();
        }
        SGD.Config config = SGD.Config.defaults().withLr((float) lr).withMomentum((float) mu).withDampening((float) tau).withWeightDecay((float) lambda);
        assertTrajectory(expected, run(ps -> new SGD(ps, config), QUADRATIC, 3), 1e-6);
    }

    @Test
    void weightDecayAloneIsAnL2Gradient() {
        // g + 0.5 p = (c + 0.5) p, so p1 = p0 (1 - 0.1 (c + 0.5)) = (0.85, -1.8, 0.275)
        SGD.Config config = SGD.Config.defaults().withLr(0.1f).withWeightDecay(0.5f);
        assertTrajectory(new double[][] {{0.85, -1.8, 0.275}}, run(ps -> new SGD(ps, config), QUADRATIC, 1), 1e-6);
    }

    @Test
    void invalidConfigurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SGD.Config.defaults().withLr(0.1f).withNesterov(true));
        assertThrows(IllegalArgumentException.class, () -> SGD.Config.defaults().withLr(0.1f).withMomentum(0.9f).withDampening(0.1f).withNesterov(true));
        assertThrows(IllegalArgumentException.class, () -> SGD.Config.defaults().withLr(0.1f).withMomentum(1.5f));
    }

    @Test
    void aStepBetweenForwardAndBackwardMakesBackwardThrow() {
        // the loss saved w as it was; after the step its backward would read the new w
        Tensor w = Tensor.vector(1, -2).requiresGrad(true);
        Tensor x = Tensor.vector(3, 4).requiresGrad(true);
        SGD sgd = new SGD(Map.of("w", w), 0.1f);
        w.mul(x).sum().backward();
        Tensor loss = w.mul(x).sum();
        sgd.step();
        assertEquals(0.7f, w.data()[0], 1e-6f, "the step itself works under noGrad");
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("'mul'"), e.getMessage());
    }
}
