package dev.gradbook.examples.foundations;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.Palette;
import dev.gradbook.examples.plot.PlanePlot;
import dev.gradbook.nn.optim.SGD;
import dev.gradbook.nn.train.ProgressReporter;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * <h2>calculus: derivatives as limits, the chain rule, gradients, and descending them</h2>
 *
 * <p>The derivative is a limit of difference quotients, and a computer can only take the
 * quotient for a finite step h. Two errors compete: the <b>truncation</b> error of stopping
 * short of the limit (Taylor: {@code f(x+h) = f(x) + h f'(x) + h^2/2 f''(x) + ...}) and the
 * <b>rounding</b> error of subtracting two nearly equal numbers, each stored with relative
 * precision {@code eps} (1.1e-16 in double, 6e-8 in float):
 * <pre>
 *   forward  (f(x+h) - f(x)) / h        error ~ h/2 |f''|   + eps |f| / h     best h ~ sqrt(eps)
 *   central  (f(x+h) - f(x-h)) / (2h)   error ~ h^2/6 |f'''| + eps |f| / h    best h ~ eps^(1/3)
 * </pre>
 * Reverse-mode automatic differentiation (autograd) has neither error: it applies the chain
 * rule {@code (f o g)'(x) = f'(g(x)) g'(x)} to the exact local derivative of each operation, so
 * it matches the hand-derived formula to rounding. For a function of many inputs the gradient
 * {@code grad f = (df/dw_1, ..., df/dw_n)} points uphill; gradient descent steps against it:
 * {@code w <- w - lr grad f(w)}. Momentum (Polyak 1964) keeps a running sum of past gradients,
 * {@code b <- mu b + grad f; w <- w - lr b}, which builds up speed along a long shallow valley.
 *
 * <p>The Rosenbrock function {@code f(x, y) = (1 - x)^2 + 100 (y - x^2)^2} (Rosenbrock 1960) has
 * its minimum 0 at (1, 1) at the end of a curved, narrow valley: the curvature across the
 * valley (about 1000) is 2500 times the curvature along it (0.4), so a learning rate small enough
 * not to bounce off the walls crawls along the floor. Sources: Nocedal and Wright, <i>Numerical
 * Optimization</i>, sections 2.1 and 8.1 (finite differences); Goodfellow et al., <i>Deep
 * Learning</i>, sections 4.3 and 8.3.2; Baydin et al., "Automatic differentiation in machine
 * learning: a survey" (JMLR 2018).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table of errors against h: they fall (truncation, slope 1 for forward, 2 for
 *       central) until h near 1e-8 (forward) or 1e-5 (central), then rise again (rounding).
 *       In float32, the central difference is best near h = 1e-2 to 1e-3, which is why
 *       {@link GradCheck} uses 1e-2. {@code finite-differences.png} draws it.</li>
 *   <li>The chain rule by hand, autograd and the numeric derivative agree to about 1e-7; so do
 *       the three versions of a logistic-regression gradient.</li>
 *   <li>On Rosenbrock, plain gradient descent ends still short of (1, 1), while momentum with
 *       the same learning rate arrives within 1e-3: {@code rosenbrock.png} shows both paths over
 *       the shaded surface, {@code rosenbrock-loss.png} their f against the step.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Raise plain descent's learning rate to 2.5e-3. What happens, and how does it relate to
 *       the largest curvature 2/lr?</li>
 *   <li>Add Adam ({@code dev.gradbook.nn.optim.Adam}) to the race: does it need the same care
 *       with its learning rate?</li>
 *   <li>Use the complex-step derivative {@code Im f(x + ih) / h} for f = sin: why does its error
 *       keep falling as h shrinks to 1e-100?</li>
 * </ol>
 */
public final class CalculusChapter implements Chapter {
    private static final double X0 = 1.0; // where d/dx sin(x) is measured

    @Override
    public String id() {
        return "calculus";
    }

    @Override
    public Part part() {
        return Part.FOUNDATIONS;
    }

    @Override
    public String summary() {
        return "finite differences vs autograd, the chain rule, gradient descent on Rosenbrock";
    }

    @Override
    public Result run(ChapterContext ctx) {
        Result result = new Result();
        finiteDifferences(ctx, result);
        double chain = chainRule(ctx);
        double gradient = logisticGradient(ctx, ctx.rng());
        result.metric("autograd_vs_numeric", Math.max(chain, gradient));
        rosenbrock(ctx, result);
        return result;
    }

    /** The error of forward and central differences of sin at X0 for h = 1e-1 .. 1e-13. */
    private static void finiteDifferences(ChapterContext ctx, Result result) {
        ctx.section("limits: d/dx sin(x) at x = 1 from difference quotients");
        double exact = Math.cos(X0);
        int rows = 13;
        double[] logH = new double[rows];
        double[][] errors = new double[3][rows];
        List<List<String>> table = new ArrayList<>();
        for (int k = 1; k <= rows; k++) {
            double h = Math.pow(10, -k);
            logH[k - 1] = -k;
            errors[0][k - 1] = Math.abs((Math.sin(X0 + h) - Math.sin(X0)) / h - exact);
            errors[1][k - 1] = Math.abs((Math.sin(X0 + h) - Math.sin(X0 - h)) / (2 * h) - exact);
            // the same quotient with float32 tensors, as autograd's users evaluate their functions
            Tensor y = Tensor.vector((float) (X0 + h), (float) (X0 - h)).sin();
            errors[2][k - 1] = Math.abs((y.get(0) - y.get(1)) / (2 * h) - exact);
            table.add(List.of(String.format(java.util.Locale.ROOT, "1e-%02d", k), sci(errors[0][k - 1]), sci(errors[1][k - 1]),
                    sci(errors[2][k - 1])));
        }
        ctx.table(List.of("h", "forward (double)", "central (double)", "central (float32)"), table);
        String[] names = {"forward_double", "central_double", "central_float"};
        for (int s = 0; s < 3; s++) {
            int best = argmin(errors[s]);
            ctx.printf("%-15s smallest error %.1e at h = 1e-%d%n", names[s], errors[s][best], best + 1);
            result.metric(names[s] + "_best_log10_h", logH[best]);
            result.metric(names[s] + "_best_error", errors[s][best]);
        }
        result.metric("central_double_error_h1e-1", errors[1][0]);
        result.metric("central_double_error_h1e-13", errors[1][rows - 1]);
        new LineChart("Error of difference quotients for sin'(1)", "log10 h", "|error|").logY(true)
                .series("forward, double", logH, errors[0]).series("central, double", logH, errors[1])
                .series("central, float32", logH, errors[2]).save(ctx.outFile("finite-differences.png"));
    }

    /** y = tanh(3 sin x + x^2): the chain rule by hand, autograd, and a central difference. */
    private static double chainRule(ChapterContext ctx) {
        ctx.section("the chain rule: y = tanh(u), u = 3 sin(x) + x^2, at x = 0.7");
        double x0 = 0.7;
        double u = 3 * Math.sin(x0) + x0 * x0;
        double byHand = (1 - Math.tanh(u) * Math.tanh(u)) * (3 * Math.cos(x0) + 2 * x0); // dy/du * du/dx
        Tensor x = Tensor.scalar((float) x0).requiresGrad(true);
        x.sin().mul(3).add(x.square()).tanh().backward();
        double autograd = x.grad().item();
        double h = 1e-5;
        double numeric = (Math.tanh(3 * Math.sin(x0 + h) + (x0 + h) * (x0 + h))
                - Math.tanh(3 * Math.sin(x0 - h) + (x0 - h) * (x0 - h))) / (2 * h);
        ctx.printf("dy/dx = (1 - tanh^2 u) (3 cos x + 2x): by hand %.7f, autograd %.7f, central difference %.7f%n",
                byHand, autograd, numeric);
        return Math.max(Math.abs(autograd - byHand), Math.abs(autograd - numeric));
    }

    /**
     * The gradient of the mean logistic loss L(w) = mean_i log(1 + exp(-y_i w.x_i)) three ways:
     * the formula -mean_i y_i x_i sigmoid(-y_i w.x_i), autograd, and central differences.
     */
    private static double logisticGradient(ChapterContext ctx, Rng rng) {
        int n = 20;
        int d = 5;
        ctx.section("a gradient with " + d + " inputs: logistic loss on " + n + " random points");
        Tensor xs = Tensor.randn(rng, n, d);
        Tensor ys = Tensor.randint(rng, 0, 2, n).mul(2).sub(1); // labels -1 or +1
        Tensor w = Tensor.randn(rng, d).mul(0.5f).requiresGrad(true);
        logisticLoss(xs, ys, w).backward();
        double[] byHand = new double[d];
        double[] numeric = new double[d];
        double[] wd = toDoubles(w);
        for (int i = 0; i < n; i++) {
            double margin = ys.get(i) * dot(xs, i, wd);
            for (int j = 0; j < d; j++) {
                byHand[j] -= ys.get(i) * xs.get(i, j) / (1 + Math.exp(margin)) / n;
            }
        }
        double h = 1e-5;
        for (int j = 0; j < d; j++) {
            double[] plus = wd.clone();
            double[] minus = wd.clone();
            plus[j] += h;
            minus[j] -= h;
            numeric[j] = (logisticLoss(xs, ys, plus) - logisticLoss(xs, ys, minus)) / (2 * h);
        }
        List<List<String>> table = new ArrayList<>();
        double worst = 0;
        for (int j = 0; j < d; j++) {
            double a = w.grad().get(j);
            worst = Math.max(worst, Math.max(Math.abs(a - numeric[j]), Math.abs(a - byHand[j])));
            table.add(List.of("dL/dw" + j, fixed(byHand[j]), fixed(a), fixed(numeric[j])));
        }
        ctx.table(List.of("", "formula", "autograd", "central difference"), table);
        ctx.printf("largest difference %.1e%n", worst);
        ctx.println("the library's checker (float32, h = 1e-2): "
                + GradCheck.check(in -> logisticLoss(xs, ys, in[0]), w));
        return worst;
    }

    private static Tensor logisticLoss(Tensor xs, Tensor ys, Tensor w) {
        Tensor margins = xs.matmul(w).mul(ys);             // (n): y_i w.x_i
        return margins.neg().exp().add(1).log().mean();    // mean log(1 + exp(-margin))
    }

    private static double logisticLoss(Tensor xs, Tensor ys, double[] w) {
        double sum = 0;
        for (int i = 0; i < xs.size(0); i++) {
            sum += Math.log1p(Math.exp(-ys.get(i) * dot(xs, i, w)));
        }
        return sum / xs.size(0);
    }

    /** Gradient descent with and without momentum on Rosenbrock, gradients from autograd. */
    private static void rosenbrock(ChapterContext ctx, Result result) {
        int steps = ctx.steps(10_000, 2_000);
        float lr = 1e-3f;
        ctx.section("gradient descent on f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 from (-1.2, 1), lr " + lr);
        PlanePlot picture = new PlanePlot("Gradient descent on the Rosenbrock function", "x", "y")
                .range(-2, 2, -1, 3).field("log10(1 + f)", (x, y) -> rosenbrock(x, y), true, 14);
        LineChart curves = new LineChart("Rosenbrock: f along the descent", "step", "f(x, y)").logY(true);
        float[] momenta = {0f, 0.9f};
        String[] names = {"plain", "momentum 0.9"};
        for (int run = 0; run < 2; run++) {
            Tensor p = Tensor.vector(-1.2f, 1f).requiresGrad(true);
            SGD optimizer = new SGD(Map.of("p", p), SGD.Config.withMomentum(lr, momenta[run]));
            double[] xs = new double[steps + 1];
            double[] ys = new double[steps + 1];
            double[] fs = new double[steps + 1];
            xs[0] = p.get(0);
            ys[0] = p.get(1);
            ProgressReporter progress = ctx.progress(names[run], steps);
            for (int s = 1; s <= steps; s++) {
                Tensor f = rosenbrock(p);
                fs[s - 1] = f.item();
                optimizer.zeroGrad();
                f.backward();
                optimizer.step();
                xs[s] = p.get(0);
                ys[s] = p.get(1);
                progress.update(s, f.item());
            }
            fs[steps] = rosenbrock(xs[steps], ys[steps]);
            progress.finish();
            double distance = Math.hypot(xs[steps] - 1, ys[steps] - 1);
            ctx.printf("%-13s after %,d steps: (x, y) = (%.4f, %.4f), f = %.2e, distance to (1, 1) = %.4f%n",
                    names[run], steps, xs[steps], ys[steps], fs[steps], distance);
            String key = run == 0 ? "gd" : "momentum";
            result.metric(key + "_end_x", xs[steps]);
            result.metric(key + "_end_y", ys[steps]);
            result.metric(key + "_distance", distance);
            picture.curve(names[run], xs, ys, Palette.category(run));
            curves.series(names[run], stepNumbers(steps + 1), fs);
        }
        picture.point(-1.2, 1, Color.BLACK, "start").point(1, 1, Palette.category(2), "minimum (1, 1)")
                .save(ctx.outFile("rosenbrock.png"));
        curves.save(ctx.outFile("rosenbrock-loss.png"));
    }

    private static Tensor rosenbrock(Tensor p) {
        Tensor x = p.select(0, 0);
        Tensor y = p.select(0, 1);
        return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
    }

    private static double rosenbrock(double x, double y) {
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    // ------------------------------------------------------------ small helpers

    private static double dot(Tensor xs, int row, double[] w) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += xs.get(row, j) * w[j];
        }
        return s;
    }

    private static double[] toDoubles(Tensor t) {
        double[] out = new double[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.data()[i];
        }
        return out;
    }

    private static double[] stepNumbers(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static int argmin(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static String sci(double v) {
        return String.format(java.util.Locale.ROOT, "%.2e", v);
    }

    private static String fixed(double v) {
        return String.format(java.util.Locale.ROOT, "%.8f", v);
    }
}
