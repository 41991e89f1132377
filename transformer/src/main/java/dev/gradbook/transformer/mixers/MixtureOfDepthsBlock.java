package dev.gradbook.transformer.mixers;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Mixture-of-Depths routing around a residual block (Raposo et al. 2024, "Mixture-of-Depths: Dynamically
 * allocating compute in transformer-based language models", sections 3.1-3.4).
 *
 * <p>A router weight vector {@code w} gives every token a scalar score {@code r_i = w . x_i}. Of the
 * {@code T} tokens of a sequence only the top {@code k = max(1, round(C T))} by score (C = capacity) go
 * through the wrapped block {@code f}; attention among them sees only the other routed tokens:
 * <pre>
 *   x_i' = x_i + r_i (f(X_routed)_i - x_i)     if r_i is among the top k of the sequence
 *   x_i' = x_i                                  otherwise (the residual, unchanged)
 * </pre>
 * The wrapped block already includes its own residual (as {@link dev.gradbook.transformer.gpt.Block}),
 * so {@code f(X)_i - x_i} is the block's contribution. Multiplying it by {@code r_i} puts the router on
 * the gradient path (section 3.4); without that the top-k choice would not be learned. Routed tokens
 * keep their original order so the causal mask still means "earlier in the sequence".
 *
 * <p>Note: top-k over the whole sequence is non-causal (section 3.5 discusses sampling); here it is
 * used for training and scoring, which is what the chapter measures.
 */
public class MixtureOfDepthsBlock extends Layer {
    private final Layer block;
    private final Linear router;
    private final double capacity;
    private final boolean scaleByRouter;

    /**
     * @param block         a residual block mapping (1, T, C) to (1, T, C)
     * @param nEmbd         the width C
     * @param capacity      fraction of tokens processed, in (0, 1]
     * @param scaleByRouter whether the block's output is multiplied by the router weight (the paper's
     *                      choice; {@code false} fixes the weight to 1, useful to compare with the plain block)
     */
    public MixtureOfDepthsBlock(Layer block, int nEmbd, double capacity, boolean scaleByRouter, Rng rng) {
        if (!(capacity > 0 && capacity <= 1)) {
            throw new IllegalArgumentException("MixtureOfDepthsBlock: capacity must be in (0, 1], got " + capacity);
        }
        this.block = child("block", block);
        this.router = child("router", new Linear(nEmbd, 1, false, rng));
        this.capacity = capacity;
        this.scaleByRouter = scaleByRouter;
    }

    public double capacity() {
        return capacity;
    }

    /** How many of {@code t} tokens a sequence sends through the block: {@code max(1, round(C t))}. */
    public int routedTokens(int t) {
        return Math.max(1, (int) Math.round(capacity * t));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3) {
            throw new IllegalArgumentException("MixtureOfDepthsBlock: expected (B, T, C), got " + Arrays.toString(x.shape()));
        }
        int b = x.size(0), t = x.size(1);
        int k = routedTokens(t);
        Tensor scores = router.forward(x);                               // (B, T, 1)
        List<Tensor> rows = new ArrayList<>();
        for (int s = 0; s < b; s++) {
            Tensor xs = x.narrow(0, s, 1).squeeze(0);                    // (T, C)
            Tensor rs = scores.narrow(0, s, 1).squeeze(0);               // (T, 1)
            int[] chosen = topKInOrder(rs, k);
            Tensor xr = xs.indexSelect(0, chosen);                       // (k, C)
            Tensor delta = block.forward(xr.unsqueeze(0)).squeeze(0).sub(xr);   // (k, C)
            if (scaleByRouter) {
                delta = delta.mul(rs.indexSelect(0, chosen));            // (k, C) * (k, 1)
            }
            int[] map = new int[t];                                      // row of [xs; xr + delta] for each position
            for (int i = 0; i < t; i++) {
                map[i] = i;
            }
            for (int j = 0; j < k; j++) {
                map[chosen[j]] = t + j;
            }
            Tensor both = Tensor.cat(List.of(xs, xr.add(delta)), 0);    // (T + k, C)
            rows.add(both.indexSelect(0, IntTensor.vector(map)));        // (T, C)
        }
        return Tensor.stack(rows, 0);                                    // (B, T, C)
    }

    /** The positions of the k largest scores, in increasing position order (ties: the earlier position). */
    static int[] topKInOrder(Tensor scores, int k) {
        int t = scores.size(0);
        Integer[] order = new Integer[t];
        for (int i = 0; i < t; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> {
            int c = Float.compare(scores.get(q, 0), scores.get(p, 0));
            return c != 0 ? c : Integer.compare(p, q);
        });
        int[] chosen = new int[k];
        for (int j = 0; j < k; j++) {
            chosen[j] = order[j];
        }
        Arrays.sort(chosen);
        return chosen;
    }
}
