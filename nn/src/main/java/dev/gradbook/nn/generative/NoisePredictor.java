package dev.gradbook.nn.generative;

import dev.gradbook.core.Tensor;

/**
 * A diffusion model's network as the samplers see it: the noise {@code eps_theta(x_t, t)} it
 * believes was added to reach {@code x_t (B, ...)} at step {@code t} (one step for the whole
 * batch, as in sampling). A class-conditional model closes over its labels:
 * {@code (x, t) -> model.forward(x, steps(t), labels)}.
 */
@FunctionalInterface
public interface NoisePredictor {
    Tensor predict(Tensor xt, int t);
}
