package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.gpt.Gpt;

/**
 * Direct Preference Optimization of a GPT policy (Rafailov et al. 2023, section 4 and eq. 7):
 * the loss of {@link DpoLoss} on the policy's and a frozen reference's sequence log-probabilities
 * ({@link SequenceLogProb}). The reference is a copy of the policy taken when this object is
 * made (the paper's {@code pi_ref = pi_SFT}), in eval mode, with no gradients: only the policy
 * learns, and the implicit reward {@code beta log(pi / pi_ref)} of every answer starts at 0.
 *
 * <p>One {@link #step} computes the loss of a batch of pairs; the caller runs {@code backward()}
 * and the optimizer over {@code policy.parameters()}:
 * <pre>{@code
 *   Dpo dpo = new Dpo(policy, 0.1f);
 *   Dpo.Step s = dpo.step(chosen, rejected);
 *   s.loss().backward(); optimizer.step(); optimizer.zeroGrad();
 * }</pre>
 */
public final class Dpo {
    private final Gpt policy;
    private final Gpt reference;
    private final float beta;

    /** DPO of {@code policy} against a frozen copy of its current weights, at strength {@code beta > 0}. */
    public Dpo(Gpt policy, float beta) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("Dpo: beta must be positive, got " + beta);
        }
        this.policy = policy;
        this.reference = frozenCopy(policy);
        this.beta = beta;
    }

    /** A batch's loss (with gradients into the policy) and its implicit rewards. */
    public record Step(Tensor loss, DpoLoss.Rewards rewards) {
    }

    /** The DPO loss of row-aligned pairs: row {@code i} of {@code chosen} was preferred to row {@code i} of {@code rejected}. */
    public Step step(ResponseBatch chosen, ResponseBatch rejected) {
        Tensor policyChosen = SequenceLogProb.of(policy, chosen);              // (B)
        Tensor policyRejected = SequenceLogProb.of(policy, rejected);          // (B)
        Tensor referenceChosen;
        Tensor referenceRejected;
        try (var ignored = Autograd.noGrad()) {
            referenceChosen = SequenceLogProb.of(reference, chosen);           // (B), constants
            referenceRejected = SequenceLogProb.of(reference, rejected);
        }
        DpoLoss.Rewards rewards = DpoLoss.rewards(policyChosen, policyRejected, referenceChosen, referenceRejected, beta);
        Tensor loss = DpoLoss.loss(policyChosen, policyRejected, referenceChosen, referenceRejected, beta);
        return new Step(loss, rewards);
    }

    /** The policy's KL from the reference on some responses (best: sampled from the policy), per row. */
    public Tensor kl(ResponseBatch responses) {
        return SequenceKl.of(policy, reference, responses);
    }

    public Gpt policy() {
        return policy;
    }

    /** The frozen reference. */
    public Gpt reference() {
        return reference;
    }

    public float beta() {
        return beta;
    }

    /** A copy of {@code model}'s weights in a new GPT, frozen and in eval mode. */
    public static Gpt frozenCopy(Gpt model) {
        Gpt copy = new Gpt(model.config, new Rng(0));
        copy.loadStateDict(model.stateDict());
        copy.freeze();
        copy.eval();
        return copy;
    }
}
