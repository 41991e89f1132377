package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.transformer.gpt.Gpt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reward model: a GPT trunk that reads prompt + response and a scalar head that says how good
 * the response is, trained on preference pairs with the Bradley-Terry loss
 * ({@link RewardModelLoss}; {@link #loss}). As in InstructGPT (Ouyang et al. 2022, section 3.5)
 * the trunk starts as a copy of the language model being aligned, with "the final unembedding
 * layer removed": here the head {@code (C -> V)} is replaced by {@code (C -> 1)}, giving one scalar
 * per position,
 * <pre>
 *     s_t = w . lnF(h_t) + b                   (B, L)
 * </pre>
 * and the reward of a response pools the scalars of its positions ({@link Pooling}): the last
 * response token's ({@code LAST}, InstructGPT's choice: with causal attention it has read the
 * whole text) or their mean ({@code MEAN}: suits judges that add up per-word evidence). The head
 * starts at zero, so every reward starts at 0 and the loss at {@code ln 2}.
 *
 * <p>Only differences of rewards are learned (Bradley-Terry is shift-invariant), so a reward's
 * absolute value means nothing; compare rewards of answers to the same prompt.
 */
public final class RewardModel extends Module {
    /** How the per-position scalars of a response become its reward. */
    public enum Pooling {
        /** The scalar at the response's last token. */
        LAST,
        /** The mean of the scalars over the response's tokens. */
        MEAN
    }

    private final Gpt trunk;
    private final Pooling pooling;

    /**
     * A reward model whose trunk is a copy of {@code base}'s embeddings, blocks and final norm
     * ({@code base} itself is not touched) and whose head is a zero {@code Linear(nEmbd, 1)}.
     */
    public RewardModel(Gpt base, Pooling pooling, Rng rng) {
        this.pooling = pooling;
        this.trunk = child("trunk", new Gpt(base.config.withTiedHead(false), rng));
        Linear head = new Linear(base.config.nEmbd(), 1, true, rng);
        try (var ignored = Autograd.noGrad()) {
            head.weight.fillInPlace(0f);
            head.bias.fillInPlace(0f);
        }
        trunk.replaceChild("head", head);
        Map<String, Tensor> weights = new LinkedHashMap<>(base.stateDict());
        weights.keySet().removeIf(k -> k.startsWith("head."));              // the language-model head, if untied
        trunk.loadStateDict(weights, false);
    }

    /** The per-position scalars {@code s (B, L)} of {@code tokens (B, L)}. */
    public Tensor scalars(IntTensor tokens) {
        return trunk.forward(tokens).squeeze(2);                               // (B, L, 1) -> (B, L)
    }

    /** The rewards {@code (B)} of the responses marked by {@code responseMask (B, L)} in {@code tokens (B, L)}. */
    public Tensor forward(IntTensor tokens, Tensor responseMask) {
        return pool(scalars(tokens), responseMask, pooling);
    }

    /** The rewards {@code (B)} of a batch's responses. */
    public Tensor forward(ResponseBatch batch) {
        return forward(batch.tokens(), batch.responseMask());
    }

    /** The Bradley-Terry loss {@code mean -log sigmoid(r(chosen) - r(rejected))} of row-aligned pairs. */
    public Tensor loss(ResponseBatch chosen, ResponseBatch rejected) {
        return RewardModelLoss.loss(forward(chosen), forward(rejected));
    }

    public Pooling pooling() {
        return pooling;
    }

    /**
     * Pools {@code scalars (B, L)} over the positions where {@code mask (B, L)} is 1: their mean, or
     * the value at the last of them. Every row needs at least one position marked.
     */
    public static Tensor pool(Tensor scalars, Tensor mask, Pooling pooling) {
        if (scalars.dim() != 2 || !java.util.Arrays.equals(scalars.shape(), mask.shape())) {
            throw new IllegalArgumentException("RewardModel.pool: scalars and mask must both be (B, L), got "
                    + Shape.format(scalars.shape()) + " and " + Shape.format(mask.shape()));
        }
        Tensor weights = pooling == Pooling.LAST ? lastMarked(mask) : mask;    // (B, L)
        Tensor counts = weights.sum(1);                                        // (B)
        for (float c : counts.data()) {
            if (c == 0) {
                throw new IllegalArgumentException("RewardModel.pool: a row has no response position marked");
            }
        }
        return scalars.mul(weights).sum(1).div(counts);                        // (B)
    }

    /** A mask with a single 1 per row, at the last position marked in {@code mask}. */
    private static Tensor lastMarked(Tensor mask) {
        int b = mask.size(0);
        int l = mask.size(1);
        float[] m = mask.data();
        float[] last = new float[b * l];
        for (int i = 0; i < b; i++) {
            for (int t = l - 1; t >= 0; t--) {
                if (m[i * l + t] != 0) {
                    last[i * l + t] = 1f;
                    break;
                }
            }
        }
        return Tensor.of(last, b, l);
    }

    @Override
    protected String describe() {
        return "pooling=" + pooling + ", trunk=" + trunk.config;
    }
}
