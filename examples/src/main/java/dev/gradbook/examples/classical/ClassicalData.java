package dev.gradbook.examples.classical;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.nn.data.Csv;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.data.Standardizer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The small amount of data handling that the classical chapters share: reading a shipped
 * labelled data set, taking rows of it, and holding out a test part.
 */
final class ClassicalData {
    /** Column names of {@code tabular/iris.csv}, whose scikit-learn layout names only the classes. */
    static final List<String> IRIS_FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    private ClassicalData() {
    }

    /** A labelled data set by its path under {@code data/}: the scikit-learn CSVs, or {@code digits8x8.csv.gz}. */
    static LabeledData read(ChapterContext ctx, String path) throws IOException {
        try (InputStream in = ctx.openData(path)) {
            return path.startsWith("tabular/") ? Csv.readSklearn(in, ctx.dataSource(path))
                    : Csv.readLabeled(in, ctx.dataSource(path));
        }
    }

    /** The examples at {@code rows}, in that order. */
    static LabeledData subset(LabeledData data, int[] rows) {
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = data.labels()[rows[i]];
        }
        return new LabeledData(data.features().indexSelect(0, rows), labels, data.classNames());
    }

    /** A training part and a test part of one data set. */
    record Holdout(LabeledData train, LabeledData test) {
        /**
         * Shuffles with {@code seed} and keeps {@code trainFraction} of the rows for training,
         * class by class, so that both parts keep the class proportions of the whole
         * (scikit-learn's {@code stratify=y}): with 150 irises, exactly 15 of each species in a
         * 30% test part, rather than whatever one shuffle of all rows happens to leave.
         */
        static Holdout stratified(LabeledData data, double trainFraction, long seed) {
            Rng rng = new Rng(seed);
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int k = 0; k < data.numClasses(); k++) {
                int c = k;
                int[] members = IntStream.range(0, data.size()).filter(i -> data.labels()[i] == c).toArray();
                rng.shuffle(members);
                int nTrain = (int) Math.round(members.length * trainFraction);
                for (int i = 0; i < members.length; i++) {
                    (i < nTrain ? train : test).add(members[i]);
                }
            }
            return new Holdout(subset(data, shuffled(train, rng)), subset(data, shuffled(test, rng)));
        }

        private static int[] shuffled(List<Integer> rows, Rng rng) {
            int[] out = rows.stream().mapToInt(Integer::intValue).toArray();
            rng.shuffle(out);
            return out;
        }

        /**
         * Both parts rescaled to mean 0 and standard deviation 1 per feature, with the statistics
         * of the training part only: the test part must not influence anything the model learns.
         */
        Holdout standardized() {
            Standardizer scaler = Standardizer.fit(train.features());
            return new Holdout(withFeatures(train, scaler.transform(train.features())),
                    withFeatures(test, scaler.transform(test.features())));
        }

        private static LabeledData withFeatures(LabeledData data, Tensor features) {
            return new LabeledData(features, data.labels(), data.classNames());
        }
    }
}
