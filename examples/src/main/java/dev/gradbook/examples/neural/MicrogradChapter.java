package dev.gradbook.examples.neural;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.micrograd.ScalarMlp;
import dev.gradbook.examples.neural.micrograd.Value;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.Tanh;
import dev.gradbook.nn.optim.SGD;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * <h2>micrograd: reverse-mode autograd on scalars, then the same with tensors</h2>
 *
 * <p>Training a network needs {@code dL/dw} for every weight w. Reverse-mode automatic
 * differentiation gets all of them in one backward sweep that costs about as much as the
 * forward computation: record every operation as it runs, then walk the record backwards
 * applying the chain rule. If {@code out = f(a, b)} then
 * <pre>
 *   dL/da += dL/d(out) * d(out)/da          (and likewise for b)
 *   + : d(a+b)/da = 1      * : d(ab)/da = b      a^k : k a^(k-1)      exp : e^a      tanh : 1 - tanh^2
 * </pre>
 * and visiting values in reverse topological order guarantees that {@code dL/d(out)} is complete
 * before it is passed on. {@link Value} is the whole engine in about 100 lines on doubles, one
 * object per number, as in A. Karpathy's micrograd (github.com/karpathy/micrograd, 2020);
 * {@link ScalarMlp} builds neurons, layers and a network from it. Gradbook's {@link Tensor} does
 * the same thing one array at a time (see {@code dev.gradbook.core.Autograd}); this chapter runs
 * both on the same computation and holds them to each other. Background: Rumelhart, Hinton and
 * Williams, "Learning representations by back-propagating errors", Nature 1986; Baydin et al.,
 * "Automatic differentiation in machine learning: a survey", JMLR 2018, section 3.2.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table of {@code dL/da, dL/db, dL/dc} for one expression: the scalar engine, the
 *       float32 tensors and a central difference agree to about 1e-6 (float32 rounding).</li>
 *   <li>A 2-8-8-1 tanh network: the gradients of all 105 parameters, once from {@link ScalarMlp}
 *       and once from the library's {@link MLP} with the same weights, differ by about 1e-7.</li>
 *   <li>Trained side by side with the same steps, the two networks' losses stay equal to
 *       float rounding; both separate the two moons ({@code micrograd-boundary.png}) and
 *       {@code micrograd-loss.png} shows the two loss curves on top of each other.</li>
 *   <li>The time per step: one Java object per multiply is far slower than one array per layer.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Add {@code relu} to {@link Value} (derivative: 1 where the input is positive, else 0)
 *       and train the network with ReLU hidden units. Check its gradient against a central
 *       difference.</li>
 *   <li>Remove the {@code +=} in {@code mul}'s backward step (use {@code =}) and compute
 *       {@code d(a*a)/da}. Which answer do you get, and why?</li>
 *   <li>Replace the mean squared error by the hinge loss {@code max(0, 1 - y s)} that micrograd's
 *       demo uses. Which needs fewer steps?</li>
 * </ol>
 */
public final class MicrogradChapter implements Chapter {
    private static final int[] SIZES = {2, 8, 8, 1};
    private static final double LR = 0.5;

    @Override
    public String id() {
        return "micrograd";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "scalar reverse-mode autograd in 100 lines, held to the tensor engine; a tiny MLP trained with it";
    }

    @Override
    public Result run(ChapterContext ctx) {
        Result result = new Result();
        result.metric("expression_grad_difference", expression(ctx));
        network(ctx, ctx.rng(), result);
        return result;
    }

    /** L = f + b^3 / f with f = (a^2 + e^c) tanh(a b + c), by scalars, by tensors, and numerically. */
    private static double expression(ChapterContext ctx) {
        ctx.section("one expression three ways: L = f + b^3 / f, f = (a^2 + e^c) tanh(a b + c)");
        double[] at = {1.5, -2.0, 0.5};
        Value[] v = {new Value(at[0]), new Value(at[1]), new Value(at[2])};
        Value l = expression(v[0], v[1], v[2]);
        l.backward();

        Tensor[] t = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            t[i] = Tensor.scalar((float) at[i]).requiresGrad(true);
        }
        Tensor lt = t[0].pow(2).add(t[2].exp()).mul(t[0].mul(t[1]).add(t[2]).tanh());
        lt = lt.add(t[1].pow(3).div(lt));
        lt.backward();

        List<List<String>> rows = new ArrayList<>();
        double worst = 0;
        String[] names = {"a", "b", "c"};
        double h = 1e-6;
        for (int i = 0; i < 3; i++) {
            double[] plus = at.clone();
            double[] minus = at.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (expression(plus) - expression(minus)) / (2 * h);
            double tensorGrad = t[i].grad().item();
            worst = Math.max(worst, Math.abs(v[i].grad - tensorGrad));
            rows.add(List.of("dL/d" + names[i], fixed(at[i]), fixed(v[i].grad), fixed(tensorGrad), fixed(numeric)));
        }
        ctx.printf("L = %.6f (Value), %.6f (Tensor)%n", l.data, lt.item());
        ctx.table(List.of("", "at", "Value (double)", "Tensor (float32)", "central difference"), rows);
        ctx.printf("largest |Value - Tensor| gradient difference: %.1e%n", worst);
        return worst;
    }

    private static Value expression(Value a, Value b, Value c) {
        Value f = a.pow(2).add(c.exp()).mul(a.mul(b).add(c).tanh());
        return f.add(b.pow(3).div(f));
    }

    private static double expression(double[] at) {
        return expression(new Value(at[0]), new Value(at[1]), new Value(at[2])).data;
    }

    /** A 2-8-8-1 network on two moons, as Values and as tensors with the same weights, trained side by side. */
    private static void network(ChapterContext ctx, Rng rng, Result result) {
        int n = ctx.quick() ? 60 : 100;
        ToyData.Points moons = ToyData.twoMoons(n, 0.1, rng.split());
        Tensor targets = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            targets.data()[i] = moons.labels()[i] == 1 ? 1f : -1f;
        }
        MLP model = new MLP(SIZES, Tanh::new, rng.split());
        List<Linear> linears = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i) instanceof Linear linear) {
                linears.add(linear);
            }
        }
        ScalarMlp scalar = new ScalarMlp(linears);
        SGD optimizer = new SGD(model.namedParameters(), (float) LR);
        ctx.section("a 2-8-8-1 tanh network on " + n + " two-moons points: Values vs tensors, same weights");
        ctx.printf("%d parameters; loss = mean (tanh(score) - y)^2 with y = -1 or +1; plain gradient descent, lr %.1f%n",
                scalar.parameters().size(), LR);

        int steps = ctx.steps(300, 200);
        double[] scalarCurve = new double[steps];
        double[] tensorCurve = new double[steps];
        long scalarNanos = 0;
        long tensorNanos = 0;
        ProgressReporter progress = ctx.progress("micrograd", steps);
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            Value loss = scalarLoss(scalar, moons, targets);
            loss.backward();
            long t1 = System.nanoTime();
            Tensor tensorLoss = model.forward(moons.x()).tanh().sub(targets).square().mean();
            optimizer.zeroGrad();
            tensorLoss.backward();
            long t2 = System.nanoTime();
            if (s == 0) {
                double diff = maxGradientDifference(scalar, linears);
                ctx.printf("before training: loss %.6f (Values) vs %.6f (tensors); all %d gradients agree to %.1e%n",
                        loss.data, tensorLoss.item(), scalar.parameters().size(), diff);
                result.metric("mlp_grad_difference", diff);
            }
            scalar.step(LR);
            optimizer.step();
            scalarNanos += t1 - t0;
            tensorNanos += t2 - t1;
            scalarCurve[s] = loss.data;
            tensorCurve[s] = tensorLoss.item();
            progress.update(s + 1, loss.data, n);
        }
        progress.finish();
        double accuracy = accuracy(x -> scalar.apply(x)[0].data, moons);
        ctx.printf("after %d steps: loss %.6f (Values) vs %.6f (tensors), training accuracy %.1f%%%n", steps,
                scalarCurve[steps - 1], tensorCurve[steps - 1], 100 * accuracy);
        ctx.printf("time per step (forward + backward): %.2f ms with Values, %.3f ms with tensors%n",
                scalarNanos / 1e6 / steps, tensorNanos / 1e6 / steps);
        result.metric("initial_loss", scalarCurve[0]);
        result.metric("final_loss", scalarCurve[steps - 1]);
        result.metric("final_loss_difference", Math.abs(scalarCurve[steps - 1] - tensorCurve[steps - 1]));
        result.metric("train_accuracy", accuracy);

        double[] xs = new double[steps];
        for (int s = 0; s < steps; s++) {
            xs[s] = s + 1;
        }
        new LineChart("micrograd vs tensors: same network, same steps (the curves coincide)", "step", "mean squared error")
                .series("Value (scalars, double)", xs, scalarCurve).series("Tensor (float32)", xs, tensorCurve)
                .save(ctx.outFile("micrograd-loss.png"));
        new ScatterPlot("A scalar MLP (micrograd) on two moons", "x1", "x2")
                .points(moons.column(0), moons.column(1), moons.labels())
                .regions((a, b) -> scalar.apply(new Value[] {new Value(a), new Value(b)})[0].data > 0 ? 1 : 0)
                .classNames(List.of("y = -1", "y = +1")).save(ctx.outFile("micrograd-boundary.png"));
    }

    private static Value scalarLoss(ScalarMlp mlp, ToyData.Points data, Tensor targets) {
        Value sum = new Value(0);
        for (int i = 0; i < data.size(); i++) {
            Value[] x = {new Value(data.x().get(i, 0)), new Value(data.x().get(i, 1))};
            Value error = mlp.apply(x)[0].tanh().sub(new Value(targets.get(i, 0)));
            sum = sum.add(error.mul(error));
        }
        return sum.mul(1.0 / data.size());
    }

    /** The largest difference between each Value parameter's grad and the same entry of the tensors' grads. */
    private static double maxGradientDifference(ScalarMlp scalar, List<Linear> linears) {
        List<Double> tensorGrads = new ArrayList<>();
        for (Linear linear : linears) {
            for (int j = 0; j < linear.outFeatures; j++) {
                for (int i = 0; i < linear.inFeatures; i++) {
                    tensorGrads.add((double) linear.weight.grad().get(j, i));
                }
                tensorGrads.add((double) linear.bias.grad().get(j));
            }
        }
        List<Value> params = scalar.parameters();
        double worst = 0;
        for (int k = 0; k < params.size(); k++) {
            worst = Math.max(worst, Math.abs(params.get(k).grad - tensorGrads.get(k)));
        }
        return worst;
    }

    private static double accuracy(Function<Value[], Double> score, ToyData.Points data) {
        int right = 0;
        for (int i = 0; i < data.size(); i++) {
            double s = score.apply(new Value[] {new Value(data.x().get(i, 0)), new Value(data.x().get(i, 1))});
            right += (s > 0 ? 1 : 0) == data.labels()[i] ? 1 : 0;
        }
        return (double) right / data.size();
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.7f", v);
    }
}
