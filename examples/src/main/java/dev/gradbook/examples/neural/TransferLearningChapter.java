package dev.gradbook.examples.neural;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Sequential;
import dev.gradbook.nn.optim.AdamW;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>transfer-learning: pretrain, freeze, fine-tune</h2>
 *
 * <p>The early layers of a trained network compute features (edges, strokes, corners) that are
 * useful beyond the classes it was trained on; only the last layer, the head, is specific to
 * those classes. Transfer learning reuses them: train a network on a task with plenty of data,
 * keep its feature layers, put a new head on top and train that on the new task, for which
 * there may be only a few labelled examples (Yosinski, Clune, Bengio and Lipson, "How
 * transferable are features in deep neural networks?", NeurIPS 2014, who find that the lower
 * layers transfer best; for photographs, features pretrained on ImageNet are the standard start).
 * <pre>
 *   features  f(x): the convolutional layers of the cnn chapter     (B, 1, 28, 28) -> (B, 256)
 *                   pretrained on digits 0-4
 *   head      z = W f(x) + b                                        256 -> 5, new, for digits 5-9
 *   frozen:     only W, b are trained (1,285 parameters); f is a fixed map (Module.freeze), so
 *               no gradient flows into it and its backward pass is skipped
 *   fine-tuned: a copy of the pretrained f (loadStateDict) is trained along with the new head
 * </pre>
 * Step 1 trains the whole network on MNIST training images of digits 0-4. Step 2 gives three
 * models the same small budget on digits 5-9 (a few hundred labelled images, the same
 * mini-batches in the same order, the same optimizer and learning rate): the frozen features
 * with a new head, the fine-tuned features with a new head, and the same network from random
 * weights. Each is scored on test images of 5-9 every few steps. The number to compare is
 * "steps to threshold": the first step at which that accuracy reaches the threshold (85% by
 * default). Why convolutional features? The same experiment with the hidden layers of the MLP of
 * {@code mnist-mlp} fails: frozen, they learn 5-9 more slowly than an MLP from scratch. A fully
 * connected layer trained on 0-4 learns templates of whole digits, which serve 5-9 hardly better
 * than random ones; convolution filters learn strokes, which every digit is made of.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table and {@code transfer.png}: both pretrained models pass the threshold sooner
 *       than the model from scratch (at seed 42: 20 steps frozen, 10 fine-tuned, 30 from
 *       scratch); their curves start high, the other starts from chance.</li>
 *   <li>The advantage is in the early steps: by the end of the budget the three are within about
 *       a point of each other (94.0%, 94.8% and 93.4% on the 4,861 test images of 5-9).</li>
 *   <li>The features never saw a 5, 6, 7, 8 or 9, yet a linear head on them separates those
 *       digits well: the strokes that make up 0-4 also make up 5-9.</li>
 *   <li>The frozen model trains 1,285 parameters instead of 3,857 and skips the backward pass
 *       through the convolutions, so its steps are also cheaper.</li>
 * </ul>
 * With {@code --quick}: pretraining on 4,000 images, 60 steps, smaller test sets; the pretrained
 * models still reach 85% in about half the steps (15, 15 and 25 at seed 42).
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Lower {@code --examples} to 100. Which model ends higher, and why does the one from
 *       scratch stop improving? Raise it to 3,000: what is left of the advantage?</li>
 *   <li>Pretrain on the even digits and transfer to the odd ones. Is that easier or harder?</li>
 *   <li>Replace the convolutional features by the first two layers of the MLP of
 *       {@code mnist-mlp} and run the comparison again. What is left of the advantage?</li>
 * </ol>
 */
public final class TransferLearningChapter implements Chapter {
    private static final int FIRST_NEW_CLASS = 5;
    private static final int NEW_CLASSES = 5;
    /** Test images of 5-9 scored at each point of the learning curves (--quick: half). */
    private static final int PROBE_IMAGES = 1_000;
    /** --quick scores the final models on this many test images of each group of digits, not all of them. */
    private static final int QUICK_TEST = 1_000;
    /** Steps between two points of a learning curve. */
    private static final int EVERY = 5;
    private static final int QUICK_PRETRAIN = 4_000;

    @Override
    public String id() {
        return "transfer-learning";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "features pretrained on digits 0-4 reused for 5-9: fewer steps to the same accuracy than from scratch";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("pretrain", "12000",
                        "training images of digits 0-4 for pretraining (--quick: 4000)"),
                Option.positiveInt("examples", "300", "labelled images of digits 5-9 for the new task"),
                Option.floatInRange("threshold", "0.85", 0f, 1f, "test accuracy on 5-9 that counts as reached"),
                Option.positiveFloat("lr", "1e-2", "AdamW learning rate of the new task (all three models)"),
                Option.positiveInt("batch-size", "32", "images per step in the new task"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Digits.Data train = Digits.load(ctx, "mnist", "train");
        Digits.Data test = Digits.load(ctx, "mnist", "t10k");
        Digits.Data oldTest = test.where(y -> y < FIRST_NEW_CLASS).first(ctx.quick() ? QUICK_TEST : test.size());
        Digits.Data newTest = test.where(y -> y >= FIRST_NEW_CLASS).shiftLabels(FIRST_NEW_CLASS)
                .first(ctx.quick() ? QUICK_TEST : test.size());
        int probeImages = ctx.quick() ? PROBE_IMAGES / 2 : PROBE_IMAGES;
        Rng rng = ctx.rng();
        int batchSize = ctx.intOption("batch-size");
        float lr = ctx.floatOption("lr");

        // step 1: pretraining on 0-4, with plenty of data
        Digits.Data oldTrain = train.where(y -> y < FIRST_NEW_CLASS)
                .first(ctx.quick() ? QUICK_PRETRAIN : ctx.intOption("pretrain"));
        Sequential pretrainedFeatures = CnnChapter.features(rng.split());
        Sequential pretrained = new Sequential(pretrainedFeatures, head(FIRST_NEW_CLASS, rng.split()));
        int pretrainSteps = oldTrain.size() / batchSize;
        ctx.section("step 1: pretraining on digits 0-4 (" + oldTrain.size() + " images, " + pretrainSteps
                + " steps of " + batchSize + ")");
        Digits.train(pretrained, Digits.Layout.CHANNELS, new AdamW(pretrained.namedParameters(), lr), null, oldTrain,
                batchSize, pretrainSteps, rng.nextLong(), ctx.progress("pretrain", pretrainSteps), null);
        double oldAccuracy = Digits.accuracy(pretrained, Digits.Layout.CHANNELS, oldTest);
        ctx.printf("accuracy on %,d test images of digits 0-4: %.2f%%%n", oldTest.size(), 100 * oldAccuracy);

        // step 2: three models, one small budget on 5-9 (relabelled 0-4 for a 5-way head)
        Digits.Data newTrain = train.where(y -> y >= FIRST_NEW_CLASS)
                .first(ctx.intOption("examples")).shiftLabels(FIRST_NEW_CLASS);
        Digits.Data probe = newTest.first(probeImages);
        int steps = ctx.steps(150, 60);
        double threshold = ctx.floatOption("threshold");
        long dataSeed = rng.nextLong();
        ctx.section("step 2: digits 5-9 from " + newTrain.size() + " labelled images, " + steps + " steps of "
                + batchSize);
        pretrainedFeatures.freeze();
        Sequential frozen = new Sequential(pretrainedFeatures, head(NEW_CLASSES, rng.split()));
        Sequential copy = CnnChapter.features(rng.split());
        copy.loadStateDict(pretrainedFeatures.stateDict()); // the same weights in new tensors, trainable
        Sequential fineTuned = new Sequential(copy, head(NEW_CLASSES, rng.split()));
        Sequential scratch = new Sequential(CnnChapter.features(rng.split()), head(NEW_CLASSES, rng.split()));
        List<Curve> curves = List.of(
                learn(ctx, "frozen features", frozen, newTrain, probe, newTest, steps, dataSeed),
                learn(ctx, "fine-tuned", fineTuned, newTrain, probe, newTest, steps, dataSeed),
                learn(ctx, "from scratch", scratch, newTrain, probe, newTest, steps, dataSeed));

        ctx.section(String.format(Locale.ROOT, "steps to %.0f%% accuracy on digits 5-9 (first %,d test images)",
                100 * threshold, probe.size()));
        List<List<String>> rows = new ArrayList<>();
        LineChart chart = new LineChart("Digits 5-9 from " + newTrain.size() + " labelled images, features from 0-4",
                "step", "accuracy on " + probe.size() + " test images of 5-9");
        Result result = new Result().metric("pretrain_accuracy_0_4", oldAccuracy).metric("threshold", threshold);
        for (Curve c : curves) {
            int reached = c.stepsTo(threshold);
            rows.add(List.of(c.name(), String.format(Locale.ROOT, "%,d", c.trainable()),
                    reached < 0 ? "not within " + steps : Integer.toString(reached),
                    String.format(Locale.ROOT, "%.2f%%", 100 * c.finalAccuracy())));
            chart.series(c.name(), c.steps(), c.accuracies());
            String key = c.name().replace(' ', '_').replace('-', '_');
            result.metric(key + "_steps_to_threshold", reached < 0 ? steps + 1 : reached);
            result.metric(key + "_test_accuracy", c.finalAccuracy());
        }
        ctx.table(List.of("model", "trainable parameters", "steps to threshold",
                "final accuracy (" + newTest.size() + " images)"), rows);
        ctx.println("(\"not within N\" counts as N + 1 in the result block)");
        chart.series(String.format(Locale.ROOT, "threshold %.0f%%", 100 * threshold), new double[] {0, steps},
                new double[] {threshold, threshold});
        chart.save(ctx.outFile("transfer.png"));
        ctx.println("picture: transfer.png in " + ctx.outDir());
        return result.metric("examples", newTrain.size()).metric("steps", steps);
    }

    /** A new head on the 256 features: one Linear layer. */
    private static Linear head(int classes, Rng rng) {
        return new Linear(CnnChapter.FEATURES, classes, rng);
    }

    /**
     * A model's accuracy on the probe images after every {@value #EVERY} steps (from step 0), and
     * its accuracy on the test set at the end.
     */
    private record Curve(String name, long trainable, List<double[]> points, double finalAccuracy) {
        /** The first step whose accuracy is at least {@code threshold}, or -1. */
        int stepsTo(double threshold) {
            for (double[] p : points) {
                if (p[1] >= threshold) {
                    return (int) p[0];
                }
            }
            return -1;
        }

        double[] steps() {
            return points.stream().mapToDouble(p -> p[0]).toArray();
        }

        double[] accuracies() {
            return points.stream().mapToDouble(p -> p[1]).toArray();
        }
    }

    /** Trains {@code model}'s unfrozen parameters on the new task and records its accuracy along the way. */
    private static Curve learn(ChapterContext ctx, String name, Sequential model, Digits.Data train, Digits.Data probe,
                               Digits.Data test, int steps, long dataSeed) {
        AdamW optimizer = new AdamW(model.trainableParameters(), ctx.floatOption("lr"));
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, Digits.accuracy(model, Digits.Layout.CHANNELS, probe)});
        Digits.train(model, Digits.Layout.CHANNELS, optimizer, null, train, ctx.intOption("batch-size"), steps,
                dataSeed, ctx.progress(name, steps), (step, loss) -> {
                    if (step % EVERY == 0) {
                        points.add(new double[] {step, Digits.accuracy(model, Digits.Layout.CHANNELS, probe)});
                    }
                });
        Curve curve = new Curve(name, model.trainableParameterCount(), points,
                Digits.accuracy(model, Digits.Layout.CHANNELS, test));
        ctx.printf("%-16s %,6d trainable parameters: %.2f%% on %,d test images of 5-9 after %d steps%n",
                name, curve.trainable(), 100 * curve.finalAccuracy(), test.size(), steps);
        return curve;
    }
}
