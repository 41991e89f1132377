package dev.gradbook.transformer.alignment;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of PPO checked against their formulas written out in doubles. */
class PpoMathTest {
    // log pi - log pi_old for 2 x 4 tokens: ratios 0.61, 0.905, 1.05, 1.35, 0.70, 1.11, 1.28, 0.95
    private static final float[] DIFF = {-0.5f, -0.1f, 0.05f, 0.3f, -0.36f, 0.1f, 0.25f, -0.05f};
    private static final float[] OLD = {-1.2f, -0.7f, -2.3f, -0.4f, -1.0f, -3.0f, -0.9f, -1.5f};
    private static final float[] ADV = {1.5f, -0.8f, 0.3f, 2.0f, -1.1f, 0.6f, -0.4f, 0.9f};
    private static final float[] MASK = {1, 1, 1, 1, 1, 1, 0, 1};

    private static Tensor t(float[] v) {
        return Tensor.of(v.clone(), 2, 4);
    }

    private static float[] newLogProbs() {
        float[] lp = new float[8];
        for (int i = 0; i < 8; i++) {
            lp[i] = OLD[i] + DIFF[i];
        }
        return lp;
    }

    @Test
    void clippedSurrogateByHand() {
        double eps = 0.2;
        double sum = 0;
        double count = 0;
        double[] expectedGrad = new double[8];
        for (int i = 0; i < 8; i++) {
            double ratio = Math.exp(DIFF[i]);
            double clipped = Math.max(1 - eps, Math.min(1 + eps, ratio));
            double term = Math.min(ratio * ADV[i], clipped * ADV[i]);
            sum += MASK[i] * term;
            count += MASK[i];
            // d(-ratio A)/d log pi = -ratio A where the unclipped term is the min, else 0
            boolean unclippedWins = ratio * ADV[i] <= clipped * ADV[i];
            expectedGrad[i] = unclippedWins ? -MASK[i] * ratio * ADV[i] : 0;
        }
        Tensor lp = t(newLogProbs()).requiresGrad(true);
        Tensor loss = PpoLoss.policy(lp, t(OLD), t(ADV), t(MASK), 0.2f);
        assertEquals(-sum / count, loss.item(), 1e-6);
        loss.backward();
        int zeroed = 0;
        for (int i = 0; i < 8; i++) {
            assertEquals(expectedGrad[i] / count, lp.grad().data()[i], 1e-6, "token " + i);
            zeroed += expectedGrad[i] == 0 ? 1 : 0;
        }
        // tokens 3 (ratio 1.35, A > 0), 4 (0.70, A < 0) are clipped, 6 is masked
        assertEquals(3, zeroed);
        // outside [0.8, 1.2]: tokens 0, 3, 4 (6 is masked), whether or not the clip bites
        assertEquals(3.0 / 7, PpoLoss.clipFraction(lp.detach(), t(OLD), t(MASK), 0.2f), 1e-9);
    }

    @Test
    void clippedValueLossByHand() {
        float[] values = {0.5f, 1.5f, -0.2f, 0.9f, 0.0f, 2.2f, 1.0f, -0.7f};
        float[] old = {0.4f, 1.0f, 0.1f, 0.9f, 0.5f, 2.0f, 0.0f, -0.6f};
        float[] ret = {1.0f, 0.2f, 0.0f, 1.4f, 0.8f, 3.0f, 5.0f, -0.5f};
        double eps = 0.2;
        double sum = 0;
        double count = 0;
        for (int i = 0; i < 8; i++) {
            double clipped = old[i] + Math.max(-eps, Math.min(eps, values[i] - old[i]));
            double a = (values[i] - ret[i]) * (values[i] - ret[i]);
            double b = (clipped - ret[i]) * (clipped - ret[i]);
            sum += MASK[i] * Math.max(a, b);
            count += MASK[i];
        }
        Tensor loss = PpoLoss.value(t(values), t(old), t(ret), t(MASK), 0.2f);
        assertEquals(0.5 * sum / count, loss.item(), 1e-6);
    }

    @Test
    void lossGradientsAgreeWithFiniteDifferences() {
        // points chosen away from the clip boundaries and the max's ties, where no derivative exists
        Tensor lp = t(newLogProbs()).requiresGrad(true);
        GradCheck.Report policy = GradCheck.check(in -> PpoLoss.policy(in[0], t(OLD), t(ADV), t(MASK), 0.2f), lp);
        assertTrue(policy.passed(), policy.toString());
        Tensor v = Tensor.of(new float[] {0.5f, 1.5f, -0.2f, 0.7f, 0.0f, 2.2f, 1.0f, -0.9f}, 2, 4).requiresGrad(true);
        Tensor old = t(new float[] {0.4f, 1.0f, 0.1f, 0.9f, 0.5f, 2.0f, 0.0f, -0.6f});
        Tensor ret = t(new float[] {1.0f, 0.2f, 0.0f, 1.4f, 0.8f, 3.0f, 5.0f, -0.5f});
        GradCheck.Report value = GradCheck.check(in -> PpoLoss.value(in[0], old, ret, t(MASK), 0.2f), v);
        assertTrue(value.passed(), value.toString());
    }

    @Test
    void gaeAgainstTheSumOfDiscountedResiduals() {
        float[] r = {0.1f, -0.3f, 0.0f, 0.5f, 1.2f};
        float[] v = {0.4f, 0.2f, -0.1f, 0.3f, 0.8f};
        for (float[] gl : new float[][] {{1f, 0.95f}, {0.9f, 0.5f}, {1f, 1f}, {0.99f, 0f}}) {
            double gamma = gl[0];
            double lambda = gl[1];
            Gae.Estimate e = Gae.of(r, v, gl[0], gl[1]);
            for (int t = 0; t < r.length; t++) {
                // A_t = sum_l (gamma lambda)^l delta_{t+l}, delta_k = r_k + gamma V_{k+1} - V_k, V_T = 0
                double a = 0;
                for (int k = t; k < r.length; k++) {
                    double next = k + 1 < r.length ? v[k + 1] : 0;
                    a += Math.pow(gamma * lambda, k - t) * (r[k] + gamma * next - v[k]);
                }
                assertEquals(a, e.advantages()[t], 1e-6, "A_" + t + " at gamma " + gamma + ", lambda " + lambda);
                assertEquals(a + v[t], e.returns()[t], 1e-6);
            }
        }
        // lambda = 1: the return is the discounted reward-to-go, whatever the values
        Gae.Estimate mc = Gae.of(r, v, 0.9f, 1f);
        assertEquals(0.1 - 0.9 * 0.3 + 0.81 * 0 + 0.729 * 0.5 + 0.6561 * 1.2, mc.returns()[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Gae.of(r, new float[2], 1f, 0.95f));
    }

    @Test
    void adaptiveControllerFollowsZieglerSection22() {
        KlController c = new KlController(KlController.Config.defaults().withInitialBeta(0.1f).withTargetKl(4f));
        double beta = 0.1f;
        for (double observed : new double[] {4.4, 12.0, 0.5, 3.0, 4.0, 100}) {
            double e = Math.max(-0.2, Math.min(0.2, (observed - 4) / 4));
            beta *= 1 + 0.1f * e;   // K_beta is stored as a float
            assertEquals(beta, c.update(observed), 1e-12, "after KL " + observed);
        }
        assertEquals(beta, c.beta());
        KlController fixed = new KlController(KlController.Config.fixed(0.05f));
        assertEquals(0.05f, fixed.update(50), 1e-9);
        assertEquals(0.0, new KlController(KlController.Config.fixed(0f)).update(3), 0.0);
        assertThrows(IllegalArgumentException.class, () -> KlController.Config.defaults().withInitialBeta(0f));
        assertThrows(IllegalArgumentException.class, () -> KlController.Config.defaults().withTargetKl(-1f));
        assertThrows(IllegalArgumentException.class, () -> c.update(Double.NaN));
    }

    @Test
    void whiteningGivesMeanZeroStdOne() {
        float[] x = {1, 2, 3, 4, 10};
        PpoTrainer.whiten(x);
        double mean = 0;
        double sq = 0;
        for (float v : x) {
            mean += v / 5.0;
            sq += v * v / 5.0;
        }
        assertEquals(0, mean, 1e-6);
        assertEquals(1, sq, 1e-6);
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor a = Tensor.zeros(2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PpoLoss.policy(a, Tensor.zeros(2, 3), a, a, 0.2f));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PpoLoss.value(a, a, a, a, 0f));
        assertThrows(IllegalArgumentException.class, () -> PpoConfig.defaults().withMiniBatches(0));
        assertThrows(IllegalArgumentException.class, () -> PpoConfig.defaults().withLambda(1.5f));
    }
}
