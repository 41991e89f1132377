package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.gradbook.nn.optim.OptimizerHarness.P0;
import static dev.gradbook.nn.optim.OptimizerHarness.QUADRATIC;
import static dev.gradbook.nn.optim.OptimizerHarness.assertTrajectory;
import static dev.gradbook.nn.optim.OptimizerHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Adam, AdamW and LAMB against their papers' algorithms written out in double, on
 * L = 1/2 sum c p^2 with p0 = (1, -2, 0.5), c = (1, 0.5, 4).
 */
class AdamFamilyTest {

    /**
     * Kingma &amp; Ba, Algorithm 1, plus the options: L2 decay added to g (Adam) or decoupled
     * decay p -= lr lambda p (AdamW), and AMSGrad's running maximum of v.
     */
    private static double[][] adamReference(double lr, double b1, double b2, double eps, double lambda,
                                            boolean decoupled, boolean amsgrad, OptimizerHarness.Gradient grad,
                                            int steps) {
        double[] p = P0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        double[] vMax = new double[3];
        double[][] out = new double[steps][];
        for (int t = 1; t <= steps; t++) {
            double[] g = grad.at(t, p);
            for (int i = 0; i < 3; i++) {
                double gi = decoupled ? g[i] : g[i] + lambda * p[i];
                if (decoupled) {
                    p[i] -= lr * lambda * p[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                vMax[i] = Math.max(vMax[i], v[i]);
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = (amsgrad ? vMax[i] : v[i]) / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            out[t - 1] = p.clone();
        }
        return out;
    }

    @Test
    void adamFirstStepMovesEachCoordinateByTheLearningRate() {
        // mHat = g and vHat = g^2 at t = 1, so p1 = p0 - lr g / |g| = p0 - 0.1 sign(g) = (0.9, -1.9, 0.4)
        assertTrajectory(new double[][] {{0.9, -1.9, 0.4}}, run(ps -> new Adam(ps, 0.1f), QUADRATIC, 1), 1e-6);
    }

    @Test
    void adamThreeSteps() {
        double[][] expected = adamReference(0.1, 0.9, 0.999, 1e-8, 0, false, false, QUADRATIC, 3);
        assertTrajectory(expected, run(ps -> new Adam(ps, 0.1f), QUADRATIC, 3), 1e-5);
    }

    @Test
    void adamWithL2WeightDecay() {
        Adam.Config config = new Adam.Config(0.05f, 0.8f, 0.99f, 1e-8f, 0.3f, false);
        double[][] expected = adamReference(0.05, 0.8, 0.99, 1e-8, 0.3, false, false, QUADRATIC, 3);
        assertTrajectory(expected, run(ps -> new Adam(ps, config), QUADRATIC, 3), 1e-5);
    }

    @Test
    void amsgradKeepsTheLargestSecondMoment() {
        // a large gradient, then small ones: with beta2 = 0.5, v shrinks but vMax does not
        double[][] gs = {{4, -4, 1}, {0.5, -0.5, 1}, {0.1, 2, 1}};
        OptimizerHarness.Gradient fixed = (t, p) -> gs[t - 1];
        Adam.Config config = new Adam.Config(0.1f, 0.9f, 0.5f, 1e-8f, 0f, true);
        double[][] expected = adamReference(0.1, 0.9, 0.5, 1e-8, 0, false, true, fixed, 3);
        double[][] actual = run(ps -> new Adam(ps, config), fixed, 3);
        assertTrajectory(expected, actual, 1e-5);
        double[][] plain = adamReference(0.1, 0.9, 0.5, 1e-8, 0, false, false, fixed, 3);
        assertNotEquals(plain[2][0], actual[2][0], 1e-3);    // the option really changes the path
    }

    @Test
    void adamwThreeSteps() {
        AdamW.Config config = new AdamW.Config(0.1f, 0.9f, 0.999f, 1e-8f, 0.2f);
        double[][] expected = adamReference(0.1, 0.9, 0.999, 1e-8, 0.2, true, false, QUADRATIC, 3);
        assertTrajectory(expected, run(ps -> new AdamW(ps, config), QUADRATIC, 3), 1e-5);
    }

    @Test
    void decoupledDecayIsNotNormalisedAway() {
        // Adam's L2 term only changes g's size at step 1, which the normalisation removes:
        // p1 = p0 - 0.1 sign(g + 0.1 p) = (0.9, -1.9, 0.4), exactly as without decay.
        // AdamW shrinks first: p1 = p0 (1 - 0.1 * 0.1) - 0.1 sign(g) = (0.89, -1.88, 0.395).
        Adam.Config adamL2 = new Adam.Config(0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, false);
        AdamW.Config adamW = new AdamW.Config(0.1f, 0.9f, 0.999f, 1e-8f, 0.1f);
        assertTrajectory(new double[][] {{0.9, -1.9, 0.4}}, run(ps -> new Adam(ps, adamL2), QUADRATIC, 1), 1e-6);
        assertTrajectory(new double[][] {{0.89, -1.88, 0.395}}, run(ps -> new AdamW(ps, adamW), QUADRATIC, 1), 1e-6);
    }

    @Test
    void adamwDefaultsArePyTorchs() {
        assertEquals(new AdamW.Config(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f), AdamW.Config.DEFAULT);
        assertEquals(new Adam.Config(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false), Adam.Config.DEFAULT);
        assertEquals("AdamW Config[lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8, weightDecay=0.01]",
                new AdamW(Map.of(), AdamW.Config.DEFAULT).toString());
    }

    /** You et al. 2020, Algorithm 2 with phi(z) = z, one tensor: the trust ratio is ||p|| / ||u||. */
    private static double[][] lambReference(double lr, double b1, double b2, double eps, double lambda, int steps) {
        double[] p = P0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        double[][] out = new double[steps][];
        for (int t = 1; t <= steps; t++) {
            double[] g = QUADRATIC.at(t, p);
            double[] u = new double[3];
            double pNorm = 0;
            double uNorm = 0;
            for (int i = 0; i < 3; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                u[i] = mHat / (Math.sqrt(vHat) + eps) + lambda * p[i];
                pNorm += p[i] * p[i];
                uNorm += u[i] * u[i];
            }
            double ratio = Math.sqrt(pNorm) / Math.sqrt(uNorm);
            for (int i = 0; i < 3; i++) {
                p[i] -= lr * ratio * u[i];
            }
            out[t - 1] = p.clone();
        }
        return out;
    }

    @Test
    void lambFirstStepByHand() {
        // lambda = 0: u = sign(g) = (1, -1, 1), ||u|| = sqrt 3, ||p0|| = sqrt 5.25, r = sqrt(5.25 / 3) = 1.3229;
        // p1 = p0 - 0.1 r u
        double r = Math.sqrt(5.25 / 3);
        double[][] expected = {{1 - 0.1 * r, -2 + 0.1 * r, 0.5 - 0.1 * r}};
        LAMB.Config config = new LAMB.Config(0.1f, 0.9f, 0.999f, 1e-6f, 0f);
        LAMB[] lamb = new LAMB[1];
        assertTrajectory(expected, run(ps -> lamb[0] = new LAMB(ps, config), QUADRATIC, 1), 1e-6);
        assertEquals(r, lamb[0].lastTrustRatio(), 1e-5);   // eps = 1e-6 shifts it by ~1e-6
    }

    @Test
    void lambThreeStepsWithWeightDecay() {
        LAMB.Config config = new LAMB.Config(0.05f, 0.9f, 0.99f, 1e-6f, 0.1f);
        assertTrajectory(lambReference(0.05, 0.9, 0.99, 1e-6, 0.1, 3), run(ps -> new LAMB(ps, config), QUADRATIC, 3),
                1e-5);
    }

    @Test
    void lambTrustRatioIsOneForAZeroParameter() {
        Tensor zero = Tensor.zeros(3).requiresGrad(true);
        LAMB lamb = new LAMB(Map.of("b", zero), new LAMB.Config(0.1f, 0.9f, 0.999f, 1e-6f, 0.01f));
        zero.mul(Tensor.vector(2f, -3f, 0.5f)).sum().backward();
        lamb.step();
        assertEquals(1.0, lamb.lastTrustRatio());
        // so the step is plain Adam's: -0.1 sign(g)
        assertTrajectory(new double[][] {{-0.1, 0.1, -0.1}}, new double[][] {OptimizerHarness.toDoubles(zero.data())},
                1e-6);
    }
}
