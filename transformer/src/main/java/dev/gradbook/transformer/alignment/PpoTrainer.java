package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.transformer.attention.KvCache;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.Sampler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reinforcement learning from a reward model with PPO, the RL stage of RLHF (Ziegler et al. 2019,
 * section 2; Ouyang et al. 2022, "InstructGPT", section 3.5). One round:
 * <ol>
 *   <li>{@link #rollout}: continue a batch of prompts by sampling from the policy {@code pi}
 *       (temperature 1, so the samples follow {@code pi} exactly), recording each token's
 *       log-probability under {@code pi} and under the frozen reference {@code rho}, and the
 *       value model's {@code V(s_t)}.</li>
 *   <li>The caller scores each continuation with its reward model: {@code r(x, y)}.</li>
 *   <li>{@link #step}: per-token rewards with the KL penalty to the reference,
 *       <pre>
 *   r_t = -beta (log pi(a_t|s_t) - log rho(a_t|s_t))  +  [t = last] r(x, y)
 *       </pre>
 *       whose sum is Ziegler et al.'s {@code R = r - beta log(pi / rho)} (eq. 2); advantages by
 *       {@link Gae}, whitened over the batch (mean 0, standard deviation 1); then {@code epochs}
 *       passes over the batch in {@code miniBatches} shuffled pieces, each one Adam step on
 *       {@code L_clip + c_v L_V} ({@link PpoLoss}) for the policy and the value model together;
 *       finally the KL controller sees the batch's mean KL ({@link KlController}).</li>
 * </ol>
 * The policy is kept in eval mode (no dropout) during rollout and updates, so that the first
 * update's ratios {@code pi / pi_old} are exactly 1.
 *
 * <pre>{@code
 * PpoTrainer ppo = new PpoTrainer(policy, reference, ValueModel.fromPolicy(policy, rng), PpoConfig.defaults(), seed);
 * for (int i = 0; i < rounds; i++) {
 *     PpoRollout batch = ppo.rollout(prompts, 24);
 *     PpoTrainer.Stats s = ppo.step(batch, scoresOf(batch));
 * }
 * }</pre>
 */
public final class PpoTrainer {
    /**
     * What one {@link #step} saw and did: the batch's mean score {@code r(x, y)}, mean KL to the
     * reference (nats per sample), the beta that penalised it and the beta after the controller's
     * update, the policy's mean entropy per token, and the last pass's mean losses, clip fraction
     * and approximate KL between the updated policy and the one that sampled
     * ({@code mean (log pi_old - log pi)}, Schulman's estimator).
     */
    public record Stats(double meanScore, double meanKl, double beta, double nextBeta, double meanEntropy,
                        double policyLoss, double valueLoss, double clipFraction, double approxKl) {
    }

    private final Gpt policy;
    private final Gpt reference;
    private final ValueModel valueModel;
    private final PpoConfig config;
    private final KlController kl;
    private final Adam optimizer;
    private final Rng rng;

    /**
     * {@code reference} must be a separate, frozen copy of where the policy started (it is never
     * updated); {@code seed} drives the sampling and the shuffling.
     */
    public PpoTrainer(Gpt policy, Gpt reference, ValueModel valueModel, PpoConfig config, long seed) {
        if (policy == reference) {
            throw new IllegalArgumentException("PpoTrainer: the reference must be a separate copy of the policy, "
                    + "not the policy itself (it would move with every update)");
        }
        if (policy.config.vocabSize() != reference.config.vocabSize()) {
            throw new IllegalArgumentException("PpoTrainer: policy and reference vocabularies differ ("
                    + policy.config.vocabSize() + " vs " + reference.config.vocabSize() + ")");
        }
        this.policy = policy;
        this.reference = reference;
        this.valueModel = valueModel;
        this.config = config;
        this.kl = new KlController(config.kl());
        this.rng = new Rng(seed);
        Map<String, Tensor> trained = new LinkedHashMap<>();
        policy.trainableParameters().forEach((k, v) -> trained.put("policy." + k, v));
        valueModel.trainableParameters().forEach((k, v) -> trained.put("value." + k, v));
        this.optimizer = new Adam(trained, Adam.Config.defaults().withLr(config.lr()));
    }

    /** The KL controller, whose {@code beta()} is the coefficient the next step will use. */
    public KlController klController() {
        return kl;
    }

    public PpoConfig config() {
        return config;
    }

    /**
     * Continues every prompt (all of one length {@code P >= 1}, {@code P + newTokens <= blockSize})
     * by {@code newTokens} tokens sampled from the policy, as one batch with a KV cache.
     */
    public PpoRollout rollout(int[][] prompts, int newTokens) {
        int p = checkPrompts(prompts, newTokens);
        int b = prompts.length;
        int width = p + newTokens;
        int[] ids = new int[b * width];
        for (int i = 0; i < b; i++) {
            System.arraycopy(prompts[i], 0, ids, i * width, p);
        }
        policy.eval();
        reference.eval();
        valueModel.eval();
        try (var ignored = Autograd.noGrad()) {
            sample(ids, b, p, width);
            IntTensor all = IntTensor.wrap(ids, b, width);
            IntTensor actions = all.narrow(1, p, newTokens);                               // (B, N)
            Tensor logits = policy.forward(all).narrow(1, p - 1, newTokens);               // (B, N, V)
            Tensor logProbs = logits.logSoftmax(-1);
            Tensor picked = logProbs.gather(2, actions.unsqueeze(2)).squeeze(2);           // (B, N)
            Tensor entropy = logProbs.exp().mul(logProbs).sum(2).neg().mean(1);            // (B)
            Tensor refPicked = reference.forward(all).narrow(1, p - 1, newTokens).logSoftmax(-1)
                    .gather(2, actions.unsqueeze(2)).squeeze(2);                           // (B, N)
            Tensor values = valueModel.forward(all).narrow(1, p - 1, newTokens);           // (B, N)
            return new PpoRollout(all, p, picked.copy(), refPicked.copy(), values.copy(), entropy.copy());
        }
    }

    /** Fills positions {@code p..width} of each row of {@code ids} with tokens drawn from the policy. */
    private void sample(int[] ids, int b, int p, int width) {
        Sampler atTemperatureOne = Sampler.temperature(1f);
        KvCache cache = new KvCache(policy.config.nLayer());
        int v = policy.config.vocabSize();
        IntTensor input = IntTensor.wrap(rows(ids, b, width, 0, p), b, p);
        for (int pos = p; pos < width; pos++) {
            Tensor logits = policy.forward(input, cache);                                  // (B, T, V)
            int t = logits.size(1);
            float[] data = logits.data();
            int[] next = new int[b];
            for (int i = 0; i < b; i++) {
                float[] row = java.util.Arrays.copyOfRange(data, (i * t + t - 1) * v, (i * t + t) * v);
                next[i] = atTemperatureOne.sample(row, rng);
                ids[i * width + pos] = next[i];
            }
            input = IntTensor.wrap(next, b, 1);
        }
    }

    private static int[] rows(int[] ids, int b, int width, int from, int to) {
        int[] out = new int[b * (to - from)];
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids, i * width + from, out, i * (to - from), to - from);
        }
        return out;
    }

    /**
     * One PPO update from {@code rollout} and its continuations' scores {@code r(x, y)}, one per
     * sample; returns what it saw and did.
     */
    public Stats step(PpoRollout rollout, float[] scores) {
        int b = rollout.batch();
        if (scores.length != b) {
            throw new IllegalArgumentException("PpoTrainer.step: " + scores.length + " scores for " + b + " samples");
        }
        if (b % config.miniBatches() != 0) {
            throw new IllegalArgumentException("PpoTrainer.step: miniBatches=" + config.miniBatches()
                    + " must divide the batch of " + b + " samples");
        }
        double beta = kl.beta();
        Tensor[] advantagesAndReturns = advantages(rollout, scores, (float) beta);
        Tensor advantages = advantagesAndReturns[0];
        Tensor returns = advantagesAndReturns[1];
        int size = b / config.miniBatches();
        double[] last = new double[4];
        policy.eval();
        valueModel.eval();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            int[] order = rng.permutation(b);
            java.util.Arrays.fill(last, 0);
            for (int m = 0; m < config.miniBatches(); m++) {
                int[] rows = java.util.Arrays.copyOfRange(order, m * size, (m + 1) * size);
                double[] s = update(rollout, rows, advantages.indexSelect(0, rows), returns.indexSelect(0, rows));
                for (int k = 0; k < last.length; k++) {
                    last[k] += s[k] / config.miniBatches();
                }
            }
        }
        double meanKl = rollout.meanKl();
        double nextBeta = kl.update(meanKl);
        double meanScore = 0;
        for (float s : scores) {
            meanScore += s / (double) b;
        }
        return new Stats(meanScore, meanKl, beta, nextBeta, rollout.entropy().mean().item(), last[0], last[1],
                last[2], last[3]);
    }

    /** The whitened advantages and the returns, both {@code (B, N)}, from the KL-penalised rewards. */
    private Tensor[] advantages(PpoRollout rollout, float[] scores, float beta) {
        int b = rollout.batch();
        int n = rollout.newTokens();
        float[] lp = rollout.logProbs().data();
        float[] ref = rollout.refLogProbs().data();
        float[] values = rollout.values().data();
        float[] adv = new float[b * n];
        float[] ret = new float[b * n];
        for (int i = 0; i < b; i++) {
            float[] rewards = new float[n];
            for (int t = 0; t < n; t++) {
                rewards[t] = -beta * (lp[i * n + t] - ref[i * n + t]);
            }
            rewards[n - 1] += scores[i];
            Gae.Estimate e = Gae.of(rewards, java.util.Arrays.copyOfRange(values, i * n, (i + 1) * n),
                    config.gamma(), config.lambda());
            System.arraycopy(e.advantages(), 0, adv, i * n, n);
            System.arraycopy(e.returns(), 0, ret, i * n, n);
        }
        whiten(adv);
        return new Tensor[] {Tensor.of(adv, b, n), Tensor.of(ret, b, n)};
    }

    /** In place: subtract the mean, divide by the standard deviation (plus 1e-8), in double. */
    static void whiten(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / x.length);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((x[i] - mean) / (std + 1e-8));
        }
    }

    /** One optimizer step on the samples {@code rows}; returns policy loss, value loss, clip fraction, approx KL. */
    private double[] update(PpoRollout rollout, int[] rows, Tensor advantages, Tensor returns) {
        int p = rollout.promptLength();
        int n = rollout.newTokens();
        IntTensor ids = rollout.ids().rows(rows);                                          // (b, P + N)
        IntTensor actions = ids.narrow(1, p, n);                                           // (b, N)
        Tensor oldLogProbs = rollout.logProbs().indexSelect(0, rows);
        Tensor oldValues = rollout.values().indexSelect(0, rows);
        Tensor mask = Tensor.onesLike(oldLogProbs);
        Tensor logProbs = policy.forward(ids).narrow(1, p - 1, n).logSoftmax(-1)
                .gather(2, actions.unsqueeze(2)).squeeze(2);                               // (b, N)
        Tensor values = valueModel.forward(ids).narrow(1, p - 1, n);                       // (b, N)
        Tensor policyLoss = PpoLoss.policy(logProbs, oldLogProbs, advantages, mask, config.clipRange());
        Tensor valueLoss = PpoLoss.value(values, oldValues, returns, mask, config.valueClipRange());
        Tensor loss = policyLoss.add(valueLoss.mul(config.valueCoef()));
        optimizer.zeroGrad();
        loss.backward();
        if (config.maxGradNorm() > 0) {
            GradClip.clipByNorm(optimizer.parameters().values(), config.maxGradNorm());
        }
        optimizer.step();
        double approxKl = oldLogProbs.sub(logProbs.detach()).mean().item();
        return new double[] {policyLoss.item(), valueLoss.item(),
                PpoLoss.clipFraction(logProbs.detach(), oldLogProbs, mask, config.clipRange()), approxKl};
    }

    private int checkPrompts(int[][] prompts, int newTokens) {
        if (prompts.length == 0 || prompts[0].length == 0) {
            throw new IllegalArgumentException("PpoTrainer.rollout: needs at least one prompt of at least one token");
        }
        if (newTokens < 1) {
            throw new IllegalArgumentException("PpoTrainer.rollout: newTokens must be >= 1, got " + newTokens);
        }
        int p = prompts[0].length;
        for (int i = 0; i < prompts.length; i++) {
            if (prompts[i].length != p) {
                throw new IllegalArgumentException("PpoTrainer.rollout: prompts must all have one length (batched "
                        + "with learned positions); prompt 0 has " + p + " tokens, prompt " + i + " has "
                        + prompts[i].length);
            }
            for (int id : prompts[i]) {
                if (id < 0 || id >= policy.config.vocabSize()) {
                    throw new IllegalArgumentException("PpoTrainer.rollout: prompt " + i + " has token id " + id
                            + " outside the vocabulary [0, " + policy.config.vocabSize() + ")");
                }
            }
        }
        if (p + newTokens > policy.config.blockSize()) {
            throw new IllegalArgumentException("PpoTrainer.rollout: " + p + " prompt + " + newTokens
                    + " new tokens exceed the context blockSize=" + policy.config.blockSize());
        }
        return p;
    }
}
