package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.generative.DiffusionMlp;
import dev.gradbook.nn.generative.NoisePredictor;
import dev.gradbook.nn.generative.NoiseSchedule;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.train.ProgressReporter;

/**
 * The training loop of Ho et al.'s Algorithm 1, shared by the diffusion chapters: draw clean
 * data {@code x_0}, a step {@code t} and noise {@code eps}, and regress the network's prediction
 * on eps. What varies between chapters is where {@code x_0} comes from (points, pixels,
 * autoencoder codes) and whether a condition comes with it.
 */
final class DiffusionTraining {
    private DiffusionTraining() {
    }

    /** A mini-batch: clean data {@code (B, D)} and its condition {@code (B, C)} (null if none). */
    record Batch(Tensor x0, Tensor condition) {
    }

    /** Where the clean data comes from. */
    @FunctionalInterface
    interface Source {
        Batch next(Rng rng);
    }

    /** Adam steps on {@code ||eps - eps_theta(x_t, t, c)||^2}; returns the per-step losses. */
    static double[] train(DiffusionMlp model, NoiseSchedule schedule, Source source, int steps, float lr, Rng rng,
                          ProgressReporter progress) {
        Adam adam = new Adam(model.namedParameters(), lr);
        double[] losses = new double[steps];
        for (int step = 0; step < steps; step++) {
            Batch b = source.next(rng);
            Tensor loss = model.loss(schedule, b.x0(), b.condition(), rng);
            adam.zeroGrad();
            loss.backward();
            adam.step();
            losses[step] = loss.item();
            progress.update(step + 1, losses[step], b.x0().size(0));
        }
        return losses;
    }

    /** The model as a sampler sees it, with a fixed condition (or none). */
    static NoisePredictor predictor(DiffusionMlp model, Tensor condition) {
        return (x, t) -> model.forward(x, t, condition);
    }
}
