package dev.gradbook.examples.classical;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.HeatMap;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.data.OneHot;
import dev.gradbook.nn.metrics.Metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>logistic-regression: a linear model that outputs probabilities</h2>
 *
 * <p>Linear regression predicts a number; to predict a class we pass the linear score through a
 * function that turns it into a probability, and fit by maximum likelihood (Bishop, <i>Pattern
 * Recognition and Machine Learning</i>, sections 4.3.2 and 4.3.4; Hastie, Tibshirani and
 * Friedman, <i>The Elements of Statistical Learning</i>, section 4.4).
 * <ul>
 *   <li><b>Two classes</b> (logistic regression): the score is the log-odds,
 *       {@code z = w.x + b}, and {@code P(y = 1 | x) = sigmoid(z) = 1 / (1 + e^-z)}.</li>
 *   <li><b>K classes</b> (softmax or multinomial regression): one score per class,
 *       {@code z = W x + b}, and {@code P(y = k | x) = e^{z_k} / sum_j e^{z_j}}.</li>
 * </ul>
 * The negative log-likelihood averaged over N examples is the cross-entropy, and its gradient
 * has the same simple form in both cases, prediction minus target times input:
 * <pre>
 *   L(W) = -1/N sum_n ln P(y_n | x_n),        dL/dW = 1/N (P - Y)^T X
 * </pre>
 * with P the (N, K) predicted probabilities and Y the one-hot targets (for two classes, one
 * column: {@code sigmoid(z) - y}). L is convex, so plain gradient descent
 * {@code W <- W - eta dL/dW} finds its minimum; there is no closed form as for least squares.
 * The model is {@link LogisticRegression}: one {@code nn.Linear} layer, the library's
 * cross-entropy losses, and {@code SGD} over the whole training set at every step.
 *
 * <p>Two data sets, each split 70/30 class by class and standardised with the training
 * statistics: Wisconsin breast cancer (569 tumours, 30 measurements of cell nuclei, malignant
 * or benign) for the binary model, and Fisher's iris (150 flowers, 4 measurements, 3 species)
 * for the softmax one.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Before training, the autograd gradient of the weights equals {@code (P - Y)^T X / N}
 *       computed by hand, to float precision (~1e-7), for both models.</li>
 *   <li>Breast cancer: the loss falls from 0.74 to 0.04 and the test accuracy is 0.977
 *       (167 of 171). The confusion matrix (rows: true class, columns: predicted) tells what
 *       accuracy does not: all 4 errors are malignant tumours called benign, the costly kind.</li>
 *   <li>Iris: test accuracy 0.978 (44 of 45); setosa is never confused, the one error is a
 *       versicolor called virginica, the two species whose measurements overlap.</li>
 *   <li>{@code loss.png}: both losses fall steeply and flatten; {@code confusion-*.png} draw the
 *       matrices.</li>
 * </ul>
 * {@code --quick} takes 150 steps instead of 300, with the same accuracies to within a flower
 * or two.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Train the breast-cancer model on the raw, unstandardised measurements (areas in the
 *       thousands next to smoothness near 0.1). Which learning rates still converge?</li>
 *   <li>Fit iris with three separate one-vs-rest logistic regressions and compare with softmax.</li>
 *   <li>Move the decision threshold from 0.5 to 0.2 for "malignant". How does the confusion
 *       matrix change? (The {@code model-evaluation} chapter draws every threshold at once.)</li>
 * </ol>
 */
public final class LogisticRegressionChapter implements Chapter {
    @Override
    public String id() {
        return "logistic-regression";
    }

    @Override
    public Part part() {
        return Part.CLASSICAL_ML;
    }

    @Override
    public String summary() {
        return "logistic (breast cancer) and softmax (iris) regression by gradient descent: accuracy, confusion";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positiveFloat("lr", "0.5", "gradient-descent step size"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        int steps = ctx.steps(300, 150);
        Result result = new Result();
        LineChart losses = new LineChart("Logistic and softmax regression: training loss", "step",
                "cross-entropy (nats)");

        ctx.section("binary: breast cancer (logistic regression)");
        fitAndReport(ctx, "tabular/breast_cancer.csv", "breast_cancer", steps, rng, losses, result);
        ctx.section("three classes: iris (softmax regression)");
        fitAndReport(ctx, "tabular/iris.csv", "iris", steps, rng, losses, result);

        losses.save(ctx.outFile("loss.png"));
        ctx.println("\npictures: loss.png, confusion-breast_cancer.png, confusion-iris.png in " + ctx.outDir());
        return result;
    }

    private void fitAndReport(ChapterContext ctx, String path, String name, int steps, Rng rng, LineChart losses,
                              Result result) throws Exception {
        LabeledData data = ClassicalData.read(ctx, path);
        ClassicalData.Holdout holdout = ClassicalData.Holdout.stratified(data, 0.7, rng.nextLong()).standardized();
        LabeledData train = holdout.train();
        LabeledData test = holdout.test();
        int k = data.numClasses();
        ctx.printf("%d examples, %d features, classes %s; train %d, test %d%n", data.size(), data.numFeatures(),
                data.classNames(), train.size(), test.size());

        LogisticRegression model = new LogisticRegression(data.numFeatures(), k, rng.split());
        double gap = gradientGap(model, train.features(), train.labels(), k);
        ctx.printf("autograd gradient vs (P - Y)^T X / N before training: max difference %.1e%n", gap);

        double[] curve = model.fit(train.features(), train.labels(), steps, ctx.floatOption("lr"),
                ctx.progress(name, steps));
        double trainAccuracy = Metrics.accuracy(model.predict(train.features()), train.labels());
        int[] predicted = model.predict(test.features());
        double testAccuracy = Metrics.accuracy(predicted, test.labels());
        int[][] confusion = Metrics.confusionMatrix(predicted, test.labels(), k);
        ctx.printf("loss %.4f -> %.4f; accuracy train %.3f, test %.3f%n", curve[0], curve[steps - 1],
                trainAccuracy, testAccuracy);
        printConfusion(ctx, confusion, data.classNames());

        String title = String.format(Locale.ROOT, "Confusion matrix: %s test set (accuracy %.3f)", name, testAccuracy);
        HeatMap.of(title, confusion).labels(data.classNames(), data.classNames()).axes("true class", "predicted class")
                .save(ctx.outFile("confusion-" + name + ".png"));
        losses.trainingCurve(name + " (" + (k == 2 ? "logistic" : "softmax") + ")", toList(curve));
        result.metric(name + "_gradient_check_difference", gap)
                .metric(name + "_final_loss", curve[steps - 1])
                .metric(name + "_train_accuracy", trainAccuracy)
                .metric(name + "_test_accuracy", testAccuracy);
    }

    /**
     * The gradient of the loss with respect to the weights, by autograd and by the formula
     * {@code (P - Y)^T X / N}; returns the largest difference.
     */
    private static double gradientGap(LogisticRegression model, Tensor x, int[] labels, int k) {
        model.layer().weight.zeroGrad();
        model.loss(x, labels).backward();
        Tensor byAutograd = model.layer().weight.grad().copy();
        model.layer().weight.zeroGrad();
        if (model.layer().bias != null) {
            model.layer().bias.zeroGrad();
        }
        Tensor z = model.layer().forward(x).detach();                      // (N, K) or (N, 1)
        Tensor p = k == 2 ? z.sigmoid() : z.softmax(1);
        Tensor y = k == 2 ? LogisticRegression.labelTensor(labels).reshape(-1, 1) : OneHot.encode(labels, k);
        Tensor byFormula = p.sub(y).t().matmul(x).div(x.size(0));           // (K, D) like the weight
        return byAutograd.sub(byFormula).abs().max().item();
    }

    private static void printConfusion(ChapterContext ctx, int[][] cm, List<String> classes) {
        List<String> header = new ArrayList<>(List.of("true \\ predicted"));
        header.addAll(classes);
        List<List<String>> rows = new ArrayList<>();
        for (int t = 0; t < cm.length; t++) {
            List<String> row = new ArrayList<>(List.of(classes.get(t)));
            for (int count : cm[t]) {
                row.add(Integer.toString(count));
            }
            rows.add(row);
        }
        ctx.table(header, rows);
    }

    private static List<Double> toList(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
