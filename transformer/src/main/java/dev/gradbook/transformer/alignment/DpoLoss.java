package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Tensor;

/**
 * Direct Preference Optimization (Rafailov et al., NeurIPS 2023, eq. 7): fit a policy to
 * preference pairs without a separate reward model or reinforcement learning.
 * <pre>
 *   L = -mean log sigmoid( beta log(pi(y_w|x) / pi_ref(y_w|x)) - beta log(pi(y_l|x) / pi_ref(y_l|x)) )
 * </pre>
 * {@code y_w} is the preferred ("won") answer, {@code y_l} the rejected one, {@code pi} the
 * policy being trained and {@code pi_ref} the frozen reference (usually the model after
 * supervised fine-tuning). Each {@code log pi(y|x)} is a whole answer's summed token
 * log-probability: {@link SequenceLogProb}.
 *
 * <p>Why it works (section 4): the KL-regularised RLHF objective has the closed-form optimum
 * {@code pi ∝ pi_ref exp(r / beta)}, so {@code r(x, y) = beta log(pi(y|x) / pi_ref(y|x))} up to
 * a term that cancels between the two answers. Substituting this "implicit reward" into the
 * Bradley-Terry loss of {@link RewardModelLoss} gives L. {@code beta} (typically 0.1 to 0.5)
 * sets how far the policy may move from the reference: small beta, weak pull back.
 */
public final class DpoLoss {
    private DpoLoss() {
    }

    /** The implicit rewards of a batch: {@code beta (log pi - log pi_ref)} for the chosen and rejected answers. */
    public record Rewards(Tensor chosen, Tensor rejected) {
        /** The fraction of pairs where the chosen answer's implicit reward is higher. */
        public double accuracy() {
            return RewardModelLoss.accuracy(chosen, rejected);
        }

        /** The mean of {@code chosen - rejected}. */
        public double margin() {
            return chosen.sub(rejected).mean().item();
        }
    }

    /**
     * Eq. 7 averaged over the batch. All four inputs are {@code (n)} vectors of sequence
     * log-probabilities; gradients flow to the policy's (the reference's should be constants,
     * computed without gradients).
     */
    public static Tensor loss(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen,
                              Tensor referenceRejected, float beta) {
        Rewards r = rewards(policyChosen, policyRejected, referenceChosen, referenceRejected, beta);
        return RewardModelLoss.negativeLogSigmoid(r.chosen().sub(r.rejected())).mean();
    }

    /** The implicit rewards {@code beta log(pi / pi_ref)} of both answers, for logging margins and accuracy. */
    public static Rewards rewards(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen,
                                  Tensor referenceRejected, float beta) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("DpoLoss: beta must be positive, got " + beta);
        }
        RewardModelLoss.requireSameShape("DpoLoss", policyChosen, policyRejected);
        RewardModelLoss.requireSameShape("DpoLoss", policyChosen, referenceChosen);
        RewardModelLoss.requireSameShape("DpoLoss", policyChosen, referenceRejected);
        return new Rewards(policyChosen.sub(referenceChosen).mul(beta), policyRejected.sub(referenceRejected).mul(beta));
    }
}
