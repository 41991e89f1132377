package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * The two losses of Proximal Policy Optimization (Schulman et al. 2017, "Proximal Policy
 * Optimization Algorithms", eq. 7 and 9), per token of sampled continuations, averaged over the
 * tokens where {@code mask} is 1. Shapes: every argument {@code (B, N)}, one entry per generated
 * token; the result is a scalar.
 *
 * <p><b>Clipped surrogate</b> (eq. 7). With the probability ratio between the policy being
 * updated and the one that sampled the data,
 * <pre>
 *   rho_t = pi(a_t | s_t) / pi_old(a_t | s_t) = exp(log pi - log pi_old)
 *   L_clip = -mean_t min( rho_t A_t,  clip(rho_t, 1 - eps, 1 + eps) A_t )
 * </pre>
 * Minimising {@code -rho A} alone would push a good action's probability up without limit on data
 * that an older policy collected; the clip removes the incentive to move {@code rho} beyond
 * {@code 1 +- eps}: once a positive-advantage token's ratio exceeds {@code 1 + eps} (or a
 * negative one's falls below {@code 1 - eps}), the min picks the clipped, constant term and the
 * token's gradient is zero. Moves that make the objective worse are never clipped.
 *
 * <p><b>Value loss</b>, with the value clipping of the PPO baselines that Ziegler et al. 2019 and
 * InstructGPT train with:
 * <pre>
 *   V_clip  = V_old + clip(V - V_old, -eps_v, eps_v)
 *   L_V     = 1/2 mean_t max( (V - R_t)^2, (V_clip - R_t)^2 )
 * </pre>
 * where {@code R_t} are the returns from {@link Gae}.
 */
public final class PpoLoss {
    private PpoLoss() {
    }

    /** The clipped surrogate loss; gradients flow to {@code logProbs} (the others are data). */
    public static Tensor policy(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, float clipRange) {
        requireSameShape("PpoLoss.policy", logProbs, oldLogProbs, advantages, mask);
        requirePositive("PpoLoss.policy: clipRange", clipRange);
        Tensor ratio = logProbs.sub(oldLogProbs).exp();                           // (B, N)
        Tensor unclipped = ratio.mul(advantages);
        Tensor clipped = ratio.clamp(1 - clipRange, 1 + clipRange).mul(advantages);
        return maskedMean(unclipped.minimum(clipped), mask).neg();
    }

    /** The clipped value loss; gradients flow to {@code values}. */
    public static Tensor value(Tensor values, Tensor oldValues, Tensor returns, Tensor mask, float clipRange) {
        requireSameShape("PpoLoss.value", values, oldValues, returns, mask);
        requirePositive("PpoLoss.value: clipRange", clipRange);
        Tensor clippedValues = oldValues.add(values.sub(oldValues).clamp(-clipRange, clipRange));
        Tensor squared = values.sub(returns).pow(2f);
        Tensor squaredClipped = clippedValues.sub(returns).pow(2f);
        return maskedMean(squared.maximum(squaredClipped), mask).mul(0.5f);
    }

    /**
     * The fraction of counted tokens whose ratio lies outside {@code [1 - eps, 1 + eps]}: how much
     * of the batch the clip is holding back (a diagnostic, no gradient).
     */
    public static double clipFraction(Tensor logProbs, Tensor oldLogProbs, Tensor mask, float clipRange) {
        requireSameShape("PpoLoss.clipFraction", logProbs, oldLogProbs, mask, mask);
        float[] lp = logProbs.data();
        float[] old = oldLogProbs.data();
        float[] m = mask.data();
        double clipped = 0;
        double counted = 0;
        for (int i = 0; i < lp.length; i++) {
            double ratio = Math.exp((double) lp[i] - old[i]);
            counted += m[i];
            clipped += Math.abs(ratio - 1) > clipRange ? m[i] : 0;
        }
        return counted == 0 ? 0 : clipped / counted;
    }

    /** {@code sum(x mask) / sum(mask)}. */
    static Tensor maskedMean(Tensor x, Tensor mask) {
        double count = mask.sum().item();
        if (count <= 0) {
            throw new IllegalArgumentException("PpoLoss: the mask selects no token");
        }
        return x.mul(mask).sum().div((float) count);
    }

    private static void requireSameShape(String op, Tensor a, Tensor b, Tensor c, Tensor d) {
        if (a.dim() != 2 || !Arrays.equals(a.shape(), b.shape()) || !Arrays.equals(a.shape(), c.shape())
                || !Arrays.equals(a.shape(), d.shape())) {
            throw new IllegalArgumentException(op + ": expected four (B, N) tensors of one shape, got "
                    + Shape.format(a.shape()) + ", " + Shape.format(b.shape()) + ", " + Shape.format(c.shape())
                    + " and " + Shape.format(d.shape()));
        }
    }

    private static void requirePositive(String what, float v) {
        if (!(v > 0) || Float.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a positive number, got " + v);
        }
    }
}
