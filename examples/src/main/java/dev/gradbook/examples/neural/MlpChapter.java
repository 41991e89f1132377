package dev.gradbook.examples.neural;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.Sigmoid;
import dev.gradbook.nn.Tanh;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * <h2>mlp: neurons, layers and activations, and what they can draw</h2>
 *
 * <p>A neuron takes a weighted sum of its inputs plus a bias and passes it through a
 * non-linear activation; a layer is many neurons reading the same inputs, which is one matrix
 * product; a multi-layer perceptron stacks layers (Goodfellow, Bengio and Courville, <i>Deep
 * Learning</i>, chapter 6; Rumelhart, Hinton and Williams, <i>Nature</i> 323, 1986):
 * <pre>
 *   neuron j     a_j = phi(b_j + sum_k w_jk x_k)
 *   layer        a   = phi(x W^T + b)              W: (out, in), one row per neuron
 *   MLP          f(x) = W_3 phi(W_2 phi(W_1 x + b_1) + b_2) + b_3      (logits; softmax gives p(class | x))
 * </pre>
 * Without phi the layers would collapse into one linear map, and a linear classifier can only
 * cut the plane with straight lines. The activations compared here:
 * <pre>
 *   sigmoid   s(z) = 1 / (1 + e^-z)          s'(z) = s(z)(1 - s(z)) &lt;= 1/4
 *   tanh      tanh(z) = 2 s(2z) - 1           tanh'(z) = 1 - tanh(z)^2 &lt;= 1   (zero-centred)
 *   ReLU      max(0, z)                       1 for z &gt; 0, else 0         (Nair and Hinton 2010)
 *   GELU      z Phi(z)                        smooth ReLU                   (Hendrycks and Gimpel 2016)
 * </pre>
 * The sigmoid's small, one-signed derivative shrinks the gradient at every layer it passes
 * through, so sigmoid networks learn more slowly; that is why hidden layers moved to tanh, then
 * ReLU, and transformers to GELU.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The neuron written as a loop equals the {@link Linear} layer's matrix product (to float
 *       rounding): a layer is nothing more.</li>
 *   <li>Two moons: a 2-16-16-2 ReLU network reaches about 98% test accuracy;
 *       {@code moons.png} shows the curved boundary threading between the moons.</li>
 *   <li>The spiral (three arms winding around each other), same network and same initial
 *       weights with each activation: all four end near 99% test accuracy on this small task,
 *       but the sigmoid network needs several times as many steps to bring the loss below 0.1
 *       (the table's first column, and {@code activations-loss.png} on a log scale: it sits on a
 *       plateau first). {@code spiral-relu.png} and {@code spiral-tanh.png} show the
 *       boundaries: ReLU's are made of straight pieces, tanh's are smooth.</li>
 *   <li>{@code activations.png} and {@code derivatives.png}: the functions and their slopes
 *       (computed by autograd); note the sigmoid's peak slope of 0.25.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Remove the hidden layers (a 2-2 network). What accuracy does it reach on the moons, and
 *       what does its boundary look like?</li>
 *   <li>Give the sigmoid network 5 hidden layers instead of 2 and print the gradient norm of the
 *       first layer's weights at step 1 for sigmoid and for ReLU. How much smaller is it?</li>
 *   <li>How few hidden units can still solve the spiral? Try 4, 8 and 16 with ReLU.</li>
 * </ol>
 */
public final class MlpChapter implements Chapter {
    private static final float LEARNING_RATE = 0.01f;

    /** An activation by name, as a factory of layers for {@link MLP}. */
    record Activation(String name, Supplier<Layer> layer) {
    }

    static final List<Activation> ACTIVATIONS = List.of(new Activation("sigmoid", Sigmoid::new),
            new Activation("tanh", Tanh::new), new Activation("relu", ReLU::new), new Activation("gelu", GELU::new));

    @Override
    public String id() {
        return "mlp";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "neurons, layers, activations: MLPs on two moons and a spiral, decision boundaries";
    }

    @Override
    public Result run(ChapterContext ctx) {
        Rng rng = ctx.rng();
        Result result = new Result();

        ctx.section("a layer is neurons side by side");
        Linear layer = new Linear(3, 4, rng.split());
        Tensor x = Tensor.randn(rng.split(), 5, 3);
        double neuronGap = layer.forward(x).tanh().sub(neuronsByHand(layer, x)).abs().max().item();
        ctx.printf("4 neurons x 5 inputs by loops vs Linear(3, 4) then tanh: max difference %.1e%n", neuronGap);
        result.metric("neuron_vs_layer_gap", neuronGap);

        ctx.section("activations and their slopes");
        describeActivations(ctx);

        ctx.section("two moons: 2-16-16-2, ReLU");
        LabeledData moonsTrain = SmallTasks.twoMoons(ctx.quick() ? 200 : 400, 0.15, rng.split());
        LabeledData moonsTest = SmallTasks.twoMoons(400, 0.15, rng.split());
        MLP moons = new MLP(new int[] {2, 16, 16, 2}, ReLU::new, rng.split());
        List<Double> moonLoss = train(ctx, "moons", moons, moonsTrain, ctx.steps(600, 300));
        double moonAccuracy = SmallTasks.accuracy(moons, moonsTest);
        ctx.printf("final training loss %.4f, test accuracy %.3f%n", moonLoss.get(moonLoss.size() - 1), moonAccuracy);
        new ScatterPlot("Two moons: 2-16-16-2 ReLU network, test accuracy " + percent(moonAccuracy), "x1", "x2")
                .points(column(moonsTest, 0), column(moonsTest, 1), moonsTest.labels())
                .regions(SmallTasks.decisionRegions(moons, moonsTest))
                .classNames(moonsTest.classNames()).save(ctx.outFile("moons.png"));
        result.metric("moons_test_accuracy", moonAccuracy);

        int hidden = 32;
        ctx.section("spiral: 2-" + hidden + "-" + hidden + "-3, the same start with each activation");
        LabeledData spiralTrain = SmallTasks.spiral(ctx.quick() ? 60 : 100, 3, 0.2, rng.split());
        LabeledData spiralTest = SmallTasks.spiral(100, 3, 0.2, rng.split());
        long initSeed = rng.nextLong();
        int steps = ctx.steps(1000, 400);
        LineChart curves = new LineChart("Spiral: training loss with each activation", "step", "cross-entropy")
                .logY(true);
        List<List<String>> rows = new ArrayList<>();
        for (Activation activation : ACTIVATIONS) {
            MLP net = new MLP(new int[] {2, hidden, hidden, 3}, activation.layer(), new Rng(initSeed));
            List<Double> loss = train(ctx, activation.name(), net, spiralTrain, steps);
            double accuracy = SmallTasks.accuracy(net, spiralTest);
            double finalLoss = loss.get(loss.size() - 1);
            int reached = stepsToReach(loss, 0.1);
            curves.trainingCurve(activation.name(), loss);
            rows.add(List.of(activation.name(), reached > 0 ? Integer.toString(reached) : "never",
                    String.format(Locale.ROOT, "%.4f", finalLoss),
                    String.format(Locale.ROOT, "%.3f", SmallTasks.accuracy(net, spiralTrain)),
                    String.format(Locale.ROOT, "%.3f", accuracy)));
            result.metric("spiral_loss_" + activation.name(), finalLoss);
            result.metric("spiral_steps_to_0.1_" + activation.name(), reached > 0 ? reached : steps + 1);
            result.metric("spiral_test_accuracy_" + activation.name(), accuracy);
            if (activation.name().equals("relu") || activation.name().equals("tanh")) {
                new ScatterPlot("Spiral: " + activation.name() + " network, test accuracy " + percent(accuracy),
                        "x1", "x2").points(column(spiralTest, 0), column(spiralTest, 1), spiralTest.labels())
                        .regions(SmallTasks.decisionRegions(net, spiralTest)).classNames(spiralTest.classNames())
                        .save(ctx.outFile("spiral-" + activation.name() + ".png"));
            }
        }
        ctx.table(List.of("activation", "steps to loss 0.1", "final loss", "train accuracy", "test accuracy"), rows);
        curves.save(ctx.outFile("activations-loss.png"));
        ctx.printf("pictures: activations.png, derivatives.png, moons.png, spiral-relu.png, spiral-tanh.png, "
                + "activations-loss.png in %s%n", ctx.outDir());
        return result;
    }

    /** The first step (1, 2, ...) whose loss is below {@code level}, or 0 if none is. */
    static int stepsToReach(List<Double> losses, double level) {
        for (int i = 0; i < losses.size(); i++) {
            if (losses.get(i) < level) {
                return i + 1;
            }
        }
        return 0;
    }

    /** phi(b_j + sum_k w_jk x_ik) for every example i and neuron j, one multiply-add at a time, with phi = tanh. */
    static Tensor neuronsByHand(Linear layer, Tensor x) {
        int n = x.size(0);
        float[] out = new float[n * layer.outFeatures];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < layer.outFeatures; j++) {
                double z = layer.bias.get(j);
                for (int k = 0; k < layer.inFeatures; k++) {
                    z += layer.weight.get(j, k) * x.get(i, k);
                }
                out[i * layer.outFeatures + j] = (float) Math.tanh(z);
            }
        }
        return Tensor.wrap(out, n, layer.outFeatures);
    }

    /** Full-batch Adam on the cross-entropy; returns the loss at every step. */
    static List<Double> train(ChapterContext ctx, String label, Layer model, LabeledData data, int steps) {
        Adam adam = new Adam(model.namedParameters(), LEARNING_RATE);
        IntTensor target = data.labelTensor();
        List<Double> losses = new ArrayList<>();
        ProgressReporter progress = ctx.progress(label, steps);
        for (int step = 1; step <= steps; step++) {
            Tensor loss = Losses.crossEntropy(model.forward(data.features()), target);
            adam.zeroGrad();
            loss.backward();
            adam.step();
            losses.add((double) loss.item());
            progress.update(step, loss.item(), data.size());
        }
        progress.finish();
        return losses;
    }

    /** The four activations and (by autograd) their derivatives on [-4, 4]: a table and two pictures. */
    private static void describeActivations(ChapterContext ctx) {
        Tensor z = Tensor.linspace(-4f, 4f, 81).requiresGrad(true);
        double[] zs = new double[81];
        for (int i = 0; i < 81; i++) {
            zs[i] = z.get(i);
        }
        LineChart values = new LineChart("Activation functions", "z", "phi(z)");
        LineChart slopes = new LineChart("Their derivatives (by autograd)", "z", "phi'(z)");
        List<List<String>> rows = new ArrayList<>();
        for (Activation activation : ACTIVATIONS) {
            z.zeroGrad();
            Tensor a = activation.layer().get().forward(z);
            a.sum().backward();                                    // d(sum phi(z_i))/dz_i = phi'(z_i)
            values.series(activation.name(), zs, toDoubles(a));
            slopes.series(activation.name(), zs, toDoubles(z.grad()));
            List<String> row = new ArrayList<>(List.of(activation.name()));
            for (int i : new int[] {20, 40, 60}) {                 // z = -2, 0, 2
                row.add(String.format(Locale.ROOT, "%.3f / %.3f", a.get(i), z.grad().get(i)));
            }
            row.add(String.format(Locale.ROOT, "%.3f", z.grad().max().item()));
            rows.add(row);
        }
        ctx.table(List.of("phi", "z = -2: phi / phi'", "z = 0", "z = 2", "max phi'"), rows);
        values.save(ctx.outFile("activations.png"));
        slopes.save(ctx.outFile("derivatives.png"));
    }

    static double[] column(LabeledData data, int j) {
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.features().get(i, j);
        }
        return out;
    }

    private static double[] toDoubles(Tensor t) {
        double[] out = new double[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.data()[i];
        }
        return out;
    }

    private static String percent(double accuracy) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * accuracy);
    }
}
