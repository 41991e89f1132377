package dev.gradbook.examples.generative;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.Sequential;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.metrics.FrechetDistance;
import dev.gradbook.nn.metrics.InceptionScore;
import dev.gradbook.nn.optim.Adam;

import java.io.IOException;

/**
 * The judge of Part 6: a small digit classifier, trained once per process (a few seconds) with
 * its own fixed seed so that every chapter is judged by the same network, whatever the chapter's
 * seed. It turns "the samples look like digits" into numbers:
 * <ul>
 *   <li>{@link #recognised}: the fraction of samples it classifies as the digit that was asked for
 *       (conditional models);</li>
 *   <li>{@link #fid}: the Frechet distance between the Gaussians of its 64 penultimate features on
 *       two image sets (Heusel et al. 2017 use Inception-v3's pool features);</li>
 *   <li>{@link #inceptionScore}: Salimans et al.'s score on its class probabilities.</li>
 * </ul>
 * Network {@code 784 -> 256 -> 64 -> 10} with ReLU; 1,000 steps of 128 of the first 30,000
 * training images; about 97.5% on the test set.
 */
final class Judge {
    static final int FEATURES = 64;
    private static final long SEED = 2024;
    private static final int TRAIN_IMAGES = 30_000;
    private static final int STEPS = 1_000;
    private static Judge cached;

    private final MLP features;
    private final Linear head;
    private final double testAccuracy;

    private Judge(MLP features, Linear head, double testAccuracy) {
        this.features = features;
        this.head = head;
        this.testAccuracy = testAccuracy;
    }

    /** The judge, trained on first use in this process. */
    static synchronized Judge get(ChapterContext ctx) throws IOException {
        if (cached == null) {
            cached = train(MnistDigits.load(ctx, "train", TRAIN_IMAGES), MnistDigits.load(ctx, "t10k", 10_000));
        }
        ctx.printf("judge: a 784-256-64-10 digit classifier, %.2f%% on the MNIST test set%n", 100 * cached.testAccuracy);
        return cached;
    }

    private static Judge train(MnistDigits.Data train, MnistDigits.Data test) {
        Rng rng = new Rng(SEED);
        MLP body = new MLP(new int[] {MnistDigits.PIXELS, 256, FEATURES}, ReLU::new, rng);
        Linear head = new Linear(FEATURES, MnistDigits.CLASSES, rng);
        Sequential net = new Sequential(body, new ReLU(), head);
        Adam adam = new Adam(net.namedParameters(), 2e-3f);
        for (int step = 0; step < STEPS; step++) {
            MnistDigits.Data batch = train.batch(rng, 128);
            Tensor loss = Losses.crossEntropy(net.forward(batch.images()), IntTensor.of(batch.labels()));
            adam.zeroGrad();
            loss.backward();
            adam.step();
        }
        Judge judge = new Judge(body, head, 0);
        return new Judge(body, head, judge.accuracy(test.images(), test.labels()));
    }

    double testAccuracy() {
        return testAccuracy;
    }

    /** The 64 penultimate features {@code (N, 64)} of images {@code (N, 784)} in [0, 1]. */
    Tensor features(Tensor images) {
        try (var noGrad = Autograd.noGrad()) {
            return features.forward(images).relu();
        }
    }

    /** Class probabilities {@code (N, 10)}. */
    Tensor probabilities(Tensor images) {
        try (var noGrad = Autograd.noGrad()) {
            return head.forward(features(images)).softmax(1);
        }
    }

    /** The most probable class of each image. */
    int[] predict(Tensor images) {
        Tensor p = probabilities(images);
        int[] out = new int[p.size(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.select(0, i).argmax();
        }
        return out;
    }

    /** The fraction of images classified as their label. */
    double accuracy(Tensor images, int[] labels) {
        int[] predicted = predict(images);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }

    /** The fraction of samples recognised as the digit requested for each. */
    double recognised(Tensor samples, int[] requested) {
        return accuracy(samples, requested);
    }

    /** FID between two image sets {@code (N, 784)} and {@code (M, 784)}, on the judge's features. */
    double fid(Tensor a, Tensor b) {
        return FrechetDistance.between(features(a), features(b));
    }

    /** Inception Score of images {@code (N, 784)} on the judge's probabilities. */
    double inceptionScore(Tensor images) {
        return InceptionScore.of(probabilities(images));
    }
}
