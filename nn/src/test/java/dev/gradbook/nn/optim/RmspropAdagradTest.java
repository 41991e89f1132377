package dev.gradbook.nn.optim;

import org.junit.jupiter.api.Test;

import static dev.gradbook.nn.optim.OptimizerHarness.C;
import static dev.gradbook.nn.optim.OptimizerHarness.P0;
import static dev.gradbook.nn.optim.OptimizerHarness.QUADRATIC;
import static dev.gradbook.nn.optim.OptimizerHarness.assertTrajectory;
import static dev.gradbook.nn.optim.OptimizerHarness.run;

/** RMSprop and Adagrad against their update rules written out in double. */
class RmspropAdagradTest {

    @Test
    void rmspropFirstStepByHand() {
        // v = 0.01 g^2, sqrt(v) = 0.1 |g|, so p1 = p0 - 0.01 g / (0.1 |g|) = p0 - 0.1 sign(g) = (0.9, -1.9, 0.4)
        assertTrajectory(new double[][] {{0.9, -1.9, 0.4}}, run(ps -> new RMSprop(ps, 0.01f), QUADRATIC, 1), 1e-6);
    }

    private static double[][] rmspropReference(double lr, double alpha, double eps, double lambda, double mu) {
        double[] p = P0.clone();
        double[] v = new double[3];
        double[] b = new double[3];
        double[][] out = new double[3][];
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 3; i++) {
                double g = C[i] * p[i] + lambda * p[i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                double scaled = g / (Math.sqrt(v[i]) + eps);
                if (mu > 0) {
                    b[i] = mu * b[i] + scaled;
                    p[i] -= lr * b[i];
                } else {
                    p[i] -= lr * scaled;
                }
            }
            out[t - 1] = p.clone();
        }
        return out;
    }

    @Test
    void rmspropThreeSteps() {
        assertTrajectory(rmspropReference(0.01, 0.99, 1e-8, 0, 0), run(ps -> new RMSprop(ps, 0.01f), QUADRATIC, 3),
                1e-5);
    }

    @Test
    void rmspropWithMomentumAndWeightDecay() {
        RMSprop.Config config = RMSprop.Config.defaults().withLr(0.02f).withAlpha(0.9f).withWeightDecay(0.1f).withMomentum(0.5f);
        assertTrajectory(rmspropReference(0.02, 0.9, 1e-8, 0.1, 0.5), run(ps -> new RMSprop(ps, config), QUADRATIC, 3),
                1e-5);
    }

    @Test
    void adagradFirstStepByHand() {
        // s = g^2, so p1 = p0 - lr g / |g| = (0.75, -1.75, 0.25) at lr = 0.25
        assertTrajectory(new double[][] {{0.75, -1.75, 0.25}}, run(ps -> new Adagrad(ps, 0.25f), QUADRATIC, 1), 1e-6);
    }

    @Test
    void adagradWithDecayAndWeightDecay() {
        double lr = 0.1;
        double eta = 0.5;
        double lambda = 0.2;
        double eps = 1e-10;
        double[] p = P0.clone();
        double[] s = new double[3];
        double[][] expected = new double[3][];
        for (int t = 1; t <= 3; t++) {
            double lrT = lr / (1 + (t - 1) * eta);
            for (int i = 0; i < 3; i++) {
                double g = C[i] * p[i] + lambda * p[i];
                s[i] += g * g;
                p[i] -= lrT * g / (Math.sqrt(s[i]) + eps);
            }
            expected[t - 1] = p.clone();
        }
        Adagrad.Config config = Adagrad.Config.defaults().withLr((float) lr).withLrDecay((float) eta).withWeightDecay((float) lambda).withEps((float) eps);
        assertTrajectory(expected, run(ps -> new Adagrad(ps, config), QUADRATIC, 3), 1e-5);
    }
}
