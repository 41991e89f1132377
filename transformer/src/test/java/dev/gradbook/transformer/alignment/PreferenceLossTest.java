package dev.gradbook.transformer.alignment;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreferenceLossTest {
    private static double softplus(double z) {
        return Math.log1p(Math.exp(z));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void bradleyTerryByHand() {
        // margins 1 and -1: -log s(1) = ln(1 + e^-1), -log s(-1) = ln(1 + e)
        Tensor chosen = Tensor.vector(2f, 0f).requiresGrad(true);
        Tensor rejected = Tensor.vector(1f, 1f).requiresGrad(true);
        Tensor loss = RewardModelLoss.loss(chosen, rejected);
        assertEquals((softplus(-1) + softplus(1)) / 2, loss.item(), 1e-6);
        loss.backward();
        // d/d r_chosen = -(1 - s(d)) / n
        double g1 = -(1 - sigmoid(1)) / 2;
        double g2 = -(1 - sigmoid(-1)) / 2;
        assertValues(chosen.grad(), 1e-6, g1, g2);
        assertValues(rejected.grad(), 1e-6, -g1, -g2);
        assertEquals(0.5, RewardModelLoss.accuracy(chosen, rejected));
    }

    @Test
    void bradleyTerryIsStableForLargeMargins() {
        Tensor loss = RewardModelLoss.loss(Tensor.vector(-100f, 100f), Tensor.vector(0f, 0f));
        assertEquals(50.0, loss.item(), 1e-4); // (100 + ~0) / 2, no overflow
    }

    @Test
    void dpoByHand() {
        // pair 1: log-ratios chosen -10 - -11 = 1, rejected -12 - -11 = -1: logit 0.1 * 2 = 0.2
        // pair 2: chosen -5 - -4 = -1, rejected -6 - -8 = 2: logit 0.1 * -3 = -0.3
        Tensor pc = Tensor.vector(-10f, -5f).requiresGrad(true);
        Tensor pr = Tensor.vector(-12f, -6f).requiresGrad(true);
        Tensor rc = Tensor.vector(-11f, -4f);
        Tensor rr = Tensor.vector(-11f, -8f);
        Tensor loss = DpoLoss.loss(pc, pr, rc, rr, 0.1f);
        assertEquals((softplus(-0.2) + softplus(0.3)) / 2, loss.item(), 1e-6);

        DpoLoss.Rewards rewards = DpoLoss.rewards(pc, pr, rc, rr, 0.1f);
        assertValues(rewards.chosen(), 1e-6, 0.1, -0.1);
        assertValues(rewards.rejected(), 1e-6, -0.1, 0.2);
        assertEquals(0.5, rewards.accuracy());
        assertEquals(-0.05, rewards.margin(), 1e-6);

        // d L / d log pi(y_w) = -beta (1 - s(z)) / n, and the opposite for y_l
        loss.backward();
        double g1 = -0.1 * (1 - sigmoid(0.2)) / 2;
        double g2 = -0.1 * (1 - sigmoid(-0.3)) / 2;
        assertValues(pc.grad(), 1e-6, g1, g2);
        assertValues(pr.grad(), 1e-6, -g1, -g2);
    }

    @Test
    void dpoOfThePolicyEqualToTheReferenceIsLn2() {
        Tensor logp = Tensor.vector(-3f, -7f, -1f);
        Tensor other = Tensor.vector(-4f, -2f, -9f);
        for (float beta : new float[] {0.1f, 0.5f, 2f}) {
            assertEquals(Math.log(2), DpoLoss.loss(logp, other, logp, other, beta).item(), 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> DpoLoss.loss(logp, other, logp, other, 0f));
    }

    @Test
    void gradientChecks() {
        Rng rng = new Rng(0);
        Tensor pc = Tensor.randn(rng, 5).requiresGrad(true);
        Tensor pr = Tensor.randn(rng, 5).requiresGrad(true);
        Tensor rc = Tensor.randn(rng, 5);
        Tensor rr = Tensor.randn(rng, 5);
        GradCheck.Report dpo = GradCheck.check(in -> DpoLoss.loss(in[0], in[1], rc, rr, 0.5f), pc, pr);
        assertTrue(dpo.passed(), dpo.toString());
        GradCheck.Report bt = GradCheck.check(in -> RewardModelLoss.loss(in[0], in[1]), pc, pr);
        assertTrue(bt.passed(), bt.toString());
    }
}
