package dev.gradbook.transformer.alignment;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static dev.gradbook.core.testing.TensorAssert.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardModelTest {
    private final Gpt base = new Gpt(GptConfig.tiny(4), new Rng(7));

    @Test
    void startsWithTheBaseTrunkAndZeroRewards() {
        RewardModel rm = new RewardModel(base, RewardModel.Pooling.LAST, new Rng(1));
        Map<String, Tensor> mine = rm.namedParameters();
        base.namedParameters().forEach((name, w) ->
                assertArrayEquals(w.data(), mine.get("trunk." + name).data(), name));
        assertEquals(1, mine.get("trunk.head.weight").size(0));
        ResponseBatch chosen = ResponseBatch.of(new int[][] {{1, 2}, {3}}, new int[][] {{0, 1}, {2, 2, 2}});
        ResponseBatch rejected = ResponseBatch.of(new int[][] {{1, 2}, {3}}, new int[][] {{3, 3}, {1, 0, 1}});
        assertValues(rm.forward(chosen), 0, 0, 0);
        assertEquals(Math.log(2), rm.loss(chosen, rejected).item(), 1e-6);
    }

    @Test
    void poolsTheMeanOrTheLastMarkedPosition() {
        Tensor s = Tensor.of(new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}});
        Tensor mask = Tensor.of(new float[][] {{0, 1, 1, 0}, {1, 0, 0, 1}});
        assertValues(RewardModel.pool(s, mask, RewardModel.Pooling.MEAN), 1e-6, 2.5, 6.5);
        assertValues(RewardModel.pool(s, mask, RewardModel.Pooling.LAST), 0, 3, 8);
        assertThrows(IllegalArgumentException.class,
                () -> RewardModel.pool(s, Tensor.zeros(2, 4), RewardModel.Pooling.MEAN));
        Tensor x = Tensor.randn(new Rng(2), 2, 4).requiresGrad(true);
        for (RewardModel.Pooling p : RewardModel.Pooling.values()) {
            GradCheck.Report r = GradCheck.check(in -> RewardModel.pool(in[0], mask, p), x);
            assertTrue(r.passed(), p + " " + r);
        }
    }

    @Test
    void forwardPoolsTheScalarsOfTheResponse() {
        RewardModel rm = new RewardModel(base, RewardModel.Pooling.MEAN, new Rng(1));
        try (var ignored = dev.gradbook.core.Autograd.noGrad()) {
            rm.namedParameters().get("trunk.head.weight").copyInPlace(Tensor.randn(new Rng(3), 1, 32));
        }
        ResponseBatch b = ResponseBatch.of(new int[][] {{1, 2, 3}}, new int[][] {{0, 1}});
        float[] s = rm.scalars(b.tokens()).data();
        assertValues(rm.forward(b), 1e-6, (s[3] + s[4]) / 2.0);
    }

    /** Chosen responses hold more of token 1 than the rejected ones: the reward model learns to count it. */
    @Test
    void learnsAPreferenceFromPairsWithoutChangingTheBase() {
        float[] before = Arrays.copyOf(base.tokenEmbedding().weight.data(), 8);
        RewardModel rm = new RewardModel(base, RewardModel.Pooling.MEAN, new Rng(1));
        AdamW opt = new AdamW(rm.trainableParameters(), 3e-3f);
        Rng rng = new Rng(9);
        for (int step = 0; step < 40; step++) {
            ResponseBatch[] pair = pairs(rng, 16);
            Tensor loss = rm.loss(pair[0], pair[1]);
            loss.backward();
            opt.step();
            opt.zeroGrad();
        }
        ResponseBatch[] heldOut = pairs(new Rng(99), 64);
        double accuracy = RewardModelLoss.accuracy(rm.forward(heldOut[0]), rm.forward(heldOut[1]));
        assertTrue(accuracy > 0.9, "held-out accuracy " + accuracy);
        assertArrayEquals(before, Arrays.copyOf(base.tokenEmbedding().weight.data(), 8));
    }

    /** n pairs of 6-token responses after a 2-token prompt; chosen has 4 ones, rejected 2 (in random places). */
    private static ResponseBatch[] pairs(Rng rng, int n) {
        int[][] prompts = new int[n][];
        int[][] chosen = new int[n][];
        int[][] rejected = new int[n][];
        for (int i = 0; i < n; i++) {
            prompts[i] = new int[] {rng.nextInt(4), rng.nextInt(4)};
            chosen[i] = response(rng, 4);
            rejected[i] = response(rng, 2);
        }
        return new ResponseBatch[] {ResponseBatch.of(prompts, chosen), ResponseBatch.of(prompts, rejected)};
    }

    private static int[] response(Rng rng, int ones) {
        int[] r = new int[6];
        int[] order = rng.permutation(6);
        for (int j = 0; j < 6; j++) {
            r[order[j]] = j < ones ? 1 : (j % 2 == 0 ? 2 : 3);
        }
        return r;
    }
}
