package dev.gradbook.examples.efficiency;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.Digits;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.prune.PruningMask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>pruning: how many weights does a network need?</h2>
 *
 * <p>Trained networks are over-parameterised: many weights can be set to zero with little loss.
 * Magnitude pruning (Han et al., "Learning both Weights and Connections for Efficient Neural
 * Networks", NeurIPS 2015, section 3) removes the weights with the smallest |w|, on the idea that
 * a small weight moves the output little. It comes in two kinds ({@link PruningMask}):
 * <ul>
 *   <li>unstructured: any weight may go; sparsity s means a fraction s of each layer's weights
 *       are zero, scattered, so a dense product is no faster without sparse kernels;</li>
 *   <li>structured: whole hidden neurons go (rows of a weight with the smallest L1 norm, Li et
 *       al., ICLR 2017, section 3.1), so the layers really shrink, but each removal takes out
 *       large weights along with small ones.</li>
 * </ul>
 * The chapter trains the MNIST MLP (784-256-128-10) once, then for each sparsity prunes a copy
 * both ways (unstructured: every layer; structured: the two hidden layers' neurons), without
 * retraining, and scores it on the same test images.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>{@code accuracy-vs-sparsity.png} and the table (seed 42, default run, dense 92.61%):
 *       unstructured pruning keeps 92.60% at 30% and 91.80% at 50% sparsity, 88.04% at 80%,
 *       77.67% at 90%, then collapses (41.86% at 95%). Structured pruning falls much sooner:
 *       87.47% at 50% and 52.57% at 90%, since removing a neuron removes its large weights
 *       too.</li>
 *   <li>The last column: parameters really removed. Only structured pruning makes the dense
 *       matrices smaller.</li>
 * </ul>
 * With {@code --quick}: 5,000 training and 2,000 test images; the same shape.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Prune globally (one threshold for all layers instead of one per layer): which layer then
 *       loses the most weights?</li>
 *   <li>After pruning to 90%, train a few hundred more steps keeping the mask fixed (re-apply it
 *       after each step). How much accuracy comes back (Han et al.'s "retrain" step)?</li>
 *   <li>Run with {@code --seed 7}: is the knee of the curve in the same place?</li>
 * </ol>
 */
public final class PruningChapter implements Chapter {
    static final double[] SPARSITIES = {0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98};

    @Override
    public String id() {
        return "pruning";
    }

    @Override
    public Part part() {
        return Part.EFFICIENCY;
    }

    @Override
    public String summary() {
        return "magnitude pruning of an MNIST MLP, unstructured and structured: accuracy against sparsity";
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        TrainedMlp base = TrainedMlp.train(ctx, TrainedMlp.SIZES, ctx.quick() ? 5_000 : 20_000,
                ctx.quick() ? 2_000 : 10_000, ctx.rng());
        ctx.section("pruning copies of the trained model (no retraining)");
        double[] unstructured = new double[SPARSITIES.length];
        double[] structured = new double[SPARSITIES.length];
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < SPARSITIES.length; i++) {
            unstructured[i] = prunedAccuracy(base, SPARSITIES[i], false);
            MLP neurons = base.copy();
            long removed = prune(neurons, SPARSITIES[i], true);
            structured[i] = Digits.accuracy(neurons, Digits.Layout.FLAT, base.test());
            rows.add(List.of(String.format(Locale.ROOT, "%.0f%%", 100 * SPARSITIES[i]),
                    String.format(Locale.ROOT, "%.2f%%", 100 * unstructured[i]),
                    String.format(Locale.ROOT, "%.2f%%", 100 * structured[i]),
                    String.format(Locale.ROOT, "%,d", removed)));
        }
        ctx.table(List.of("sparsity", "unstructured", "structured (neurons)", "weights removed from the dense matrices"), rows);
        new LineChart("MNIST MLP accuracy after magnitude pruning (no retraining)", "sparsity", "test accuracy")
                .series("unstructured (weights)", SPARSITIES, unstructured)
                .series("structured (hidden neurons)", SPARSITIES, structured)
                .save(ctx.outFile("accuracy-vs-sparsity.png"));
        ctx.println("picture: accuracy-vs-sparsity.png in " + ctx.outDir());
        Result r = new Result().metric("dense_accuracy", base.accuracy());
        for (int i = 0; i < SPARSITIES.length; i++) {
            String s = String.format(Locale.ROOT, "%02d", Math.round(100 * SPARSITIES[i]));
            r.metric("unstructured_" + s, unstructured[i]).metric("structured_" + s, structured[i]);
        }
        return r;
    }

    private static double prunedAccuracy(TrainedMlp base, double sparsity, boolean neurons) {
        MLP copy = base.copy();
        prune(copy, sparsity, neurons);
        return Digits.accuracy(copy, Digits.Layout.FLAT, base.test());
    }

    /**
     * Prunes each Linear of {@code model} (neurons: rows of the hidden layers only, since the output
     * layer's rows are the classes); returns how many weights leave the dense matrices (structured
     * only: a removed neuron's row and its column in the next layer).
     */
    static long prune(MLP model, double sparsity, boolean neurons) {
        List<Linear> layers = new ArrayList<>();
        for (Module m : model.namedModules().values()) {
            if (m instanceof Linear l) {
                layers.add(l);
            }
        }
        long removed = 0;
        for (int i = 0; i < layers.size(); i++) {
            Linear l = layers.get(i);
            if (!neurons) {
                PruningMask.apply(l, PruningMask.magnitude(l.weight, sparsity));
            } else if (i < layers.size() - 1) {
                int gone = (int) Math.round(sparsity * l.outFeatures);
                PruningMask.apply(l, PruningMask.rows(l.weight, sparsity));
                removed += (long) gone * (l.inFeatures + layers.get(i + 1).outFeatures);
            }
        }
        return removed;
    }
}
