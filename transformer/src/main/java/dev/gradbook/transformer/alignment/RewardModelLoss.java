package dev.gradbook.transformer.alignment;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.loss.Reduction;

import java.util.Arrays;

/**
 * The pairwise loss for training a reward model from human preferences (Ouyang et al. 2022,
 * "InstructGPT", eq. 1; Stiennon et al. 2020), under the Bradley-Terry model (1952) of
 * comparisons: the probability that a person prefers answer {@code w} over answer {@code l} is
 * <pre>
 *     P(w > l) = sigmoid(r(w) - r(l))
 * </pre>
 * so maximising the likelihood of the recorded choices means minimising
 * <pre>
 *     loss = mean over pairs of  -log sigmoid(r_chosen - r_rejected)
 * </pre>
 * Only differences of rewards matter: adding a constant to every reward changes nothing. The
 * gradient with respect to {@code r_chosen} is {@code -(1 - sigmoid(d)) / n} for margin
 * {@code d}: pairs the model already ranks confidently contribute almost nothing.
 */
public final class RewardModelLoss {
    private RewardModelLoss() {
    }

    /** The mean Bradley-Terry loss of rewards for the chosen and rejected answers, both of shape {@code (n)}. */
    public static Tensor loss(Tensor rewardChosen, Tensor rewardRejected) {
        requireSameShape("RewardModelLoss.loss", rewardChosen, rewardRejected);
        return negativeLogSigmoid(rewardChosen.sub(rewardRejected)).mean();
    }

    /** The fraction of pairs in which the chosen answer gets the higher reward. */
    public static double accuracy(Tensor rewardChosen, Tensor rewardRejected) {
        requireSameShape("RewardModelLoss.accuracy", rewardChosen, rewardRejected);
        float[] c = rewardChosen.data();
        float[] r = rewardRejected.data();
        int right = 0;
        for (int i = 0; i < c.length; i++) {
            right += c[i] > r[i] ? 1 : 0;
        }
        return c.length == 0 ? 0 : (double) right / c.length;
    }

    /**
     * {@code -log sigmoid(z)} elementwise, computed stably: it is the binary cross-entropy of the
     * logit {@code z} against the label 1.
     */
    static Tensor negativeLogSigmoid(Tensor z) {
        return Losses.binaryCrossEntropyWithLogits(z, Tensor.onesLike(z), Reduction.NONE);
    }

    static void requireSameShape(String op, Tensor a, Tensor b) {
        if (a.dim() != 1 || !Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": expected two vectors (n) of the same shape, got "
                    + Shape.format(a.shape()) + " and " + Shape.format(b.shape()));
        }
    }
}
