package dev.gradbook.examples.generative;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.nn.data.Idx;
import dev.gradbook.nn.data.OneHot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MNIST as the generative chapters use it: each image one row of 784 values in [0, 1] (a
 * pixel-space model is an MLP over those rows), the labels as plain ints (a conditional model
 * wants them one-hot), and random mini-batches drawn with the chapter's seed. Files are read once
 * per process: {@code generative-evaluation} trains several models on the same digits.
 */
final class MnistDigits {
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;
    static final int CLASSES = 10;
    static final String[] NAMES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    private static final Map<String, Data> CACHE = new ConcurrentHashMap<>();

    private MnistDigits() {
    }

    /** Images {@code (N, 784)} in [0, 1] and their labels. */
    record Data(Tensor images, int[] labels) {
        int size() {
            return labels.length;
        }

        /** The first n examples (all if fewer). */
        Data first(int n) {
            if (n >= size()) {
                return this;
            }
            return new Data(images.narrow(0, 0, n).copy(), java.util.Arrays.copyOf(labels, n));
        }

        /** The examples at {@code rows}, copied. */
        Data pick(int[] rows) {
            int[] y = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                y[i] = labels[rows[i]];
            }
            return new Data(images.indexSelect(0, rows), y);
        }

        /** A mini-batch of {@code b} examples drawn uniformly (with replacement across batches). */
        Data batch(Rng rng, int b) {
            int[] rows = new int[b];
            for (int i = 0; i < b; i++) {
                rows[i] = rng.nextInt(size());
            }
            return pick(rows);
        }

        /** The labels one-hot, {@code (N, 10)}. */
        Tensor oneHot() {
            return oneHotOf(labels);
        }

        /** Digits 0..9 one-hot, {@code (N, 10)}. */
        static Tensor oneHotOf(int[] digits) {
            return OneHot.encode(digits, CLASSES);
        }

        /** The first example of each class 0..9, in class order. */
        Data onePerClass() {
            int[] rows = new int[CLASSES];
            java.util.Arrays.fill(rows, -1);
            for (int i = 0; i < size(); i++) {
                if (rows[labels[i]] < 0) {
                    rows[labels[i]] = i;
                }
            }
            return pick(rows);
        }
    }

    /** The {@code train} or {@code t10k} split, the first {@code limit} images. */
    static Data load(ChapterContext ctx, String split, int limit) throws IOException {
        String images = "images/mnist/" + split + "-images-idx3-ubyte.gz";
        String labels = "images/mnist/" + split + "-labels-idx1-ubyte.gz";
        String key = ctx.dataSource(images);
        Data all = CACHE.get(key);
        if (all == null) {
            Tensor x;
            IntTensor y;
            try (InputStream in = ctx.openData(images)) {
                x = Idx.readImages(in, images);
            }
            try (InputStream in = ctx.openData(labels)) {
                y = Idx.readLabels(in, labels);
            }
            all = new Data(x.reshape(x.size(0), PIXELS), y.toArray());
            CACHE.put(key, all);
        }
        return all.first(limit);
    }

    /** {@code count} copies of each requested digit in turn: labels for a conditional sample grid. */
    static int[] repeatEach(int[] digits, int count) {
        int[] out = new int[digits.length * count];
        for (int i = 0; i < out.length; i++) {
            out[i] = digits[i / count];
        }
        return out;
    }
}
