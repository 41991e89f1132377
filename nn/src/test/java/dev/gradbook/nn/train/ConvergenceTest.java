package dev.gradbook.nn.train;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.Tanh;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.metrics.Metrics;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.SGD;
import dev.gradbook.nn.optim.WarmupCosine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: the losses and optimizers actually train small networks. */
class ConvergenceTest {

    @Test
    void xorWithAdamAndBinaryCrossEntropy() {
        Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Tensor.of(new float[][] {{0}, {1}, {1}, {0}});
        MLP model = new MLP(new int[] {2, 8, 1}, Tanh::new, new Rng(42));
        Adam adam = new Adam(model.namedParameters(), 0.05f);
        float loss = Float.NaN;
        for (int step = 0; step < 500 && !(loss < 0.01f); step++) {
            adam.zeroGrad();
            Tensor l = Losses.binaryCrossEntropyWithLogits(model.forward(x), y);
            l.backward();
            adam.step();
            loss = l.item();
        }
        assertTrue(loss < 0.01f, "XOR loss " + loss);
        try (var noGrad = Autograd.noGrad()) {
            Tensor predicted = model.forward(x).gt(0f);     // logit > 0 means class 1
            assertEquals(0f, predicted.sub(y).abs().sum().item(), "all four points right");
        }
    }

    /** Two interleaved half circles (as scikit-learn's make_moons), with Gaussian noise. */
    private static Tensor[] twoMoons(Rng rng, int perMoon, float noise) {
        float[] points = new float[4 * perMoon];
        float[] labels = new float[2 * perMoon];
        for (int i = 0; i < 2 * perMoon; i++) {
            double t = Math.PI * rng.nextDouble();
            boolean upper = i < perMoon;
            double px = upper ? Math.cos(t) : 1 - Math.cos(t);
            double py = upper ? Math.sin(t) : 0.5 - Math.sin(t);
            points[2 * i] = (float) (px + noise * rng.nextGaussian());
            points[2 * i + 1] = (float) (py + noise * rng.nextGaussian());
            labels[i] = upper ? 0 : 1;
        }
        return new Tensor[] {Tensor.wrap(points, 2 * perMoon, 2), Tensor.wrap(labels, 2 * perMoon)};
    }

    @Test
    void twoMoonsWithSgdMomentumAndCrossEntropy() {
        Tensor[] train = twoMoons(new Rng(1), 100, 0.1f);
        Tensor[] test = twoMoons(new Rng(2), 100, 0.1f);
        MLP model = new MLP(new int[] {2, 16, 16, 2}, ReLU::new, new Rng(3));
        SGD sgd = new SGD(model.namedParameters(), SGD.Config.withMomentum(0.1f, 0.9f));
        int steps = 150;
        var schedule = new WarmupCosine(0.1f, 0.005f, 10, steps);
        var progress = new ProgressReporter("moons", steps);   // quiet under the test suite
        for (int step = 1; step <= steps; step++) {
            schedule.applyTo(sgd);
            sgd.zeroGrad();
            Tensor loss = Losses.crossEntropy(model.forward(train[0]), train[1].toIntTensor());
            loss.backward();
            GradClip.clipByNorm(model.parameters(), 5f);
            sgd.step();
            progress.update(step, loss.item(), 200);
        }
        progress.finish();
        assertTrue(progress.smoothedLoss() < 0.1, "final smoothed loss " + progress.smoothedLoss());
        try (var noGrad = Autograd.noGrad()) {
            double accuracy = Metrics.accuracy(model.forward(test[0]), test[1].toIntTensor());
            assertTrue(accuracy > 0.95f, "held-out accuracy " + accuracy);
        }
    }
}
