package dev.gradbook.transformer.alignment;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import org.junit.jupiter.api.Test;

import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DpoTest {
    private static final int[][] PROMPTS = {{1, 2}, {3, 0}};
    private static final int[][] CHOSEN = {{1, 1, 1}, {1, 3, 1}};
    private static final int[][] REJECTED = {{2, 3, 2}, {0, 2, 3}};

    @Test
    void startsAtLn2WithZeroRewardsAndKl() {
        Gpt policy = new Gpt(GptConfig.tiny(4), new Rng(7));
        Dpo dpo = new Dpo(policy, 0.1f);
        ResponseBatch c = ResponseBatch.of(PROMPTS, CHOSEN);
        Dpo.Step s = dpo.step(c, ResponseBatch.of(PROMPTS, REJECTED));
        assertEquals(Math.log(2), s.loss().item(), 1e-6);
        assertValues(s.rewards().chosen(), 0, 0, 0);
        assertValues(dpo.kl(c), 1e-6, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> new Dpo(policy, 0f));
    }

    @Test
    void trainsThePolicyOnlyAndMatchesEquationSevenComputedByHand() {
        Gpt policy = new Gpt(GptConfig.tiny(4), new Rng(7));
        Dpo dpo = new Dpo(policy, 0.5f);
        float[] referenceBefore = dpo.reference().tokenEmbedding().weight.data().clone();
        ResponseBatch c = ResponseBatch.of(PROMPTS, CHOSEN);
        ResponseBatch r = ResponseBatch.of(PROMPTS, REJECTED);
        AdamW opt = new AdamW(policy.trainableParameters(), 1e-2f);
        double firstMargin = 0;
        for (int step = 0; step < 15; step++) {
            Dpo.Step s = dpo.step(c, r);
            if (step == 0) {
                firstMargin = s.rewards().margin();
            }
            s.loss().backward();
            dpo.reference().parameters().forEach(p -> assertNull(p.grad()));
            opt.step();
            opt.zeroGrad();
        }
        assertArrayEquals(referenceBefore, dpo.reference().tokenEmbedding().weight.data());

        // eq. 7 in doubles from the two models' logits
        double loss = 0;
        for (int i = 0; i < 2; i++) {
            double zc = 0.5 * (logProb(policy, PROMPTS[i], CHOSEN[i]) - logProb(dpo.reference(), PROMPTS[i], CHOSEN[i]));
            double zr = 0.5 * (logProb(policy, PROMPTS[i], REJECTED[i]) - logProb(dpo.reference(), PROMPTS[i], REJECTED[i]));
            loss += Math.log1p(Math.exp(-(zc - zr))) / 2;
        }
        Dpo.Step s = dpo.step(c, r);
        assertEquals(loss, s.loss().item(), 1e-4);
        assertTrue(s.rewards().margin() > firstMargin + 1, "margin " + firstMargin + " -> " + s.rewards().margin());
        assertEquals(1.0, s.rewards().accuracy());
        assertTrue(dpo.kl(c).sum().item() > 0);
    }

    /** log p(response | prompt) from the model's logits, in doubles. */
    private static double logProb(Gpt model, int[] prompt, int[] response) {
        int[] seq = new int[prompt.length + response.length];
        System.arraycopy(prompt, 0, seq, 0, prompt.length);
        System.arraycopy(response, 0, seq, prompt.length, response.length);
        Tensor logits = model.forward(IntTensor.of(seq, 1, seq.length));      // (1, L, V)
        double sum = 0;
        for (int t = prompt.length - 1; t < seq.length - 1; t++) {
            double z = 0;
            for (int v = 0; v < 4; v++) {
                z += Math.exp(logits.get(0, t, v));
            }
            sum += logits.get(0, t, seq[t + 1]) - Math.log(z);
        }
        return sum;
    }
}
