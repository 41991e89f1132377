package dev.gradbook.examples.classical;

import dev.gradbook.core.Linalg;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.data.Csv;
import dev.gradbook.nn.data.Splits;
import dev.gradbook.nn.data.Standardizer;
import dev.gradbook.nn.data.Table;
import dev.gradbook.nn.train.ProgressReporter;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>linear-regression: least squares twice, by the normal equations and by gradient descent</h2>
 *
 * <p>Linear regression predicts a number as a weighted sum of features,
 * {@code y_hat = X w}, where each row of the design matrix X is one example with a leading 1 (so
 * {@code w_0} is the intercept). Least squares picks the w that minimises the cost
 * <pre>
 *   J(w) = 1/(2N) ||X w - y||^2,        grad J(w) = 1/N X^T (X w - y)
 * </pre>
 * J is a convex bowl, so there are two roads to its bottom (Hastie, Tibshirani and Friedman,
 * <i>The Elements of Statistical Learning</i>, section 3.2; Bishop, <i>Pattern Recognition and
 * Machine Learning</i>, section 3.1):
 * <ul>
 *   <li><b>Normal equations.</b> Set the gradient to zero: {@code X^T X w = X^T y}, a square
 *       system solved at once ({@link Linalg#solve}, by LU). {@link Linalg#lstsq} gets the same
 *       w from a QR factorisation of X without forming {@code X^T X}, which squares the condition
 *       number; it is the safer method when features are nearly collinear.</li>
 *   <li><b>Gradient descent.</b> Repeat {@code w <- w - eta grad J(w)}. The Hessian of J is
 *       {@code H = X^T X / N}; with step {@code eta = 1 / lambda_max(H)} the error along each
 *       eigenvector shrinks by {@code 1 - lambda_i / lambda_max} per step, so the slowest
 *       direction needs about {@code kappa = lambda_max / lambda_min} steps per factor e
 *       (Boyd and Vandenberghe, <i>Convex Optimization</i>, section 9.3).</li>
 * </ul>
 * Standardising the features (mean 0, standard deviation 1, measured on the training part) keeps
 * kappa small and makes the coefficients comparable: each says how much the target moves for
 * one standard deviation of its feature, the others held fixed.
 *
 * <p>The data are 2,930 house sales in Ames, Iowa (De Cock, <i>Journal of Statistics
 * Education</i> 19(3), 2011). Eight numeric features are used, and the target is the natural
 * log of the price: prices are skewed and errors are proportional (a $20k miss matters more on
 * a $100k house than on a $500k one), and on the log scale {@code exp(w_j) - 1} is the relative
 * change in price per standard deviation of feature j. Following De Cock's advice, the five
 * houses above 4,000 sq ft of living area (mostly unusual partial sales) are left out.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The autograd gradient equals the hand-derived {@code X^T (X w - y) / N} to float
 *       precision (difference ~1e-6): the formula above is right.</li>
 *   <li>The Hessian's condition number is about 14.5, so the step is {@code 1/3.45 = 0.29}.</li>
 *   <li>The coefficient table: normal equations, QR and gradient descent agree to about 1e-6
 *       after 200 steps. Living area, the basement and the year built carry most of the weight.
 *       {@code Full_Bath} comes out slightly negative: a coefficient is an effect with the other
 *       features held fixed, and at equal living area a bathroom takes space from other rooms.</li>
 *   <li>R^2 on the 20% held out is about 0.81 (0.84 on the training part: nine coefficients
 *       cannot overfit 2,340 houses); the test RMSE of 0.17 in ln(price) is a typical miss of
 *       {@code exp(0.17) - 1}, about 18%.</li>
 *   <li>{@code cost.png} draws {@code J(w_t) - J(w*)} on a log scale: a fast fall while the
 *       well-conditioned directions (the intercept among them) settle, then a straight line
 *       parallel to the bound {@code (1 - 1/kappa)^(2t)}, down to float32 rounding near 1e-9.
 *       {@code predicted-vs-actual.png}: test houses around the diagonal, with the largest
 *       misses among the most expensive.</li>
 * </ul>
 * {@code --quick} runs 100 descent steps instead of 200; the fits then agree to about 1e-4.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Drop the standardisation (use the raw square feet and years). What happens to kappa,
 *       to the step size, and to the number of steps gradient descent needs?</li>
 *   <li>Add {@code First_Flr_SF}, which nearly duplicates other area columns. Compare the
 *       coefficients from {@code solve} and {@code lstsq}, and explain with kappa.</li>
 *   <li>Fit the price itself instead of its log. Which houses now dominate the cost, and how
 *       does the scatter plot change?</li>
 * </ol>
 */
public final class LinearRegressionChapter implements Chapter {
    static final String DATA = "tabular/ames.csv.gz";
    static final List<String> FEATURES = List.of("Gr_Liv_Area", "Total_Bsmt_SF", "Year_Built", "Year_Remod_Add",
            "Garage_Cars", "Full_Bath", "Fireplaces", "Lot_Area");
    static final String TARGET = "Sale_Price";
    /** De Cock's suggested cut: houses above this living area are outliers. */
    static final double MAX_LIVING_AREA = 4000;
    static final double TRAIN_FRACTION = 0.8;

    @Override
    public String id() {
        return "linear-regression";
    }

    @Override
    public Part part() {
        return Part.CLASSICAL_ML;
    }

    @Override
    public String summary() {
        return "least squares on Ames house prices by the normal equations and by gradient descent: both agree";
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Table ames;
        try (InputStream in = ctx.openData(DATA)) {
            ames = Csv.read(in, ctx.dataSource(DATA));
        }
        ames = keepOrdinaryHouses(ames);
        int n = ames.rows();
        Tensor features = ames.toTensor(FEATURES.toArray(String[]::new)); // (N, D)
        Tensor logPrice = ames.toTensor(TARGET).log();                     // (N, 1)
        Splits.Split split = Splits.trainTest(n, TRAIN_FRACTION, ctx.seed());
        Standardizer scaler = Standardizer.fit(features.indexSelect(0, split.train()));
        Tensor xTrain = design(scaler.transform(features.indexSelect(0, split.train()))); // (N_train, 1 + D)
        Tensor xTest = design(scaler.transform(features.indexSelect(0, split.test())));
        Tensor yTrain = logPrice.indexSelect(0, split.train());
        Tensor yTest = logPrice.indexSelect(0, split.test());
        ctx.printf("Ames: %d houses (after dropping those above %.0f sq ft), %d features, target ln(%s)%n",
                n, MAX_LIVING_AREA, FEATURES.size(), TARGET);
        ctx.printf("train %d, test %d; standardised with the training means and deviations%n",
                split.train().length, split.test().length);

        ctx.section("1. normal equations  X^T X w = X^T y");
        Tensor gram = xTrain.t().matmul(xTrain);                    // (P, P), P = 1 + D
        Tensor wNormal = Linalg.solve(gram, xTrain.t().matmul(yTrain)); // (P, 1)
        Tensor wQr = Linalg.lstsq(xTrain, yTrain);                  // (P, 1), by QR of X
        double optimalCost = cost(xTrain, yTrain, wNormal);
        ctx.printf("solved in one step: J(w*) = %.6f%n", optimalCost);

        ctx.section("2. gradient descent  w <- w - eta X^T (X w - y) / N");
        Tensor eigen = Linalg.eigSymmetric(gram.div(xTrain.size(0))).values();
        float lambdaMax = eigen.get(0);
        float lambdaMin = eigen.get(eigen.numel() - 1);
        float eta = 1 / lambdaMax;
        ctx.printf("Hessian eigenvalues %.3f .. %.3f, condition number %.1f, step eta = 1/lambda_max = %.3f%n",
                lambdaMin, lambdaMax, lambdaMax / lambdaMin, eta);
        double gradientGap = checkGradient(xTrain, yTrain, ctx.rng());
        ctx.printf("autograd gradient vs X^T (X w - y) / N at a random w: max difference %.2e%n", gradientGap);
        int steps = ctx.steps(200, 100);
        List<Double> costs = new ArrayList<>();
        Tensor wDescent = descend(xTrain, yTrain, eta, steps, costs, ctx.progress("descent", steps));
        ctx.printf("after %d steps: J(w) = %.6f (optimum %.6f)%n", steps, costs.get(costs.size() - 1), optimalCost);

        ctx.section("3. the fits side by side (per standard deviation of each feature)");
        List<List<String>> rows = new ArrayList<>();
        Result result = new Result();
        double maxDifference = 0;
        for (int j = 0; j <= FEATURES.size(); j++) {
            String name = j == 0 ? "intercept" : FEATURES.get(j - 1);
            double a = wNormal.get(j, 0);
            double b = wQr.get(j, 0);
            double c = wDescent.get(j, 0);
            maxDifference = Math.max(maxDifference, Math.abs(a - c));
            rows.add(List.of(name, fmt(a), fmt(b), fmt(c), String.format(Locale.ROOT, "%.1e", c - a)));
            result.metric("normal_" + name, a);
        }
        ctx.table(List.of("coefficient", "normal eq.", "QR lstsq", "descent", "descent - normal"), rows);
        ctx.printf("largest difference between normal equations and descent: %.2e%n", maxDifference);

        ctx.section("4. held-out fit");
        double r2Train = rSquared(xTrain.matmul(wNormal), yTrain);
        Tensor predicted = xTest.matmul(wNormal);
        double r2Test = rSquared(predicted, yTest);
        double rmse = Math.sqrt(predicted.sub(yTest).square().mean().item());
        ctx.printf("R^2 train %.3f, test %.3f; test RMSE %.3f in ln(price): a typical miss of %.0f%%%n",
                r2Train, r2Test, rmse, 100 * (Math.exp(rmse) - 1));

        savePictures(ctx, costs, optimalCost, lambdaMax / lambdaMin, predicted, yTest);
        return result.metric("max_coefficient_difference", maxDifference)
                .metric("gradient_check_difference", gradientGap)
                .metric("optimal_cost", optimalCost)
                .metric("final_cost", costs.get(costs.size() - 1))
                .metric("r2_train", r2Train)
                .metric("r2_test", r2Test)
                .metric("rmse_test", rmse);
    }

    static Table keepOrdinaryHouses(Table ames) {
        double[] area = ames.numeric("Gr_Liv_Area");
        int[] keep = java.util.stream.IntStream.range(0, area.length).filter(i -> area[i] <= MAX_LIVING_AREA).toArray();
        return ames.selectRows(keep);
    }

    /** The design matrix: a column of ones (for the intercept) before the features. */
    private static Tensor design(Tensor z) {
        return Tensor.cat(List.of(Tensor.ones(z.size(0), 1), z), 1); // (N, 1 + D)
    }

    /** J(w) = ||X w - y||^2 / (2N). */
    private static double cost(Tensor x, Tensor y, Tensor w) {
        return halfMeanSquare(x.matmul(w).sub(y));
    }

    /** ||r||^2 / (2N), summed in double: the cost is later compared with its optimum to ~1e-9. */
    private static double halfMeanSquare(Tensor residual) {
        double sum = 0;
        for (float r : residual.data()) {
            sum += (double) r * r;
        }
        return sum / (2 * residual.numel());
    }

    /** The same gradient twice: by autograd through J, and by the formula; returns the largest gap. */
    private static double checkGradient(Tensor x, Tensor y, Rng rng) {
        Tensor w = Tensor.randn(rng, x.size(1), 1).requiresGrad(true);
        x.matmul(w).sub(y).square().mean().mul(0.5f).backward();
        Tensor byFormula = x.t().matmul(x.matmul(w.detach()).sub(y)).div(x.size(0));
        return w.grad().sub(byFormula).abs().max().item();
    }

    private static Tensor descend(Tensor x, Tensor y, float eta, int steps, List<Double> costs,
                                  ProgressReporter progress) {
        Tensor w = Tensor.zeros(x.size(1), 1); // (P, 1)
        Tensor xt = x.t();
        for (int s = 1; s <= steps; s++) {
            Tensor residual = x.matmul(w).sub(y);                 // (N, 1)
            costs.add(halfMeanSquare(residual));
            Tensor gradient = xt.matmul(residual).div(x.size(0)); // (P, 1)
            w = w.sub(gradient.mul(eta));
            progress.update(s, costs.get(costs.size() - 1));
        }
        progress.finish();
        costs.add(cost(x, y, w));
        return w;
    }

    /** R^2 = 1 - SS_res / SS_tot: the fraction of the target's variance the fit explains. */
    static double rSquared(Tensor predicted, Tensor actual) {
        double ssRes = predicted.sub(actual).square().sum().item();
        double ssTot = actual.sub(actual.mean()).square().sum().item();
        return 1 - ssRes / ssTot;
    }

    private static void savePictures(ChapterContext ctx, List<Double> costs, double optimalCost, double kappa,
                                     Tensor predicted, Tensor actual) {
        double[] step = new double[costs.size()];
        double[] gap = new double[costs.size()];
        double[] bound = new double[costs.size()];
        for (int s = 0; s < step.length; s++) {
            step[s] = s;
            gap[s] = costs.get(s) - optimalCost; // not positive once float rounding is reached: not drawn
            bound[s] = (costs.get(0) - optimalCost) * Math.pow(1 - 1 / kappa, 2 * s);
        }
        new LineChart("Gradient descent on least squares: cost above the optimum", "step", "J(w) - J(w*)")
                .series("gradient descent", step, gap).series("bound (1 - 1/kappa)^(2t) (J(w0) - J(w*))", step, bound)
                .logY(true).save(ctx.outFile("cost.png"));

        int m = predicted.numel();
        double[] px = new double[m + 100];
        double[] py = new double[m + 100];
        int[] kind = new int[m + 100];
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (int i = 0; i < m; i++) {
            px[i] = Math.exp(actual.data()[i]) / 1000;
            py[i] = Math.exp(predicted.data()[i]) / 1000;
            low = Math.min(low, Math.min(px[i], py[i]));
            high = Math.max(high, Math.max(px[i], py[i]));
        }
        for (int i = 0; i < 100; i++) { // the diagonal, drawn as a row of dots
            px[m + i] = py[m + i] = low + (high - low) * i / 99;
            kind[m + i] = 1;
        }
        new ScatterPlot("Test houses: predicted vs actual price", "actual price ($1000)", "predicted price ($1000)")
                .points(px, py, kind).classNames(List.of("test house", "perfect fit"))
                .save(ctx.outFile("predicted-vs-actual.png"));
        ctx.println("pictures: cost.png, predicted-vs-actual.png in " + ctx.outDir());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }
}
