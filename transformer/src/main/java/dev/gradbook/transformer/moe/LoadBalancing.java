package dev.gradbook.transformer.moe;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Routing helpers for {@link MixtureOfExperts}: the top-k choice and the auxiliary
 * load-balancing loss of Switch Transformers (Fedus, Zoph and Shazeer, JMLR 2022, eq. 4-6):
 * <pre>
 *     loss = N * sum_i f_i * P_i
 *     f_i  = the fraction of routing assignments that went to expert i   (a count: no gradient)
 *     P_i  = the mean over tokens of the router probability p_i(x)        (differentiable)
 * </pre>
 * Switch routes each token to one expert; with top-k, each token makes k assignments and
 * {@code f_i} counts expert i's share of all {@code n k} of them, so that {@code sum_i f_i = 1}
 * either way. The loss is smallest, 1, under uniform routing ({@code f_i = P_i = 1/N}); it is
 * also exactly 1 whenever either vector is uniform, since the other sums to one. It reaches
 * {@code N} when every token goes to one expert with certainty. The gradient flows through
 * {@code P}: lowering the probability of the experts that receive too many tokens.
 */
public final class LoadBalancing {
    private LoadBalancing() {
    }

    /**
     * For each row of {@code logits (n, E)}, the indices {@code (n, k)} of its {@code k} largest
     * entries, largest first (ties: lower index), as {@link Tensor#topk} gives them.
     */
    public static IntTensor topK(Tensor logits, int k) {
        if (logits.dim() != 2 || k < 1 || k > logits.size(1)) {
            throw new IllegalArgumentException("topK: expected (n, E) logits and 1 <= k <= E, got shape "
                    + Shape.format(logits.shape()) + " and k=" + k);
        }
        return logits.topk(k, 1).indices();
    }

    /** {@code N * sum_i f_i P_i} from router probabilities {@code probs (n, N)} and the chosen experts {@code (n, k)}. */
    public static Tensor loss(Tensor probs, IntTensor chosen) {
        if (probs.dim() != 2 || chosen.dim() != 2 || chosen.size(0) != probs.size(0)) {
            throw new IllegalArgumentException("LoadBalancing.loss: probabilities of shape "
                    + Shape.format(probs.shape()) + " do not match routing of shape " + Shape.format(chosen.shape()));
        }
        int e = probs.size(1);
        chosen.checkRange("LoadBalancing.loss", e);
        float[] f = new float[e];
        int assignments = 0;
        for (int i : chosen.data()) {
            f[i] += 1;
            assignments++;
        }
        for (int i = 0; i < e; i++) {
            f[i] /= assignments;
        }
        Tensor p = probs.mean(0);                    // (N): P_i
        return p.mul(Tensor.wrap(f, e)).sum().mul(e); // scalar
    }
}
