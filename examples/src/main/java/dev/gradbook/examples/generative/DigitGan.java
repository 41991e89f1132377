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

import java.util.ArrayList;
import java.util.List;

/**
 * A GAN of MLPs for 28 x 28 digits, optionally class-conditional (Mirza and Osindero,
 * "Conditional Generative Adversarial Nets", 2014, section 3.2: the one-hot label y is appended to
 * the generator's noise and to the discriminator's input, so D judges "is this a real 7?"):
 * <pre>
 *   G: [z (64), y (10)] -> 256 -> 256 -> 784, tanh     (pixels in [-1, 1])
 *   D: [x (784), y (10)] -> 256 -> 256 -> 1, leaky ReLU 0.2
 * </pre>
 * trained with the non-saturating loss and Adam (beta1 0.5, as Radford et al.'s DCGAN,
 * ICLR 2016, section 4, with a learning rate of 1e-3 instead of their 2e-4: a budget of
 * seconds), one D step per G step, on real digits scaled to [-1, 1].
 */
final class DigitGan {
    static final int NOISE = 64;
    final boolean conditional;
    final MLP generator;
    final MlpCritic discriminator;

    DigitGan(boolean conditional, Rng rng) {
        this.conditional = conditional;
        int c = conditional ? MnistDigits.CLASSES : 0;
        this.generator = new MLP(new int[] {NOISE + c, 256, 256, MnistDigits.PIXELS}, ReLU::new, rng.split());
        this.discriminator = new MlpCritic(new int[] {MnistDigits.PIXELS + c, 256, 256}, 0.2f, rng.split());
    }

    /** Images {@code (B, 784)} in [-1, 1] from noise {@code (B, 64)} and one-hot labels (null if unconditional). */
    Tensor generate(Tensor z, Tensor y) {
        return generator.forward(join(z, y)).tanh();
    }

    /** Samples in [0, 1] for the given labels (their count is the sample count; unconditional: any labels). */
    Tensor sample(int[] labels, Rng rng) {
        try (var noGrad = Autograd.noGrad()) {
            Tensor y = conditional ? MnistDigits.Data.oneHotOf(labels) : null;
            return DigitPictures.fromSigned(generate(Tensor.randn(rng, labels.length, NOISE), y));
        }
    }

    private Tensor join(Tensor x, Tensor y) {
        return conditional ? Tensor.cat(List.of(x, y), 1) : x;
    }

    /**
     * Trains for {@code steps} steps of 64; after every {@code steps / snapshots.length} steps the
     * generator's images for the fixed noise {@code probeNoise} and labels {@code probeLabels} are kept.
     * Returns the snapshots (in [0, 1]) and fills {@code dLosses}/{@code gLosses} per step.
     */
    List<Tensor> train(MnistDigits.Data data, int steps, float lr, Rng rng, Tensor probeNoise, int[] probeLabels, int snapshots,
                       double[] dLosses, double[] gLosses, ProgressReporter progress) {
        Adam.Config config = Adam.Config.defaults().withLr(lr).withBetas(0.5f, 0.999f);
        Adam gOpt = new Adam(generator.namedParameters(), config);
        Adam dOpt = new Adam(discriminator.namedParameters(), config);
        Tensor probeY = conditional ? MnistDigits.Data.oneHotOf(probeLabels) : null;
        List<Tensor> kept = new ArrayList<>();
        int every = Math.max(1, steps / snapshots);
        for (int step = 0; step < steps; step++) {
            MnistDigits.Data batch = data.batch(rng, 64);
            Tensor y = conditional ? batch.oneHot() : null;
            Tensor real = batch.images().mul(2f).sub(1f);                        // (64, 784) in [-1, 1]
            Tensor fake = generate(Tensor.randn(rng, 64, NOISE), y);              // (64, 784)
            Tensor dLoss = GanLosses.discriminator(discriminator.forward(join(real, y)),
                    discriminator.forward(join(fake.detach(), y)));
            dOpt.zeroGrad();
            dLoss.backward();
            dOpt.step();
            Tensor gLoss = GanLosses.generatorNonSaturating(discriminator.forward(join(fake, y)));
            gOpt.zeroGrad();
            dOpt.zeroGrad();
            gLoss.backward();
            gOpt.step();
            dLosses[step] = dLoss.item();
            gLosses[step] = gLoss.item();
            if ((step + 1) % every == 0 && kept.size() < snapshots) {
                try (var noGrad = Autograd.noGrad()) {
                    kept.add(DigitPictures.fromSigned(generate(probeNoise, probeY)));
                }
            }
            progress.update(step + 1, gLoss.item(), 64);
        }
        return kept;
    }
}
