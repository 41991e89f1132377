package dev.gradbook.nn.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * The reparameterisation trick (Kingma and Welling, "Auto-Encoding Variational Bayes", ICLR
 * 2014, section 2.4): a sample of {@code z ~ N(mu, sigma^2)} written as a deterministic,
 * differentiable function of the parameters and of noise that does not depend on them,
 * <pre>
 *   z = mu + sigma * eps,   sigma = exp(logVar / 2),   eps ~ N(0, I)
 * </pre>
 * so that {@code dz/dmu = 1} and {@code dz/dlogVar = sigma * eps / 2}, and gradients of a loss
 * on z reach the encoder that produced {@code mu} and {@code logVar}. Sampling {@code z}
 * directly would cut that path: the randomness would sit between the loss and the parameters.
 */
public final class Reparameterization {
    private Reparameterization() {
    }

    /** {@code mu + exp(logVar / 2) * eps} with fresh {@code eps ~ N(0, I)} of mu's shape. */
    public static Tensor sample(Tensor mu, Tensor logVar, Rng rng) {
        return sample(mu, logVar, Tensor.randn(rng, mu.shape()));
    }

    /** {@code mu + exp(logVar / 2) * eps} for the given noise (all three of one shape). */
    public static Tensor sample(Tensor mu, Tensor logVar, Tensor eps) {
        if (!java.util.Arrays.equals(mu.shape(), logVar.shape()) || !java.util.Arrays.equals(mu.shape(), eps.shape())) {
            throw new IllegalArgumentException("Reparameterization.sample: mu " + java.util.Arrays.toString(mu.shape())
                    + ", logVar " + java.util.Arrays.toString(logVar.shape()) + " and eps "
                    + java.util.Arrays.toString(eps.shape()) + " must have one shape");
        }
        return mu.add(logVar.mul(0.5f).exp().mul(eps));
    }
}
