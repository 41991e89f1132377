package dev.gradbook.nn.generative;

import dev.gradbook.core.Tensor;

/**
 * The symmetric contrastive loss of CLIP (Radford et al., "Learning Transferable Visual Models
 * From Natural Language Supervision", ICML 2021, section 2.3 and Figure 3), built on InfoNCE
 * (van den Oord et al., "Representation Learning with Contrastive Predictive Coding", 2018,
 * equation 4). For N matching pairs (image i, text i), with L2-normalised embeddings and a
 * temperature tau,
 * <pre>
 *   S_ij = (I_i . T_j) / tau                               (N, N) cosine similarities
 *   L    = 1/2 * ( CE over rows of S with target i  +  CE over columns of S with target j )
 *        = -1/(2N) * sum over i of ( log softmax_j(S)_ii + log softmax_i(S)_ii )
 * </pre>
 * Every other item of the batch serves as a negative: the loss is small when each image is far
 * more similar to its own caption than to the others, and the other way round.
 */
public final class ContrastiveLoss {
    private ContrastiveLoss() {
    }

    /** Each row divided by its Euclidean length: {@code (N, d) -> (N, d)}. */
    public static Tensor normalize(Tensor x) {
        return x.div(x.square().sum(1, true).add(1e-12f).sqrt());
    }

    /** The cosine-similarity logits {@code S (N, M)} of rows of a {@code (N, d)} and b {@code (M, d)}, over tau. */
    public static Tensor logits(Tensor a, Tensor b, float temperature) {
        if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(1)) {
            throw new IllegalArgumentException("ContrastiveLoss: embeddings must be (N, d) and (M, d), got "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("ContrastiveLoss: temperature must be positive, got " + temperature);
        }
        return normalize(a).matmulT(normalize(b)).mul(1f / temperature); // (N, M)
    }

    /** InfoNCE of each row of a against all rows of b, the positive on the diagonal: a scalar. */
    public static Tensor infoNce(Tensor a, Tensor b, float temperature) {
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("ContrastiveLoss.infoNce: needs N pairs, got " + a.size(0) + " and " + b.size(0));
        }
        return diagonalMean(logits(a, b, temperature).logSoftmax(1)).neg();
    }

    /** CLIP's symmetric loss: the mean of {@link #infoNce} image-to-text and text-to-image. */
    public static Tensor clip(Tensor images, Tensor texts, float temperature) {
        if (images.size(0) != texts.size(0)) {
            throw new IllegalArgumentException("ContrastiveLoss.clip: needs N pairs, got " + images.size(0) + " images and "
                    + texts.size(0) + " texts");
        }
        Tensor s = logits(images, texts, temperature);                       // (N, N)
        Tensor rows = diagonalMean(s.logSoftmax(1));
        Tensor columns = diagonalMean(s.logSoftmax(0));
        return rows.add(columns).mul(-0.5f);
    }

    private static Tensor diagonalMean(Tensor square) {
        int n = square.size(0);
        return square.mul(Tensor.eye(n)).sum().mul(1f / n);
    }
}
