package dev.gradbook.nn.generative;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * Ancestral sampling of a DDPM (Ho et al., NeurIPS 2020, Algorithm 2): start from pure noise
 * and undo one step of the forward process at a time, T network evaluations in all,
 * <pre>
 *   x_T ~ N(0, I)
 *   x_(t-1) = 1 / sqrt(alpha_t) * ( x_t - beta_t / sqrt(1 - alphaBar_t) * eps_theta(x_t, t) ) + sigma_t z
 * </pre>
 * with {@code z ~ N(0, I)} except at the last step, and {@code sigma_t^2} the variance of the
 * forward process's posterior {@code q(x_(t-1) | x_t, x_0)} (section 3.2, equation 7),
 * {@code betaTilde_t = (1 - alphaBar_(t-1)) / (1 - alphaBar_t) * beta_t}. The paper reports that
 * {@code sigma_t^2 = beta_t} works as well on images; on data concentrated on thin sets (points
 * near a few centres) it does not, since the last steps would add noise of std sqrt(beta_1).
 */
public final class DdpmSampler {
    private final NoiseSchedule schedule;

    public DdpmSampler(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    /** {@code x_0} of shape {@code shape} (the batch first), without building a graph. */
    public Tensor sample(NoisePredictor model, Rng rng, int... shape) {
        try (var noGrad = Autograd.noGrad()) {
            Tensor x = Tensor.randn(rng, shape);
            for (int t = schedule.steps() - 1; t >= 0; t--) {
                Tensor eps = model.predict(x, t);
                double a = schedule.alpha(t);
                float epsScale = (float) (schedule.beta(t) / Math.sqrt(1 - schedule.alphaBar(t)));
                x = x.sub(eps.mul(epsScale)).mul((float) (1 / Math.sqrt(a)));
                if (t > 0) {
                    double posterior = (1 - schedule.alphaBar(t - 1)) / (1 - schedule.alphaBar(t)) * schedule.beta(t);
                    x = x.add(Tensor.randn(rng, shape).mul((float) Math.sqrt(posterior)));
                }
            }
            return x;
        }
    }
}
