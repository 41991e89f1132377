package dev.gradbook.nn.loss;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * Knowledge distillation (Hinton, Vinyals and Dean, "Distilling the Knowledge in a Neural
 * Network", 2015, section 2): a small student learns from a large teacher's soft targets, its
 * probabilities at a raised temperature T, which say how alike the wrong classes are ("this 7
 * looks a bit like a 1") as well as which class is right:
 * <pre>
 *   p_i = softmax(z_teacher / T)_i,    q_i = softmax(z_student / T)_i
 *   L_soft = T² · KL(p || q) = T² · sum_i p_i (log p_i - log q_i)        averaged over the batch
 *   L      = alpha · L_soft + (1 - alpha) · CE(z_student, y)
 * </pre>
 * The T² keeps the soft term's gradient the same size as T changes: the gradient of the KL with
 * respect to the student's logits is {@code (q - p) / T}, which shrinks like 1/T² once the
 * logits' differences are small compared with T (section 2.1). The teacher's logits are treated
 * as constants (detached).
 */
public final class DistillationLoss {
    private DistillationLoss() {
    }

    /** {@code T² KL(softmax(teacher / T) || softmax(student / T))}, the batch mean, for logits {@code (B, K)}. */
    public static Tensor soft(Tensor student, Tensor teacher, float temperature) {
        if (student.dim() != 2 || !Arrays.equals(student.shape(), teacher.shape())) {
            throw new IllegalArgumentException("DistillationLoss: student " + Shape.format(student.shape())
                    + " and teacher " + Shape.format(teacher.shape()) + " logits must both be (B, K)");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("DistillationLoss: temperature must be > 0, got " + temperature);
        }
        Tensor logP = teacher.detach().div(temperature).logSoftmax(1);                    // (B, K)
        Tensor logQ = student.div(temperature).logSoftmax(1);                             // (B, K)
        Tensor kl = logP.exp().mul(logP.sub(logQ)).sum(1);                                // (B)
        return kl.mean().mul(temperature * temperature);
    }

    /** {@code alpha · soft + (1 - alpha) · crossEntropy(student, labels)}. */
    public static Tensor combined(Tensor student, Tensor teacher, IntTensor labels, float temperature, float alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("DistillationLoss: alpha must be in [0, 1], got " + alpha);
        }
        return soft(student, teacher, temperature).mul(alpha)
                .add(Losses.crossEntropy(student, labels).mul(1 - alpha));
    }
}
