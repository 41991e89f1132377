package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value function {@code V(s_t)} of PPO for a language model: the expected reward still to
 * come after the prefix {@code s_t} (the prompt and the first {@code t} generated tokens). It is a
 * GPT whose vocabulary head is replaced by a single output, one value per position:
 * <pre>
 *   h = lnF(blocks(embed(ids)))     (B, T, C)     the transformer, copied from the policy
 *   V = h w + b                     (B, T)        w (C), b: a new scalar head, zero at the start
 * </pre>
 * InstructGPT (Ouyang et al. 2022, appendix C.3) initialises the value function from the reward
 * model; Ziegler et al. 2019 keep policy and value in separate networks too. {@link #fromPolicy}
 * copies the policy's transformer, which already knows the text's structure; the zero head makes
 * every value 0 at the start, so the first advantages are the plain rewards.
 *
 * <p>Child: {@code gpt} (its {@code head} is the scalar head).
 */
public final class ValueModel extends Module {
    private final Gpt gpt;

    private ValueModel(Gpt gpt) {
        this.gpt = child("gpt", gpt);
    }

    /**
     * A value model whose transformer is a copy of {@code policy}'s weights (tied or untied head)
     * and whose head is a zero {@code Linear(nEmbd, 1)}; {@code rng} only fills the vocabulary
     * head that is built then replaced.
     */
    public static ValueModel fromPolicy(Gpt policy, Rng rng) {
        Gpt copy = new Gpt(policy.config.withTiedHead(false), rng);
        Map<String, Tensor> trunk = new LinkedHashMap<>(policy.stateDict());
        trunk.remove("head.weight");
        copy.loadStateDict(trunk, false);
        copy.replaceChild("head", zeroHead(policy.config.nEmbd(), rng));
        return new ValueModel(copy);
    }

    /**
     * A value model with a new transformer of shape {@code config} (its vocabulary must be the
     * policy's) and a zero scalar head. Cheaper than {@link #fromPolicy} when {@code config} is
     * smaller than the policy: PPO only needs the value as a baseline that lowers the variance of
     * the advantages, so a small one trains the same policy at a fraction of the cost.
     */
    public static ValueModel fresh(GptConfig config, Rng rng) {
        Gpt gpt = new Gpt(config.withTiedHead(false), rng);
        gpt.replaceChild("head", zeroHead(config.nEmbd(), rng));
        return new ValueModel(gpt);
    }

    private static Linear zeroHead(int nEmbd, Rng rng) {
        Linear scalar = new Linear(nEmbd, 1, true, rng);
        try (var ignored = Autograd.noGrad()) {
            scalar.weight.fillInPlace(0f);
            scalar.bias.fillInPlace(0f);
        }
        return scalar;
    }

    /** {@code ids (B, T)}; returns the values {@code (B, T)}, {@code V} of each prefix ending at that position. */
    public Tensor forward(IntTensor ids) {
        Tensor v = gpt.forward(ids);                       // (B, T, 1)
        return v.reshape(ids.size(0), ids.size(1));        // (B, T)
    }

    @Override
    protected String describe() {
        return "scalar head on " + gpt.config.nLayer() + " blocks of width " + gpt.config.nEmbd();
    }
}
