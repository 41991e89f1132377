package dev.gradbook.transformer.alignment;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PPO on a tiny random GPT whose reward is the share of generated tokens equal to 3. */
class PpoTrainerTest {
    private static final int VOCAB = 8;
    private static final int TARGET = 3;

    private static Gpt tiny(long seed) {
        return new Gpt(GptConfig.tiny(VOCAB), new Rng(seed));
    }

    private static Gpt copyOf(Gpt g) {
        Gpt c = tiny(99);
        c.loadStateDict(g.stateDict());
        return c;
    }

    private static int[][] prompts(int n) {
        int[][] p = new int[n][];
        for (int i = 0; i < n; i++) {
            p[i] = new int[] {i % VOCAB, (i * 5 + 1) % VOCAB};
        }
        return p;
    }

    private static float[] scores(PpoRollout r) {
        float[] s = new float[r.batch()];
        for (int b = 0; b < s.length; b++) {
            for (int id : r.continuation(b)) {
                s[b] += id == TARGET ? 1f / r.newTokens() : 0;
            }
        }
        return s;
    }

    /** Runs {@code rounds} of PPO; returns {first score, last score, last KL}. */
    private static double[] train(KlController.Config kl, int rounds) {
        Gpt policy = tiny(1);
        Gpt reference = copyOf(policy);
        PpoConfig config = PpoConfig.defaults().withLr(1e-2f).withMiniBatches(2).withKl(kl);
        PpoTrainer ppo = new PpoTrainer(policy, reference, ValueModel.fromPolicy(policy, new Rng(2)), config, 3);
        double first = 0;
        PpoTrainer.Stats s = null;
        for (int i = 0; i < rounds; i++) {
            PpoRollout r = ppo.rollout(prompts(16), 8);
            s = ppo.step(r, scores(r));
            first = i == 0 ? s.meanScore() : first;
        }
        return new double[] {first, s.meanScore(), s.meanKl()};
    }

    @Test
    void rewardRisesAndTheKlPenaltyHoldsThePolicyCloser() {
        double[] free = train(KlController.Config.fixed(0f), 10);
        double[] held = train(KlController.Config.fixed(0.1f), 10);
        // a random tiny GPT picks token 3 about 1 time in 8
        assertTrue(free[0] < 0.3, "start " + free[0]);
        assertTrue(free[1] > 0.6, "without penalty the reward climbs: " + free[1]);
        assertTrue(held[1] > free[0] + 0.1, "with penalty it still climbs: " + held[1]);
        assertTrue(held[2] < free[2], "KL with penalty " + held[2] + " vs without " + free[2]);
    }

    @Test
    void sameSeedSameNumbers() {
        double[] a = train(KlController.Config.defaults(), 2);
        double[] b = train(KlController.Config.defaults(), 2);
        assertArrayEquals(a, b, 0.0);
    }

    @Test
    void rolloutRecordsWhatPpoNeeds() {
        Gpt policy = tiny(1);
        Gpt reference = copyOf(policy);
        ValueModel value = ValueModel.fromPolicy(policy, new Rng(2));
        PpoTrainer ppo = new PpoTrainer(policy, reference, value, PpoConfig.defaults(), 3);
        PpoRollout r = ppo.rollout(prompts(4), 5);
        assertArrayEquals(new int[] {4, 7}, r.ids().shape());
        assertArrayEquals(prompts(4)[2], r.prompt(2));
        // identical policy and reference: KL exactly 0; the zero value head: all values 0
        assertEquals(0.0, r.meanKl(), 0.0);
        for (float v : r.values().data()) {
            assertEquals(0f, v);
        }
        // the recorded log-probabilities are the policy's, recomputed here position by position
        Tensor logits = policy.forward(r.ids()).logSoftmax(-1);
        for (int t = 0; t < 5; t++) {
            int id = r.ids().get(1, 2 + t);
            assertEquals(logits.get(1, 1 + t, id), r.logProbs().get(1, t), 1e-5);
        }
        // a step moves the policy and leaves the reference alone
        Map<String, Tensor> before = copyState(reference);
        ppo.step(r, new float[] {1, 0, 0, 1});
        reference.stateDict().forEach((k, v) -> assertArrayEquals(before.get(k).data(), v.data(), 0f, k));
    }

    @Test
    void badInputIsRefusedBeforeWork() {
        Gpt policy = tiny(1);
        ValueModel value = ValueModel.fromPolicy(policy, new Rng(2));
        assertThrows(IllegalArgumentException.class, () -> new PpoTrainer(policy, policy, value, PpoConfig.defaults(), 0));
        PpoTrainer ppo = new PpoTrainer(policy, copyOf(policy), value, PpoConfig.defaults().withMiniBatches(3), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ppo.rollout(new int[][] {{1, 2}, {1}}, 4));
        assertTrue(e.getMessage().contains("one length"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ppo.rollout(new int[][] {{1, 9}}, 4));
        assertThrows(IllegalArgumentException.class, () -> ppo.rollout(new int[][] {{1, 2}}, 15));
        PpoRollout r = ppo.rollout(prompts(4), 3);
        assertThrows(IllegalArgumentException.class, () -> ppo.step(r, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> ppo.step(r, new float[4]));   // 3 does not divide 4
    }

    @Test
    void valueModelCopiesThePolicysTransformer() {
        Gpt policy = tiny(1);
        ValueModel value = ValueModel.fromPolicy(policy, new Rng(2));
        assertArrayEquals(policy.stateDict().get("blocks.1.attn.proj.weight").data(),
                value.stateDict().get("gpt.blocks.1.attn.proj.weight").data(), 0f);
        assertArrayEquals(new int[] {1, GptConfig.tiny(VOCAB).nEmbd()}, value.stateDict().get("gpt.head.weight").shape());
        assertArrayEquals(new int[] {3, 5}, value.forward(IntTensor.zeros(3, 5)).shape());
    }

    @Test
    void freshValueModelStartsAtZeroWithItsOwnShape() {
        GptConfig small = GptConfig.tiny(VOCAB).withNEmbd(16).withNHead(2);
        ValueModel value = ValueModel.fresh(small, new Rng(4));
        assertArrayEquals(new int[] {1, 16}, value.stateDict().get("gpt.head.weight").shape());
        for (float v : value.forward(IntTensor.zeros(2, 6)).data()) {
            assertEquals(0f, v);
        }
        // and it trains a policy: one PPO step runs with a value model smaller than the policy
        Gpt policy = tiny(1);
        PpoTrainer ppo = new PpoTrainer(policy, copyOf(policy), value, PpoConfig.defaults(), 5);
        PpoRollout r = ppo.rollout(prompts(4), 4);
        assertTrue(Double.isFinite(ppo.step(r, scores(r)).valueLoss()));
    }

    private static Map<String, Tensor> copyState(Gpt g) {
        Map<String, Tensor> m = new java.util.LinkedHashMap<>();
        g.stateDict().forEach((k, v) -> m.put(k, v.copy()));
        return m;
    }
}
