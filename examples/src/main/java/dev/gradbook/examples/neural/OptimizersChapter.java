package dev.gradbook.examples.neural;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.Palette;
import dev.gradbook.examples.plot.PlanePlot;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.data.Batch;
import dev.gradbook.nn.data.DataLoader;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.LAMB;
import dev.gradbook.nn.optim.Optimizer;
import dev.gradbook.nn.optim.RMSprop;
import dev.gradbook.nn.optim.SGD;
import dev.gradbook.nn.train.ProgressReporter;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * <h2>optimizers: GD, SGD, momentum, RMSprop, Adam, AdamW and LAMB in one race</h2>
 *
 * <p>Every optimizer here moves the parameters {@code theta} against the gradient {@code g};
 * they differ in how they turn the history of gradients into a step (learning rate
 * {@code gamma}; the library's classes carry the exact algorithm boxes):
 * <pre>
 *   GD         theta -= gamma grad L(theta)             on the whole training set
 *   SGD        theta -= gamma g                          g from a mini-batch: noisy, but many steps per pass
 *   momentum   b = mu b + g;  theta -= gamma b           a running sum rolls through ravines (Polyak 1964)
 *   RMSprop    v = a v + (1 - a) g^2;  theta -= gamma g / sqrt(v)      per-coordinate steps (Tieleman and Hinton 2012)
 *   Adam       m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2, bias-corrected;  theta -= gamma m / (sqrt(v) + eps)
 *                                                       (Kingma and Ba, ICLR 2015, Algorithm 1)
 *   AdamW      Adam, then theta -= gamma lambda theta   decoupled decay (Loshchilov and Hutter, ICLR 2019)
 *   LAMB       the AdamW step u rescaled per tensor:  theta -= gamma (||theta|| / ||u||) u
 *                                                       (You et al., ICLR 2020, Algorithm 2)
 * </pre>
 * Two races. The first is a small network (2-32-32-3, ReLU) on the three-arm spiral, every
 * optimizer from the same initial weights, with mini-batches of 32 except GD; the x axis counts
 * passes over the data (epochs), so all runners do the same arithmetic. The second is the
 * Rosenbrock function {@code f(x, y) = (1 - x)^2 + 100 (y - x^2)^2} from Rosenbrock's own
 * start (-1.2, 1): a curved
 * valley whose floor falls slowly towards the minimum at (1, 1), the classic trap for plain
 * gradient descent (there SGD is GD: the function has no data to sample). Learning rates are
 * each optimizer's usual order of magnitude, lightly tuned, not a careful search; see Goodfellow,
 * Bengio and Courville, <i>Deep Learning</i>, chapter 8, and Ruder, "An overview of gradient
 * descent optimization algorithms" (2016).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>{@code race.png} (log scale) and the final-loss table: full-batch GD, one step per
 *       epoch, is still near 0.5 after 150 epochs; SGD, with the same arithmetic but ten steps
 *       per pass, gets to about 0.15; momentum, RMSprop, LAMB, Adam and AdamW end between about
 *       0.02 and 0.08, Adam and AdamW lowest. The curves are jagged because every step sees a
 *       different mini-batch at a constant learning rate.</li>
 *   <li>{@code rosenbrock.png} and its table: after 3,000 steps GD has crept only part of the
 *       way along the valley floor (0.33 from the minimum); momentum swings across the valley at
 *       first, then rolls along it; Adam, whose step does not shrink with the gradient, reaches
 *       (1, 1) to six digits; AdamW's decay pulls towards the origin, so it stops a little short.
 *       LAMB's step has length {@code gamma ||theta||} whatever the gradient, so it zigzags
 *       along the floor instead of settling: a rule made for weight matrices, not a 2-vector.</li>
 * </ul>
 * {@code --quick} runs 50 epochs and 1,000 Rosenbrock steps; the order is the same.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Give GD a learning rate ten times larger. Does it catch up, or diverge?</li>
 *   <li>Try Nesterov momentum ({@code SGD.Config.defaults().withLr(lr).withMomentum(0.9f).withNesterov(true)}) in both races.</li>
 *   <li>Set Adam's {@code beta2} to 0.9 and then 0.99999 on Rosenbrock: what does the second
 *       moment's memory change?</li>
 * </ol>
 */
public final class OptimizersChapter implements Chapter {
    private static final int BATCH = 32;
    private static final float START_X = -1.2f;
    private static final float START_Y = 1f;

    /** A runner: a name and how to build it for some named parameters. */
    record Runner(String name, boolean fullBatch, BiFunction<Map<String, Tensor>, Float, Optimizer> make, float lr,
                  float rosenbrockLr) {
        Optimizer build(Map<String, Tensor> parameters, boolean rosenbrock) {
            return make.apply(parameters, rosenbrock ? rosenbrockLr : lr);
        }
    }

    static final List<Runner> RUNNERS = List.of(
            new Runner("GD", true, SGD::new, 0.5f, 1e-3f),
            new Runner("SGD", false, SGD::new, 0.1f, Float.NaN),
            new Runner("momentum", false, (p, lr) -> new SGD(p, SGD.Config.withMomentum(lr, 0.9f)), 0.02f, 2e-4f),
            new Runner("RMSprop", false, RMSprop::new, 3e-3f, 1e-2f),
            new Runner("Adam", false, Adam::new, 1e-2f, 5e-2f),
            new Runner("AdamW", false, AdamW::new, 1e-2f, 5e-2f),
            new Runner("LAMB", false, LAMB::new, 1e-2f, 2e-2f));

    @Override
    public String id() {
        return "optimizers";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "GD, SGD, momentum, RMSprop, Adam, AdamW, LAMB racing on a spiral MLP and on Rosenbrock";
    }

    @Override
    public Result run(ChapterContext ctx) {
        Rng rng = ctx.rng();
        Result result = new Result();
        int epochs = ctx.steps(150, 50);
        LabeledData spiral = SmallTasks.spiral(100, 3, 0.2, rng.split());
        long initSeed = rng.nextLong();
        long shuffleSeed = rng.nextLong();

        ctx.section("race 1: 2-32-32-3 on the spiral, " + epochs + " epochs, batch " + BATCH + " (GD: all 300)");
        LineChart race = new LineChart("Training loss on the spiral, same start for every optimizer", "epoch",
                "cross-entropy on the training set").logY(true);
        List<List<String>> rows = new ArrayList<>();
        for (Runner runner : RUNNERS) {
            MLP net = new MLP(new int[] {2, 32, 32, 3}, ReLU::new, new Rng(initSeed));
            List<Double> curve = trainNetwork(ctx, runner, net, spiral, epochs, shuffleSeed);
            race.series(runner.name(), curve);
            double loss = curve.get(curve.size() - 1);
            double accuracy = SmallTasks.accuracy(net, spiral);
            rows.add(List.of(runner.name(), fmt(runner.lr()), String.format(Locale.ROOT, "%.4f", loss),
                    String.format(Locale.ROOT, "%.3f", accuracy)));
            result.metric("spiral_loss_" + runner.name(), loss);
        }
        ctx.table(List.of("optimizer", "lr", "final loss", "train accuracy"), rows);
        race.save(ctx.outFile("race.png"));

        int steps = ctx.steps(3000, 1000);
        ctx.section("race 2: Rosenbrock from (" + START_X + ", " + START_Y + "), " + steps + " steps");
        PlanePlot plot = new PlanePlot("Rosenbrock: (1 - x)^2 + 100 (y - x^2)^2, " + steps + " steps", "x", "y")
                .range(-2, 2, -1, 3).field("f(x, y)", (x, y) -> rosenbrock(x, y), true, 14);
        rows = new ArrayList<>();
        int colour = 0;
        for (Runner runner : RUNNERS) {
            if (Float.isNaN(runner.rosenbrockLr())) {
                colour++;
                continue;                                           // SGD is GD here: no data to sample
            }
            double[][] path = descendRosenbrock(runner, steps);
            int last = path[0].length - 1;
            double fx = rosenbrock(path[0][last], path[1][last]);
            double distance = Math.hypot(path[0][last] - 1, path[1][last] - 1);
            plot.curve(runner.name(), path[0], path[1], Palette.category(colour++));
            rows.add(List.of(runner.name(), fmt(runner.rosenbrockLr()),
                    String.format(Locale.ROOT, "(%.4f, %.4f)", path[0][last], path[1][last]),
                    String.format(Locale.ROOT, "%.2e", fx), String.format(Locale.ROOT, "%.4f", distance)));
            result.metric("rosenbrock_distance_" + runner.name(), distance);
        }
        ctx.table(List.of("optimizer", "lr", "final (x, y)", "f(x, y)", "distance to (1, 1)"), rows);
        plot.point(1, 1, Color.BLACK, "minimum (1, 1)").point(START_X, START_Y, Color.DARK_GRAY, "start")
                .save(ctx.outFile("rosenbrock.png"));
        ctx.printf("pictures: race.png, rosenbrock.png in %s%n", ctx.outDir());
        return result;
    }

    /** Trains with the runner's optimizer; returns the full training-set loss after each epoch. */
    private static List<Double> trainNetwork(ChapterContext ctx, Runner runner, MLP net, LabeledData data, int epochs,
                                             long shuffleSeed) {
        Optimizer optimizer = runner.build(net.namedParameters(), false);
        DataLoader loader = new DataLoader(data.toDataset(), runner.fullBatch() ? data.size() : BATCH, true, false,
                shuffleSeed);
        ProgressReporter progress = ctx.progress(runner.name(), (long) epochs * loader.batchesPerEpoch());
        List<Double> curve = new ArrayList<>();
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : loader.epoch(epoch)) {
                Tensor loss = Losses.crossEntropy(net.forward(batch.inputs()), batch.labels());
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                progress.update(++step, loss.item(), batch.size());
            }
            curve.add(SmallTasks.crossEntropy(net, data));
        }
        progress.finish();
        return curve;
    }

    /** The runner's path on Rosenbrock: x values in row 0, y values in row 1, one point per step. */
    static double[][] descendRosenbrock(Runner runner, int steps) {
        Tensor xy = Tensor.vector(START_X, START_Y).requiresGrad(true);
        Optimizer optimizer = runner.build(Map.of("xy", xy), true);
        double[][] path = new double[2][steps + 1];
        path[0][0] = xy.get(0);
        path[1][0] = xy.get(1);
        for (int s = 1; s <= steps; s++) {
            Tensor x = xy.select(0, 0);
            Tensor y = xy.select(0, 1);
            Tensor f = x.neg().add(1f).square().add(y.sub(x.square()).square().mul(100f));
            optimizer.zeroGrad();
            f.backward();
            optimizer.step();
            path[0][s] = xy.get(0);
            path[1][s] = xy.get(1);
        }
        return path;
    }

    static double rosenbrock(double x, double y) {
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    private static String fmt(float lr) {
        return String.format(Locale.ROOT, "%g", lr).replaceAll("0+e", "e").replaceAll("\\.?0+$", "");
    }
}
