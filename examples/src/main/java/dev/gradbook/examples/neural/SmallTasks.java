package dev.gradbook.examples.neural;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.data.Csv;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.metrics.Metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * The small classification tasks of the neural-network chapters as labelled data sets (two
 * moons and spirals from {@link ToyData}, the shipped 8x8 digits) and what they ask of a trained
 * classifier: its loss and accuracy on a data set, and its prediction at every point of the
 * plane (for a decision-boundary picture).
 */
final class SmallTasks {
    private SmallTasks() {
    }

    /** A training part and a validation part of one data set. */
    record Split(LabeledData train, LabeledData val) {
    }

    /**
     * The 1,797 scikit-learn digits (8x8 pixels, values 0-16, scaled here to [0, 1]), shuffled
     * with {@code seed}: the first {@code trainSize} for training, the next {@code valSize} for
     * validation.
     */
    static Split digits(ChapterContext ctx, int trainSize, int valSize, long seed) throws IOException {
        String path = "images/digits8x8.csv.gz";
        LabeledData all;
        try (InputStream in = ctx.openData(path)) {
            all = Csv.readLabeled(in, ctx.dataSource(path));
        }
        int[] order = new Rng(seed).permutation(all.size());
        if (trainSize + valSize > order.length) {
            throw new IllegalArgumentException("digits: " + trainSize + " + " + valSize + " examples asked, "
                    + order.length + " exist");
        }
        return new Split(rows(all, Arrays.copyOfRange(order, 0, trainSize)),
                rows(all, Arrays.copyOfRange(order, trainSize, trainSize + valSize)));
    }

    private static LabeledData rows(LabeledData data, int[] rows) {
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = data.labels()[rows[i]];
        }
        return new LabeledData(data.features().indexSelect(0, rows).div(16f), labels, data.classNames());
    }

    /** {@link ToyData#twoMoons} as a labelled data set (classes "moon 0" and "moon 1"). */
    static LabeledData twoMoons(int n, double noise, Rng rng) {
        return labeled(ToyData.twoMoons(n, noise, rng), "moon", 2);
    }

    /** {@link ToyData#spiral} as a labelled data set (classes "arm 0", "arm 1", ...). */
    static LabeledData spiral(int perClass, int classes, double noise, Rng rng) {
        return labeled(ToyData.spiral(perClass, classes, noise, rng), "arm", classes);
    }

    private static LabeledData labeled(ToyData.Points points, String prefix, int classes) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(prefix + " " + k);
        }
        return new LabeledData(points.x(), points.labels(), names);
    }

    /** The model's logits for {@code x}, in evaluation mode and without recording a graph. */
    static Tensor logits(Layer model, Tensor x) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var ignored = Autograd.noGrad()) {
            return model.forward(x);
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
    }

    /** A classifier's mean cross-entropy and accuracy on one data set. */
    record Score(double loss, double accuracy) {
    }

    /** Loss and accuracy from one forward pass in evaluation mode. */
    static Score score(Layer model, LabeledData data) {
        Tensor z = logits(model, data.features());
        try (var ignored = Autograd.noGrad()) {
            return new Score(Losses.crossEntropy(z, data.labelTensor()).item(),
                    Metrics.accuracy(z, data.labelTensor()));
        }
    }

    static double accuracy(Layer model, LabeledData data) {
        return score(model, data).accuracy();
    }

    /** The mean cross-entropy of the model's softmax on {@code data}. */
    static double crossEntropy(Layer model, LabeledData data) {
        return score(model, data).loss();
    }

    /** The model's decision regions around {@code data}, for {@code ScatterPlot.regions} ({@link ToyData#regions}). */
    static DoubleBinaryOperator decisionRegions(Layer model, LabeledData data) {
        return ToyData.regions(new ToyData.Points(data.features(), data.labels()), x -> logits(model, x), 160);
    }
}
