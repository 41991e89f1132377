package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.gpt.Gpt;

/**
 * How far a tuned policy has moved from its reference on some responses: the KL divergence of
 * their next-token distributions, summed over the response's positions,
 * <pre>
 *     KL(x, y) = sum_t mask_t sum_v pi(v | x, y_&lt;t) (log pi(v | x, y_&lt;t) - log pi_ref(v | x, y_&lt;t))
 * </pre>
 * Averaged over responses {@code y} sampled from {@code pi}, this is exactly the sequence-level
 * {@code KL(pi(.|x) || pi_ref(.|x))} that RLHF's objective penalises (Ouyang et al. 2022, eq. 2;
 * Rafailov et al. 2023, eq. 3), with less noise than the one-sample estimate
 * {@code log pi(y|x) - log pi_ref(y|x)}, because each position sums over the whole vocabulary.
 */
public final class SequenceKl {
    private SequenceKl() {
    }

    /**
     * {@code KL (B)} from logits {@code (B, T, V)} of the policy and the reference and a mask
     * {@code (B, T)}. Gradients flow to the policy's logits; the reference's are used as constants.
     */
    public static Tensor of(Tensor policyLogits, Tensor referenceLogits, Tensor mask) {
        if (policyLogits.dim() != 3 || !java.util.Arrays.equals(policyLogits.shape(), referenceLogits.shape())
                || mask.dim() != 2 || mask.size(0) != policyLogits.size(0) || mask.size(1) != policyLogits.size(1)) {
            throw new IllegalArgumentException("SequenceKl: expected two (B, T, V) logits and a (B, T) mask, got "
                    + Shape.format(policyLogits.shape()) + ", " + Shape.format(referenceLogits.shape()) + " and "
                    + Shape.format(mask.shape()));
        }
        Tensor logP = policyLogits.logSoftmax(-1);                             // (B, T, V)
        Tensor logQ = referenceLogits.detach().logSoftmax(-1);                 // (B, T, V)
        Tensor perPosition = logP.exp().mul(logP.sub(logQ)).sum(2);            // (B, T)
        return perPosition.mul(mask).sum(1);                                   // (B)
    }

    /** The KL {@code (B)} of {@code policy} from {@code reference} on a batch's responses; no gradient. */
    public static Tensor of(Gpt policy, Gpt reference, ResponseBatch batch) {
        try (var ignored = Autograd.noGrad()) {
            return of(policy.forward(batch.inputs()), reference.forward(batch.inputs()), batch.targetMask());
        }
    }
}
