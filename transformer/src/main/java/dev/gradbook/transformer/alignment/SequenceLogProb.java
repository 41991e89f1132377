package dev.gradbook.transformer.alignment;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.transformer.gpt.Gpt;

/**
 * The log-probability a language model gives a whole token sequence, the quantity that
 * {@link DpoLoss} compares between policy and reference:
 * <pre>
 *     log p(y | x) = sum_t mask_t * log softmax(logits_t)[y_t]
 * </pre>
 * Shapes: {@code logits (B, T, V)}, {@code tokens (B, T)} (ids as whole-number floats),
 * {@code mask (B, T)} with 1 where a token counts (the answer) and 0 where it does not (the
 * prompt, padding); result {@code (B)}.
 *
 * <p>{@code logits[b, t]} must be the distribution that predicts {@code tokens[b, t]}. A causal
 * language model's output at position {@code t} predicts the token at {@code t + 1}, so for a
 * sequence {@code ids (B, T + 1)} pass {@code logits.narrow(1, 0, T)} and
 * {@code ids.narrow(1, 1, T)}. Masked positions still need a valid id (use 0 for padding).
 */
public final class SequenceLogProb {
    private SequenceLogProb() {
    }

    /** The summed log-probability of {@code tokens} under {@code logits} over positions where {@code mask} is 1. */
    public static Tensor of(Tensor logits, IntTensor tokens, Tensor mask) {
        if (logits.dim() != 3 || tokens.dim() != 2 || logits.size(0) != tokens.size(0)
                || logits.size(1) != tokens.size(1) || !java.util.Arrays.equals(tokens.shape(), mask.shape())) {
            throw new IllegalArgumentException("SequenceLogProb: expected logits (B, T, V), tokens (B, T) and mask "
                    + "(B, T), got " + Shape.format(logits.shape()) + ", " + Shape.format(tokens.shape()) + " and "
                    + Shape.format(mask.shape()));
        }
        Tensor logProbs = logits.logSoftmax(-1);                               // (B, T, V)
        Tensor picked = logProbs.gather(2, tokens.unsqueeze(2)).squeeze(2);    // (B, T): log p(y_t)
        return picked.mul(mask).sum(1);                                        // (B)
    }

    /**
     * The summed log-probability {@code model} gives each row's response, {@code (B)}: the model
     * reads {@link ResponseBatch#inputs()} and its predictions are scored against
     * {@link ResponseBatch#targets()} where {@link ResponseBatch#targetMask()} is 1. Gradients flow
     * into the model unless called in a no-grad scope.
     */
    public static Tensor of(Gpt model, ResponseBatch batch) {
        Tensor logits = model.forward(batch.inputs());                         // (B, L-1, V)
        return of(logits, batch.targets(), batch.targetMask());                 // (B)
    }
}
