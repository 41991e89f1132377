package dev.gradbook.examples.generative;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.generative.GanLosses;
import dev.gradbook.nn.generative.MlpCritic;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.train.ProgressReporter;

/**
 * One adversarial training run on {@link EightGaussians}, shared by {@code gan} and {@code wgan}
 * so that both games are played with the same networks, batch, optimizer and budget of generator
 * steps: generator {@code MLP 2 -> 64 -> 64 -> 2} (ReLU) fed {@code z ~ N(0, I_2)}, and a
 * discriminator/critic {@code 2 -> 64 -> 64 -> 1} with leaky ReLU ({@link MlpCritic}).
 */
final class ToyGan {
    /** Which game is played. */
    enum Game {
        /** Goodfellow et al.'s game with the non-saturating generator loss; one D step per G step. */
        GAN,
        /** Wasserstein critic with Gulrajani et al.'s gradient penalty (lambda 0.1); three critic steps per G step. */
        WGAN_GP
    }

    static final int BATCH = 128;
    static final int NOISE = 2;
    private static final int CHECKPOINTS = 10;

    /** The generator's final samples, the modes covered at checkpoints, and the critic's estimates per step. */
    record Run(Tensor samples, EightGaussians.Coverage coverage, int[] modesOverTraining, double[] criticValues) {
    }

    private ToyGan() {
    }

    static Run train(Game game, int steps, Rng rng, ProgressReporter progress) {
        MLP generator = new MLP(new int[] {NOISE, 64, 64, 2}, ReLU::new, rng.split());
        MlpCritic critic = new MlpCritic(new int[] {2, 64, 64}, 0.2f, rng.split());
        boolean wasserstein = game == Game.WGAN_GP;
        Adam.Config config = wasserstein
                ? Adam.Config.defaults().withLr(1e-3f).withBetas(0.5f, 0.9f)
                : Adam.Config.defaults().withLr(1e-3f).withBetas(0.5f, 0.999f);
        Adam gOpt = new Adam(generator.namedParameters(), config);
        Adam dOpt = new Adam(critic.namedParameters(), config);
        int criticSteps = wasserstein ? 3 : 1;
        int[] modes = new int[CHECKPOINTS];
        double[] criticValues = new double[steps];
        Rng eval = new Rng(rng.nextLong());
        for (int step = 0; step < steps; step++) {
            for (int k = 0; k < criticSteps; k++) {
                Tensor real = EightGaussians.sample(rng, BATCH);
                Tensor fake;
                try (var noGrad = Autograd.noGrad()) {
                    fake = generator.forward(Tensor.randn(rng, BATCH, NOISE));
                }
                Tensor realScore = critic.forward(real);
                Tensor fakeScore = critic.forward(fake);
                Tensor dLoss = wasserstein
                        ? GanLosses.critic(realScore, fakeScore).add(critic.gradientPenalty(real, fake, 0.1f, rng))
                        : GanLosses.discriminator(realScore, fakeScore);
                dOpt.zeroGrad();
                dLoss.backward();
                dOpt.step();
                criticValues[step] = realScore.mean().item() - fakeScore.mean().item();
            }
            Tensor fakeScore = critic.forward(generator.forward(Tensor.randn(rng, BATCH, NOISE)));
            Tensor gLoss = wasserstein ? GanLosses.generatorWasserstein(fakeScore) : GanLosses.generatorNonSaturating(fakeScore);
            gOpt.zeroGrad();
            dOpt.zeroGrad();
            gLoss.backward();
            gOpt.step();
            if ((step + 1) % Math.max(1, steps / CHECKPOINTS) == 0 && (step + 1) / Math.max(1, steps / CHECKPOINTS) <= CHECKPOINTS) {
                modes[(step + 1) / Math.max(1, steps / CHECKPOINTS) - 1] = EightGaussians.coverage(sample(generator, eval, 2_000)).modes();
            }
            progress.update(step + 1, gLoss.item(), BATCH);
        }
        Tensor samples = sample(generator, new Rng(7), 2_000);
        return new Run(samples, EightGaussians.coverage(samples), modes, criticValues);
    }

    private static Tensor sample(MLP generator, Rng rng, int n) {
        try (var noGrad = Autograd.noGrad()) {
            return generator.forward(Tensor.randn(rng, n, NOISE));
        }
    }
}
