package dev.gradbook.examples.neural;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.HeatMap;
import dev.gradbook.examples.plot.ImageGrid;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.metrics.Metrics;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.CosineAnnealingLR;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>mnist-mlp: a multi-layer perceptron reads handwritten digits</h2>
 *
 * <p>MNIST (LeCun, Bottou, Bengio and Haffner, "Gradient-based learning applied to document
 * recognition", Proc. IEEE 1998, section III.A) holds 70,000 grey-scale digits of 28 x 28
 * pixels: 60,000 to train on and 10,000, written by other people, to test on. It was the
 * benchmark of the 1990s and is still the "hello world" of deep learning: big enough that a
 * model must generalise, small enough to train on a laptop in seconds.
 *
 * <p>The model ignores that the input is a picture. Each image is unrolled into a vector
 * {@code x} of 784 pixel values in [0, 1], and an MLP maps it to ten scores (logits):
 * <pre>
 *   h1 = ReLU(W1 x  + b1)          W1: 256 x 784
 *   h2 = ReLU(W2 h1 + b2)          W2: 128 x 256
 *   z  =      W3 h2 + b3           W3:  10 x 128         235,146 parameters in all
 *   p(y = k | x) = softmax(z)_k = exp(z_k) / sum_j exp(z_j)
 * </pre>
 * Training minimises the mean cross-entropy {@code L = -1/B sum_i log p(y_i | x_i)} over
 * shuffled mini-batches of {@code B = 128} images with AdamW (Loshchilov and Hutter,
 * "Decoupled weight decay regularization", ICLR 2019), three passes (epochs) over the training
 * set, the learning rate falling from 3e-3 to 0 along a half cosine (Loshchilov and Hutter,
 * "SGDR", ICLR 2017): big steps while the loss is high, small ones to settle at the end. The
 * test set is used only to measure, never to choose a step.
 *
 * <p>For scale: the 1998 paper reports 2.95% test error for a 3-layer net of 500 + 150 hidden
 * units (sigmoid units, squared error); ReLU units, cross-entropy and Adam get below that in a
 * few epochs.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The per-epoch lines: the training loss falls from about {@code ln 10 = 2.30} (a uniform
 *       guess) to under 0.05, and the test accuracy passes 97% (about 97.8% at seed 42: some
 *       220 of the 10,000 test digits wrong).</li>
 *   <li>{@code confusion.png}: almost all mass on the diagonal; the off-diagonal cells that
 *       light up are the pairs people confuse too (4 and 9, 3 and 5, 7 and 2).</li>
 *   <li>{@code misclassified.png}: the test digits the model got wrong, captioned "true as
 *       predicted". Many are ambiguous even to a person.</li>
 *   <li>{@code loss.png}: the training loss falls fastest in the first few hundred steps.</li>
 * </ul>
 * With {@code --quick}: the first 10,000 training images, two epochs; about 92.4% on the test set.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Shuffle the 784 pixels of every image with one fixed permutation and train again. Why is
 *       the accuracy unchanged, and what does that say about what this model knows of images?
 *       (The {@code cnn} chapter is the answer.)</li>
 *   <li>Remove the hidden layers ({@code --hidden ""}: softmax regression). How much of the
 *       accuracy came from them?</li>
 *   <li>Replace AdamW by SGD with learning rate 0.1 and momentum 0.9, and train with a constant
 *       learning rate instead of the cosine. Which change costs more accuracy?</li>
 * </ol>
 */
public final class MnistMlpChapter implements Chapter {
    private static final int QUICK_TRAIN = 10_000;
    private static final int QUICK_EPOCHS = 2;
    private static final int MISCLASSIFIED_SHOWN = 40;

    @Override
    public String id() {
        return "mnist-mlp";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "an MLP on MNIST handwritten digits: 97%+ test accuracy, confusion matrix, its mistakes";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("epochs", "3", "passes over the training set (--quick: 1)"),
                Option.positiveInts("hidden", "256,128", true,
                        "hidden layer sizes, comma-separated (empty: none)"),
                Option.positiveInt("batch-size", "128", "images per step"),
                Option.positiveFloat("lr", "3e-3", "peak AdamW learning rate (cosine decay to 0)"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Digits.Data train = Digits.load(ctx, "mnist", "train");
        Digits.Data test = Digits.load(ctx, "mnist", "t10k");
        if (ctx.quick()) {
            train = train.first(QUICK_TRAIN);
        }
        int epochs = ctx.quick() ? QUICK_EPOCHS : ctx.intOption("epochs");
        int batchSize = ctx.intOption("batch-size");
        int stepsPerEpoch = train.size() / batchSize;
        Rng rng = ctx.rng();
        MLP model = new MLP(layerSizes(ctx.option("hidden")), ReLU::new, rng.split());
        AdamW optimizer = new AdamW(model.namedParameters(),
                AdamW.Config.defaults().withLr(ctx.floatOption("lr")));
        ctx.printf("MNIST: %,d training and %,d test images of %d x %d pixels%n",
                train.size(), test.size(), Digits.SIDE, Digits.SIDE);
        ctx.out().print(model);

        ctx.section(epochs + " epoch" + (epochs == 1 ? "" : "s") + " of " + stepsPerEpoch + " steps of " + batchSize
                + " images");
        int steps = epochs * stepsPerEpoch;
        ProgressReporter progress = ctx.progress("train", steps);
        List<List<String>> rows = new ArrayList<>();
        double[] testAccuracy = new double[epochs];
        double[] epochLoss = new double[epochs];
        double[] stepLosses = Digits.train(model, Digits.Layout.FLAT, optimizer,
                new CosineAnnealingLR(ctx.floatOption("lr"), steps, 0f), train, batchSize, steps, rng.nextLong(),
                progress, (step, loss) -> {
                    int e = (step - 1) / stepsPerEpoch;
                    epochLoss[e] += loss / stepsPerEpoch;
                    if (step % stepsPerEpoch == 0) { // the end of an epoch: measure on the test set
                        testAccuracy[e] = Digits.accuracy(model, Digits.Layout.FLAT, test);
                        progress.log(String.format(Locale.ROOT, "epoch %d: train loss %.4f, test accuracy %.2f%%",
                                e + 1, epochLoss[e], 100 * testAccuracy[e]));
                        rows.add(List.of(Integer.toString(e + 1), String.format(Locale.ROOT, "%.4f", epochLoss[e]),
                                String.format(Locale.ROOT, "%.2f%%", 100 * testAccuracy[e])));
                    }
                });
        progress.finish();
        ctx.table(List.of("epoch", "train loss", "test accuracy"), rows);

        int[] predicted = Digits.predict(model, Digits.Layout.FLAT, test);
        int[] truth = test.labelArray();
        int[][] confusion = Metrics.confusionMatrix(predicted, truth, Digits.CLASSES);
        ctx.section("the " + countWrong(predicted, truth) + " test digits it gets wrong");
        int[] worst = mostConfused(confusion);
        ctx.printf("most frequent mistake: %d read as %d (%d times)%n", worst[0], worst[1],
                confusion[worst[0]][worst[1]]);
        double[] recall = Metrics.recall(confusion);
        int hardest = 0;
        for (int c = 1; c < Digits.CLASSES; c++) {
            hardest = recall[c] < recall[hardest] ? c : hardest;
        }
        ctx.printf("hardest digit: %d (%.1f%% of them recognised)%n", hardest, 100 * recall[hardest]);

        savePictures(ctx, stepLosses, batchSize, confusion, test, predicted);
        return new Result()
                .metric("test_accuracy", testAccuracy[epochs - 1])
                .metric("final_epoch_train_loss", epochLoss[epochs - 1])
                .metric("epochs", epochs)
                .metric("training_images", train.size())
                .metric("parameters", model.parameterCount());
    }

    private static void savePictures(ChapterContext ctx, double[] stepLosses, int batchSize, int[][] confusion,
                                     Digits.Data test, int[] predicted) {
        int window = 50;
        new LineChart("MLP on MNIST: training loss (mean of each " + window + " steps of " + batchSize + ")",
                "step", "cross-entropy (nats)")
                .series("train", StepCurves.windowEnds(stepLosses.length, window),
                        StepCurves.windowMeans(stepLosses, window))
                .logY(true)
                .save(ctx.outFile("loss.png"));
        List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        HeatMap.of("MNIST test set: true digit (rows) vs predicted (columns)", confusion)
                .labels(digits, digits).axes("true", "predicted")
                .save(ctx.outFile("confusion.png"));
        ImageGrid grid = new ImageGrid("Misclassified test digits: true as predicted", 10).range(0f, 1f);
        for (int i = 0; i < test.size() && grid.size() < MISCLASSIFIED_SHOWN; i++) {
            if (predicted[i] != test.label(i)) {
                grid.add(test.image(i), test.label(i) + " as " + predicted[i]);
            }
        }
        grid.save(ctx.outFile("misclassified.png"));
        ctx.println("pictures: loss.png, confusion.png, misclassified.png in " + ctx.outDir());
    }

    /** 784, the hidden sizes, 10. */
    private static int[] layerSizes(String hidden) {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(Digits.PIXELS);
        for (String s : hidden.split(",")) {
            if (!s.isBlank()) {
                sizes.add(Integer.parseInt(s.trim()));
            }
        }
        sizes.add(Digits.CLASSES);
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int countWrong(int[] predicted, int[] truth) {
        int n = 0;
        for (int i = 0; i < truth.length; i++) {
            n += predicted[i] != truth[i] ? 1 : 0;
        }
        return n;
    }

    /** The off-diagonal cell {true, predicted} with the largest count (the first, on ties). */
    private static int[] mostConfused(int[][] cm) {
        int[] best = {0, 1};
        for (int t = 0; t < cm.length; t++) {
            for (int p = 0; p < cm.length; p++) {
                if (t != p && cm[t][p] > cm[best[0]][best[1]]) {
                    best = new int[] {t, p};
                }
            }
        }
        return best;
    }
}
