package dev.gradbook.examples.neural;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.data.OneHot;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>backprop: the backward pass of a two-layer network, written with matrix products</h2>
 *
 * <p>For a whole batch at once, the chain rule becomes a handful of matrix products. With
 * inputs X (N, D), a hidden layer of H tanh units and C output classes:
 * <pre>
 *   forward                          backward (dA means dL/dA, same shape as A)
 *   Z1 = X W1 + b1      (N, H)       dZ2 = (softmax(Z2) - Y) / N       (N, C)   Y one-hot
 *   A1 = tanh(Z1)       (N, H)       dW2 = A1^T dZ2                    (H, C)
 *   Z2 = A1 W2 + b2     (N, C)       db2 = sum over rows of dZ2        (C)
 *   L  = mean cross-entropy          dA1 = dZ2 W2^T                    (N, H)
 *                                    dZ1 = dA1 * (1 - A1^2)            (N, H)   elementwise
 *                                    dW1 = X^T dZ1                     (D, H)
 *                                    db1 = sum over rows of dZ1        (H)
 *                                    dX  = dZ1 W1^T                    (N, D)   if X needs a gradient
 * </pre>
 * Each gradient has the shape of its variable, and each product is forced by the shapes: that is
 * the easiest way to remember them. A layer's forward multiply {@code (m x k)(k x n)} costs
 * {@code 2 m k n} floating-point operations; its backward needs two products of the same size,
 * one for the weight gradient and one for the input gradient, so the backward pass costs about
 * twice the forward one, and training step about three forwards. (The first layer can skip dX.)
 * Sources: Rumelhart, Hinton and Williams, Nature 1986; Goodfellow et al., <i>Deep Learning</i>,
 * section 6.5; Stanford CS231n notes, "Putting it together: minimal neural network case study"
 * (the spiral data); Kaplan et al. 2020, section 2.1 (training compute about 6 N per token).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The hand-written gradients equal autograd's to about 1e-8 for all four parameters.</li>
 *   <li>The FLOP table: the backward's matrix products cost exactly twice the forward's (1.5 to
 *       1.7 times when the first layer skips dX); the measured times come close to that ratio on
 *       matrices large enough to be limited by arithmetic.</li>
 *   <li>Trained with the hand-written backward alone, the network separates the three spiral
 *       arms ({@code backprop-boundary.png}) and its loss falls from ln 3 = 1.10
 *       ({@code backprop-loss.png}).</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Replace tanh by ReLU. What becomes of the line {@code dZ1 = dA1 * (1 - A1^2)}?</li>
 *   <li>Add L2 regularisation {@code lambda/2 (|W1|^2 + |W2|^2)} to the loss: which two lines
 *       of the backward change, and how?</li>
 *   <li>Add a second hidden layer and count again: does the 2:1 ratio still hold?</li>
 * </ol>
 */
public final class BackpropChapter implements Chapter {
    private static final int HIDDEN = 64;
    private static final int CLASSES = 3;

    @Override
    public String id() {
        return "backprop";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "a two-layer network's backward pass by hand, equal to autograd; FLOPs and time of both passes";
    }

    /** The parameters of the two layers, stored as (in, out) so that the forward reads X W + b. */
    record Params(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
        static Params init(int d, int h, int c, Rng rng) {
            return new Params(Tensor.randn(rng, d, h).mul((float) Math.sqrt(1.0 / d)), Tensor.zeros(h),
                    Tensor.randn(rng, h, c).mul((float) Math.sqrt(1.0 / h)), Tensor.zeros(c));
        }

        List<Tensor> all() {
            return List.of(w1, b1, w2, b2);
        }
    }

    /** What the forward pass keeps for the backward one. */
    record Forward(Tensor a1, Tensor logits) {
    }

    static Forward forward(Params p, Tensor x) {
        Tensor a1 = x.matmul(p.w1).add(p.b1).tanh();   // (N, H)
        Tensor logits = a1.matmul(p.w2).add(p.b2);     // (N, C)
        return new Forward(a1, logits);
    }

    /** The gradients of the parameters, and of the input if it was asked for (else null). */
    record Gradients(Params params, Tensor dX) {
    }

    /** The gradients of the mean cross-entropy, by the matrix formulas in the class comment. */
    static Gradients backward(Params p, Tensor x, Tensor oneHot, Forward f, boolean inputGradient) {
        int n = x.size(0);
        Tensor dZ2 = f.logits.softmax(1).sub(oneHot).div(n);             // (N, C)
        Tensor dW2 = f.a1.t().matmul(dZ2);                                // (H, C)
        Tensor db2 = dZ2.sum(0);                                          // (C)
        Tensor dA1 = dZ2.matmulT(p.w2);                                   // (N, H): dZ2 W2^T, no copy of W2^T
        Tensor dZ1 = dA1.mul(f.a1.square().neg().add(1));                 // (N, H): tanh' = 1 - tanh^2
        Tensor dW1 = x.t().matmul(dZ1);                                   // (D, H)
        Tensor db1 = dZ1.sum(0);                                          // (H)
        Tensor dX = inputGradient ? dZ1.matmulT(p.w1) : null;             // (N, D): dZ1 W1^T
        return new Gradients(new Params(dW1, db1, dW2, db2), dX);
    }

    @Override
    public Result run(ChapterContext ctx) {
        Rng rng = ctx.rng();
        Result result = new Result();
        ToyData.Points spiral = ToyData.spiral(100, CLASSES, 0.2, rng.split());
        IntTensor labels = IntTensor.of(spiral.labels());
        Tensor oneHot = OneHot.encode(spiral.labels(), CLASSES);
        Params p = Params.init(2, HIDDEN, CLASSES, rng.split());

        ctx.section("hand-written backward vs autograd: 2 -> " + HIDDEN + " (tanh) -> " + CLASSES + ", "
                + spiral.size() + " spiral points");
        Params hand;
        try (var ignored = Autograd.noGrad()) {
            hand = backward(p, spiral.x(), oneHot, forward(p, spiral.x()), false).params();
        }
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor t : p.all()) {
            leaves.add(t.detach().requiresGrad(true));
        }
        Params auto = new Params(leaves.get(0), leaves.get(1), leaves.get(2), leaves.get(3));
        Losses.crossEntropy(forward(auto, spiral.x()).logits, labels).backward();
        String[] names = {"W1", "b1", "W2", "b2"};
        double worst = 0;
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Tensor a = auto.all().get(i).grad();
            double diff = hand.all().get(i).sub(a).abs().max().item();
            worst = Math.max(worst, diff);
            rows.add(List.of("d" + names[i], java.util.Arrays.toString(a.shape()),
                    String.format(Locale.ROOT, "%.4e", a.abs().max().item()), String.format(Locale.ROOT, "%.1e", diff)));
        }
        ctx.table(List.of("gradient", "shape", "max |autograd|", "max |hand - autograd|"), rows);
        result.metric("grad_max_difference", worst);

        BackpropCost.report(ctx, result, rng.split());
        train(ctx, spiral, labels, oneHot, p, result);
        return result;
    }

    /** Plain gradient descent with the hand-written backward only. */
    private static void train(ChapterContext ctx, ToyData.Points data, IntTensor labels, Tensor oneHot, Params p,
                              Result result) {
        int steps = ctx.steps(3000, 500);
        float lr = 1f;
        ctx.section("training with the hand-written backward: " + steps + " steps of gradient descent, lr " + lr);
        double[] xs = new double[steps];
        double[] losses = new double[steps];
        ProgressReporter progress = ctx.progress("backprop", steps);
        try (var ignored = Autograd.noGrad()) {
            for (int s = 0; s < steps; s++) {
                Forward f = forward(p, data.x());
                losses[s] = Losses.crossEntropy(f.logits, labels).item();
                xs[s] = s + 1;
                Params g = backward(p, data.x(), oneHot, f, false).params();
                for (int i = 0; i < 4; i++) {
                    p.all().get(i).addInPlace(g.all().get(i), -lr);   // W <- W - lr dW
                }
                progress.update(s + 1, losses[s], data.size());
            }
            progress.finish();
            double accuracy = accuracy(forward(p, data.x()).logits, data.labels());
            ctx.printf("loss %.4f -> %.4f (ln 3 = %.4f), training accuracy %.1f%%%n", losses[0], losses[steps - 1],
                    Math.log(CLASSES), 100 * accuracy);
            result.metric("initial_loss", losses[0]);
            result.metric("final_loss", losses[steps - 1]);
            result.metric("train_accuracy", accuracy);
            new LineChart("Two-layer network on the spiral, trained with a hand-written backward", "step",
                    "cross-entropy").logY(true).series("training loss", xs, losses).save(ctx.outFile("backprop-loss.png"));
            new ScatterPlot("Spiral: decision regions after training", "x1", "x2")
                    .points(data.column(0), data.column(1), data.labels())
                    .regions(ToyData.regions(data, x -> forward(p, x).logits, 200))
                    .classNames(List.of("arm 0", "arm 1", "arm 2")).save(ctx.outFile("backprop-boundary.png"));
        }
    }

    private static double accuracy(Tensor logits, int[] labels) {
        IntTensor predicted = logits.argmax(1);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted.get(i) == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }
}
