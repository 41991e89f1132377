package dev.gradbook.examples.neural;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.data.Batch;
import dev.gradbook.nn.data.DataLoader;
import dev.gradbook.nn.data.Idx;
import dev.gradbook.nn.data.TensorDataset;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.metrics.Metrics;
import dev.gradbook.nn.optim.LearningRateSchedule;
import dev.gradbook.nn.optim.Optimizer;
import dev.gradbook.nn.train.ProgressReporter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * What the image chapters ({@code mnist-mlp}, {@code cnn}, {@code transfer-learning}) share:
 * reading MNIST-style IDX files, the mini-batch training loop of a classifier, and its
 * evaluation. Each chapter builds its own model; this class only feeds and scores it. Public for
 * the chapters of Part 9 (quantization, pruning, distillation, serving, explainability).
 */
public final class Digits {
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final int CLASSES = 10;
    private static final int EVAL_BATCH = 1000;

    private Digits() {
    }

    /** Images {@code (N, 28, 28)} in [0, 1] and their class labels {@code (N)}. */
    public record Data(Tensor images, IntTensor labels) {
        public int size() {
            return labels.size(0);
        }

        public int label(int i) {
            return labels.data()[i];
        }

        public int[] labelArray() {
            return labels.data();
        }

        /** The first {@code n} examples (all of them if there are fewer). */
        public Data first(int n) {
            return n >= size() ? this : pick(rangeTo(n));
        }

        /** The examples whose label passes {@code test}, in their original order. */
        Data where(IntPredicate test) {
            return pick(java.util.stream.IntStream.range(0, size()).filter(i -> test.test(label(i))).toArray());
        }

        /** The examples at {@code indices}, copied, in that order. */
        public Data pick(int[] indices) {
            TensorDataset picked = new TensorDataset(images, labels).subset(indices);
            return new Data(picked.features(), picked.labels());
        }

        /** The same examples with every label {@code y} replaced by {@code y - offset} (classes 5..9 become 0..4). */
        Data shiftLabels(int offset) {
            int[] v = labels.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] -= offset;
            }
            return new Data(images, IntTensor.wrap(v, v.length));
        }

        /** One image {@code (28, 28)}. */
        public Tensor image(int i) {
            return images.select(0, i);
        }
    }

    /** The two shapes a model may want its images in. */
    public enum Layout {
        /** {@code (B, 784)}: one row of pixels per image, for an MLP. */
        FLAT,
        /** {@code (B, 1, 28, 28)}: one grey channel, for a convolution. */
        CHANNELS;

        public Tensor apply(Tensor images) { // images (B, 28, 28)
            int b = images.size(0);
            return this == FLAT ? images.reshape(b, PIXELS) : images.reshape(b, 1, SIDE, SIDE);
        }
    }

    /**
     * Reads {@code images/<folder>/<split>-images-idx3-ubyte.gz} and its labels, e.g.
     * {@code load(ctx, "mnist", "train")} or {@code load(ctx, "fashion-mnist", "t10k")}.
     */
    public static Data load(ChapterContext ctx, String folder, String split) throws IOException {
        String images = "images/" + folder + "/" + split + "-images-idx3-ubyte.gz";
        String labels = "images/" + folder + "/" + split + "-labels-idx1-ubyte.gz";
        Tensor x;
        IntTensor y;
        try (InputStream in = ctx.openData(images)) {
            x = Idx.readImages(in, images);
        }
        try (InputStream in = ctx.openData(labels)) {
            y = Idx.readLabels(in, labels);
        }
        return new Data(x, y);
    }

    /**
     * Trains {@code model} for {@code steps} mini-batches of {@code batchSize} shuffled examples
     * (as many epochs as that takes; epoch {@code e}'s order depends only on {@code seed} and e),
     * minimising the cross-entropy, with the learning rate from {@code schedule} (null: the
     * optimizer's own, fixed). After every step {@code afterStep} (may be null) receives the step
     * number (1-based) and that batch's loss. Returns the per-step losses.
     */
    public static double[] train(Layer model, Layout layout, Optimizer optimizer, LearningRateSchedule schedule, Data data,
                          int batchSize, int steps, long seed, ProgressReporter progress, StepListener afterStep) {
        TensorDataset dataset = new TensorDataset(data.images(), data.labels());
        DataLoader loader = new DataLoader(dataset, batchSize, true, true, seed);
        double[] losses = new double[steps];
        model.train();
        int step = 0;
        while (step < steps) {
            for (Batch batch : loader) {
                if (schedule != null) {
                    schedule.applyTo(optimizer);
                }
                Tensor logits = model.forward(layout.apply(batch.inputs())); // (B, classes)
                Tensor loss = Losses.crossEntropy(logits, batch.labels());
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                losses[step++] = loss.item();
                if (progress != null) {
                    progress.update(step, losses[step - 1], batch.size());
                }
                if (afterStep != null) {
                    afterStep.after(step, losses[step - 1]);
                }
                if (step == steps) {
                    break;
                }
            }
        }
        return losses;
    }

    /** Called after each training step. */
    @FunctionalInterface
    public interface StepListener {
        void after(int step, double loss);
    }

    /** The predicted class of every image, in evaluation mode and without building a graph. */
    public static int[] predict(Layer model, Layout layout, Data data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        int[] out = new int[data.size()];
        try (var noGrad = Autograd.noGrad()) {
            for (int from = 0; from < data.size(); from += EVAL_BATCH) {
                int n = Math.min(EVAL_BATCH, data.size() - from);
                Tensor logits = model.forward(layout.apply(data.images().narrow(0, from, n))); // (n, classes)
                System.arraycopy(Metrics.predictions(logits).data(), 0, out, from, n);
            }
        }
        if (wasTraining) {
            model.train();
        }
        return out;
    }

    public static double accuracy(Layer model, Layout layout, Data data) {
        return Metrics.accuracy(predict(model, layout, data), data.labelArray());
    }

    static int[] rangeTo(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }
}
