package dev.gradbook.nn.generative;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanLossesTest {
    private static final float[] REAL = {2.0f, -0.5f, 0.3f};
    private static final float[] FAKE = {-1.0f, 0.7f, -3.0f, 0.1f};

    private static double logSigmoid(double x) {
        return -Math.log1p(Math.exp(-x));
    }

    @Test
    void lossesMatchTheirDefinitionsInDoubles() {
        double real = 0;
        for (float r : REAL) {
            real += -logSigmoid(r) / REAL.length;
        }
        double fake = 0;
        double nonSaturating = 0;
        double sumFake = 0;
        for (float f : FAKE) {
            fake += -Math.log(1 - 1 / (1 + Math.exp(-f))) / FAKE.length;
            nonSaturating += -logSigmoid(f) / FAKE.length;
            sumFake += f;
        }
        Tensor r = Tensor.vector(REAL);
        Tensor f = Tensor.vector(FAKE);
        assertEquals(real + fake, GanLosses.discriminator(r, f).item(), 1e-5);
        assertEquals(nonSaturating, GanLosses.generatorNonSaturating(f).item(), 1e-5);
        assertEquals(-fake, GanLosses.generatorMinimax(f).item(), 1e-5);
        double meanReal = (2.0 - 0.5 + 0.3) / 3;
        assertEquals(sumFake / 4 - meanReal, GanLosses.critic(r, f).item(), 1e-6);
        assertEquals(-sumFake / 4, GanLosses.generatorWasserstein(f).item(), 1e-6);
    }

    @Test
    void theMinimaxGeneratorGradientVanishesWhereTheNonSaturatingOneDoesNot() {
        // d/dx log(1 - s(x)) = -s(x) -> 0 as x -> -inf; d/dx -log s(x) = s(x) - 1 -> -1 (Goodfellow et al. section 3)
        Tensor rejected = Tensor.vector(-8f).requiresGrad(true);
        GanLosses.generatorMinimax(rejected).backward();
        double minimax = rejected.grad().item();
        rejected.zeroGrad();
        GanLosses.generatorNonSaturating(rejected).backward();
        double nonSaturating = rejected.grad().item();
        assertEquals(-1 / (1 + Math.exp(8)), minimax, 1e-6);
        assertEquals(1 / (1 + Math.exp(8)) - 1, nonSaturating, 1e-6);
    }

    @Test
    void theCriticsInputGradientIsAutogradsAndThePenaltyHasFiniteDifferenceGradients() {
        MlpCritic critic = new MlpCritic(new int[] {3, 5, 4}, 0.2f, new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 6, 3).requiresGrad(true);
        critic.forward(x).sum().backward();
        Tensor closedForm = critic.inputGradient(x);
        assertArrayEquals(new int[] {6, 3}, closedForm.shape());
        assertTrue(closedForm.allClose(x.grad(), 1e-5f, 1e-6f), closedForm + " vs " + x.grad());

        Tensor real = Tensor.randn(new Rng(3), 6, 3);
        Tensor fake = Tensor.randn(new Rng(4), 6, 3);
        Tensor[] weights = critic.parameters().toArray(new Tensor[0]);
        GradCheck.Report r = GradCheck.check(in -> critic.gradientPenalty(real, fake, 10f, new Rng(5)).reshape(1),
                1e-3, 2e-2, 2e-3, weights);
        assertTrue(r.passed(), r.toString());
        assertThrows(IllegalArgumentException.class, () -> critic.gradientPenalty(real, Tensor.zeros(5, 3), 1f, new Rng(1)));
    }

    @Test
    void clippingBoundsEveryWeight() {
        MlpCritic critic = new MlpCritic(new int[] {2, 8}, 0.2f, new Rng(1));
        critic.clipWeights(0.01f);
        for (Tensor p : critic.parameters()) {
            assertTrue(p.abs().max().item() <= 0.01f);
        }
    }
}
