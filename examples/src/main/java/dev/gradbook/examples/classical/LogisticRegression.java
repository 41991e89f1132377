package dev.gradbook.examples.classical;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.metrics.Metrics;
import dev.gradbook.nn.optim.SGD;
import dev.gradbook.nn.train.ProgressReporter;

/**
 * Logistic regression for two classes and softmax regression for K, both a single
 * {@link Linear} layer trained by full-batch gradient descent on the cross-entropy. The
 * {@code logistic-regression} chapter explains them; {@code model-evaluation} reuses them.
 *
 * <p>With two classes the layer has one output, the log-odds {@code z = w.x + b}, and
 * {@code P(y = 1 | x) = sigmoid(z)}; with K classes it has K outputs and
 * {@code P(y = k | x) = softmax(z)_k}. The first is the second with K = 2 and one logit pinned
 * at zero, so the two agree on what they can express.
 */
final class LogisticRegression {
    private final Linear linear;
    private final boolean binary;

    LogisticRegression(int features, int classes, Rng rng) {
        this.binary = classes == 2;
        this.linear = new Linear(features, binary ? 1 : classes, rng);
    }

    Linear layer() {
        return linear;
    }

    /** The mean cross-entropy on {@code x} (N, D) with class labels (N), as a graph to differentiate. */
    Tensor loss(Tensor x, int[] labels) {
        Tensor z = linear.forward(x); // (N, 1) or (N, K)
        return binary ? Losses.binaryCrossEntropyWithLogits(z.reshape(-1), labelTensor(labels))
                : Losses.crossEntropy(z, IntTensor.of(labels));
    }

    /** {@code steps} steps of gradient descent on all of {@code x} at once; returns the loss before each step. */
    double[] fit(Tensor x, int[] labels, int steps, float learningRate, ProgressReporter progress) {
        SGD optimizer = new SGD(linear.namedParameters(), learningRate);
        double[] curve = new double[steps];
        for (int s = 0; s < steps; s++) {
            Tensor loss = loss(x, labels);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            curve[s] = loss.item();
            if (progress != null) {
                progress.update(s + 1, curve[s], labels.length);
            }
        }
        return curve;
    }

    int[] predict(Tensor x) {
        try (var scope = Autograd.noGrad()) {
            Tensor z = linear.forward(x);
            if (!binary) {
                return Metrics.predictions(z).toArray();
            }
            float[] logit = z.data();
            int[] out = new int[logit.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = logit[i] > 0 ? 1 : 0; // sigmoid(z) > 1/2 exactly when z > 0
            }
            return out;
        }
    }

    /** For two classes: {@code P(y = 1 | x)} for each row of {@code x}. */
    double[] positiveProbabilities(Tensor x) {
        if (!binary) {
            throw new IllegalStateException("positiveProbabilities: the model has more than two classes");
        }
        try (var scope = Autograd.noGrad()) {
            float[] p = linear.forward(x).sigmoid().data();
            double[] out = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i];
            }
            return out;
        }
    }

    /** Labels 0/1 as the float targets of binary cross-entropy. */
    static Tensor labelTensor(int[] labels) {
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return Tensor.wrap(y, labels.length);
    }
}
