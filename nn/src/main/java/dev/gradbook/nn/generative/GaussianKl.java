package dev.gradbook.nn.generative;

import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * The KL divergence of a diagonal Gaussian {@code q = N(mu, diag(exp(logVar)))} from the
 * standard normal prior {@code p = N(0, I)}, in closed form (Kingma and Welling, ICLR 2014,
 * appendix B):
 * <pre>
 *   KL(q || p) = -1/2 * sum over j of (1 + logVar_j - mu_j^2 - exp(logVar_j))
 * </pre>
 * It is the regulariser of the VAE's evidence lower bound, {@code ELBO = E_q[log p(x|z)] - KL};
 * it is zero exactly when {@code mu = 0} and {@code logVar = 0}.
 */
public final class GaussianKl {
    private GaussianKl() {
    }

    /** The KL of each row, summed over the latent dimensions: {@code (B, J) -> (B)}. */
    public static Tensor perExample(Tensor mu, Tensor logVar) {
        if (mu.dim() != 2 || !Arrays.equals(mu.shape(), logVar.shape())) {
            throw new IllegalArgumentException("GaussianKl: mu and logVar must both be (B, J), got "
                    + Arrays.toString(mu.shape()) + " and " + Arrays.toString(logVar.shape()));
        }
        Tensor inner = logVar.add(1f).sub(mu.square()).sub(logVar.exp()); // (B, J)
        return inner.sum(1).mul(-0.5f);                                   // (B)
    }

    /** The mean over the batch of {@link #perExample}: a scalar. */
    public static Tensor toStandardNormal(Tensor mu, Tensor logVar) {
        return perExample(mu, logVar).mean();
    }
}
