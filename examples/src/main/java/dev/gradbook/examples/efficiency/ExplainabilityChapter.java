package dev.gradbook.examples.efficiency;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.Digits;
import dev.gradbook.examples.plot.ImageGrid;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.ReLU;
import dev.gradbook.nn.attribution.Attribution;

import java.util.List;

/**
 * <h2>explainability: which pixels made the model say "7"?</h2>
 *
 * <p>An attribution method gives each input feature a share of one output, here the logit of the
 * predicted class of an MNIST MLP ({@link Attribution}):
 * <pre>
 *   saliency             |∂f/∂x|                                   (Simonyan et al. 2014, section 3.1)
 *   gradient x input     x ⊙ ∂f/∂x                                  (Shrikumar et al. 2017)
 *   integrated gradients (x - x') ⊙ ∫_0^1 ∂f(x' + a (x - x'))/∂x da  (Sundararajan et al. 2017, eq. 1)
 * </pre>
 * Integrated gradients is the one with a guarantee, completeness: the attributions add up to
 * {@code f(x) - f(x')} (section 3), checked here with the black image as the baseline x'. And any
 * method can be tested the way Adebayo et al. ("Sanity Checks for Saliency Maps", NeurIPS 2018,
 * section 3.1) propose: an explanation of the model must change when the model's weights are
 * replaced by random ones. If it does not, it explains the input (edges of the digit), not the
 * model.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The completeness check: for each digit, the sum of the integrated gradients against
 *       {@code f(x) - f(0)}; with 128 steps the relative error is at most 3.4e-4 at seed 42, far
 *       below the 1% bound.</li>
 *   <li>{@code attributions.png}: one row per test digit: the image, then saliency, gradient x
 *       input and integrated gradients of the trained model, then integrated gradients of a
 *       randomly initialised model of the same shape. The trained model's maps light up the
 *       strokes that tell this digit from others; the random model's do not.</li>
 *   <li>The sanity check, the correlation between the trained and the random model's maps (seed
 *       42, default run): saliency -0.02, so the gradient really is the model's; |IG| 0.63,
 *       because {@code (x - x')} multiplies every IG map, so part of any IG map is the digit
 *       itself, whatever the model (Adebayo et al. make the same point about gradient x input).
 *       Compare the last two columns of the picture: the strokes are there in both, but which
 *       strokes count differs.</li>
 * </ul>
 * With {@code --quick}: the model is trained on 5,000 images; the same checks hold.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --steps-ig 4}: how large does the completeness error get?</li>
 *   <li>Use a uniform grey image as the baseline. What changes in the maps, and why does the
 *       baseline matter for IG but not for saliency?</li>
 *   <li>Gradient x input is IG with a single step at the end of the path for a linear model.
 *       Where on these maps do they disagree?</li>
 * </ol>
 */
public final class ExplainabilityChapter implements Chapter {
    static final int EXAMPLES = 4;

    @Override
    public String id() {
        return "explainability";
    }

    @Override
    public Part part() {
        return Part.EFFICIENCY;
    }

    @Override
    public String summary() {
        return "saliency, gradient x input and integrated gradients on MNIST; completeness and the randomised-model check";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("steps-ig", "128", "points on the path for integrated gradients"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        TrainedMlp trained = TrainedMlp.train(ctx, TrainedMlp.SIZES, ctx.quick() ? 5_000 : 20_000, 1_000, rng);
        MLP random = new MLP(TrainedMlp.SIZES, ReLU::new, rng.split());
        trained.model().eval();
        random.eval();
        int steps = ctx.intOption("steps-ig");
        ctx.section("integrated gradients: completeness, sum of attributions = f(x) - f(black image)");
        ImageGrid grid = new ImageGrid("Attributions for the predicted class (trained model; last column random model)", 5)
                .scale(4);
        double worst = 0;
        double correlation = 0;
        double saliencyCorrelation = 0;
        Tensor baseline = Tensor.zeros(1, Digits.PIXELS);
        for (int i = 0; i < EXAMPLES; i++) {
            Tensor x = trained.test().image(i).reshape(1, Digits.PIXELS);
            int predicted = trained.model().forward(x).argmax();
            Tensor ig = Attribution.integratedGradients(trained.model(), x, baseline, predicted, steps);
            double error = Attribution.completenessError(trained.model(), x, baseline, predicted, ig);
            worst = Math.max(worst, error);
            ctx.printf("digit %d (label %d, predicted %d): sum of IG %.4f, f(x) - f(0) %.4f, relative error %.2e%n", i,
                    trained.test().label(i), predicted, ig.sum().item(),
                    Attribution.output(trained.model(), x, predicted) - Attribution.output(trained.model(), baseline, predicted),
                    error);
            Tensor igRandom = Attribution.integratedGradients(random, x, baseline, predicted, steps);
            correlation += pearson(ig.abs(), igRandom.abs()) / EXAMPLES;
            saliencyCorrelation += pearson(Attribution.saliency(trained.model(), x, predicted),
                    Attribution.saliency(random, x, predicted)) / EXAMPLES;
            grid.add(picture(x), "digit " + trained.test().label(i));
            grid.add(picture(Attribution.saliency(trained.model(), x, predicted)), "saliency");
            grid.add(picture(Attribution.gradientTimesInput(trained.model(), x, predicted)), "grad x input");
            grid.add(picture(ig), "integrated grad");
            grid.add(picture(igRandom), "IG, random model");
        }
        grid.save(ctx.outFile("attributions.png"));
        ctx.section("sanity check (Adebayo et al. 2018): explanations must depend on the model");
        ctx.printf("mean correlation, trained model vs random model: |IG| maps %.3f, saliency maps %.3f%n", correlation,
                saliencyCorrelation);
        ctx.println("picture: attributions.png in " + ctx.outDir());
        return new Result()
                .metric("test_accuracy", trained.accuracy())
                .metric("max_completeness_error", worst)
                .metric("trained_vs_random_correlation", correlation)
                .metric("saliency_trained_vs_random_correlation", saliencyCorrelation);
    }

    private static Tensor picture(Tensor attribution) {
        return attribution.detach().reshape(Digits.SIDE, Digits.SIDE);
    }

    /** Pearson's correlation of two tensors' values, in doubles. */
    static double pearson(Tensor a, Tensor b) {
        float[] x = a.data();
        float[] y = b.data();
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / (double) x.length;
            my += y[i] / (double) y.length;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(Math.max(1e-30, sxx * syy));
    }
}
