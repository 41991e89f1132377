package dev.gradbook.examples.classical;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Linalg;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * <h2>tsne: t-distributed stochastic neighbour embedding</h2>
 *
 * <p>t-SNE (van der Maaten and Hinton, JMLR 9, 2008) draws high-dimensional points in the plane
 * so that points that are neighbours stay neighbours. It turns distances into probabilities
 * twice and moves the 2-D points {@code y_i} until the two distributions match:
 * <pre>
 *   input space   p_j|i = exp(-||x_i - x_j||^2 beta_i) / sum_k!=i exp(-||x_i - x_k||^2 beta_i)  (eq. 1)
 *                 beta_i = 1 / (2 sigma_i^2) chosen by binary search so that
 *                 Perp(P_i) = exp(H(P_i)) = the perplexity (about the number of real neighbours)
 *                 p_ij  = (p_j|i + p_i|j) / (2n)                                      (symmetric, section 3.1)
 *   the map       q_ij  = (1 + ||y_i - y_j||^2)^-1 / sum_k!=l (1 + ||y_k - y_l||^2)^-1     (Student t, eq. 4)
 *   cost          C     = KL(P || Q) = sum_ij p_ij log(p_ij / q_ij)
 *   gradient      dC/dy_i = 4 sum_j (p_ij - q_ij) (y_i - y_j) (1 + ||y_i - y_j||^2)^-1     (eq. 5)
 * </pre>
 * The heavy tail of the Student t in the map is the key idea: moderately distant points can be
 * placed far apart, which relieves the "crowding problem" that squeezes everything into the
 * middle with a Gaussian map (section 3.2).
 *
 * <p>Optimisation (section 3.4 and the authors' reference code): {@code y} starts as
 * {@code N(0, 1e-4 I)}; gradient descent with momentum (0.5 for the first 250 iterations, then
 * 0.8) and per-coordinate adaptive gains (Jacobs 1988: a gain grows by 0.2 while the gradient
 * keeps its direction, shrinks by a factor 0.8 when it flips); during the first 100 iterations
 * P is multiplied by 4 ("early exaggeration"), which pulls each cluster together before the
 * clusters have found their places.
 *
 * <p>The gradient: the loop uses the closed form (eq. 5) written with matrices,
 * {@code grad = 4 (diag(M 1) - M) Y} with {@code M = (P - Q) * (1 + D_Y)^-1}, because it costs
 * a handful of n x n operations and keeps no graph; autograd on the KL would record about ten
 * n x n tensors per iteration to get the same numbers. The chapter still builds the KL once
 * with autograd and checks that {@code backward()} gives the closed form: eq. 5 is checked,
 * not trusted.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The calibrated bandwidths: sigma_i varies from point to point, because the perplexity
 *       fixes the number of neighbours, not a distance.</li>
 *   <li>The gradient check: autograd and eq. 5 agree to about 1e-7 of the gradient's size.</li>
 *   <li>The KL divergence (measured against the true P) stalls near 1.5 while the exaggerated
 *       target holds every cluster unnaturally tight, then drops sharply once the exaggeration
 *       ends at iteration 100 and the clusters spread to their proper size.</li>
 *   <li>"Same-digit neighbours kept": among each point's 10 nearest neighbours in the map,
 *       about 93% show the same digit (500 points), as many as in the 64 pixel dimensions
 *       themselves (about 90%: the map even tidies up a little), and far more than the 57% of
 *       the best linear 2-D map (PCA, computed on the same points).</li>
 *   <li>{@code tsne.png}: an island per digit (the 1s often in two, for the two ways of writing
 *       a one; the 8s the loosest), with a few strays. {@code kl.png}: the KL divergence over
 *       the iterations.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --perplexity 5} and {@code --perplexity 50}. How do the islands change,
 *       and what happens to the neighbour measure?</li>
 *   <li>Replace the Student t in Q by a Gaussian {@code exp(-||y_i - y_j||^2)} (SNE) and derive
 *       the new gradient (or let autograd do it). Does the crowding problem appear?</li>
 *   <li>Distances between islands in a t-SNE map mean little. Check it: compare the distances
 *       between digit centroids in 64-D and in the map.</li>
 * </ol>
 */
public final class TsneChapter implements Chapter {
    private static final int NEIGHBOURS = 10;
    private static final int EXAGGERATION_ITERATIONS = 100;
    private static final float EXAGGERATION = 4f;
    private static final int MOMENTUM_SWITCH = 250;
    private static final float LEARNING_RATE = 100f;

    @Override
    public String id() {
        return "tsne";
    }

    @Override
    public Part part() {
        return Part.CLASSICAL_ML;
    }

    @Override
    public String summary() {
        return "t-SNE of digits8x8 in 2-D: perplexity calibration, KL gradient, neighbours kept";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positiveInt("points", "500", "how many digits to embed (at most 200 with --quick)"),
                Option.positiveFloat("perplexity", "30", "the effective number of neighbours of each point"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        int n = ctx.quick() ? Math.min(200, ctx.intOption("points")) : ctx.intOption("points");
        float perplexity = ctx.floatOption("perplexity");
        int iterations = ctx.steps(1000, 300);
        LabeledData all = ClassicalData.read(ctx, "images/digits8x8.csv.gz");
        if (n <= 3 * NEIGHBOURS || n > all.size()) {
            throw new IllegalArgumentException("--points must be between " + (3 * NEIGHBOURS + 1) + " and "
                    + all.size() + ", got " + n);
        }
        if (!(perplexity >= 2 && perplexity < n / 3f)) {
            throw new IllegalArgumentException("--perplexity must be at least 2 and below a third of the "
                    + n + " points, got " + perplexity);
        }
        LabeledData digits = ClassicalData.subset(all, Arrays.copyOf(rng.permutation(all.size()), n));
        Tensor x = digits.features().div(16f);                     // pixels in [0, 1]
        ctx.printf("%d of the %d digits, perplexity %.0f, %d iterations%n", n, all.size(), perplexity, iterations);

        ctx.section("input affinities");
        double[] sigma = new double[n];
        Tensor p = jointProbabilities(Neighbourhoods.squaredDistances(x, x), perplexity, sigma);
        double[] sorted = sigma.clone();
        Arrays.sort(sorted);
        ctx.printf("sigma_i by binary search: min %.3f, median %.3f, max %.3f%n", sorted[0], sorted[n / 2],
                sorted[n - 1]);

        Tensor y = Tensor.normal(rng, 0f, 1e-2f, n, 2);           // y ~ N(0, 1e-4 I)
        ctx.section("the gradient, closed form against autograd");
        Tensor probe = Tensor.normal(rng, 0f, 1f, n, 2);
        double gradientError = gradientCheck(p, probe);
        ctx.printf("max |autograd - eq. 5| / max |grad| = %.2e at a random map%n", gradientError);

        ctx.section("optimising the map");
        List<double[]> klCurve = new ArrayList<>();                // (iteration, KL) pairs
        y = optimise(ctx, p, y, iterations, klCurve);

        ctx.section("same-digit neighbours kept (" + NEIGHBOURS + " nearest)");
        double inMap = Neighbourhoods.sameLabelFraction(y, digits.labels(), NEIGHBOURS);
        double inInput = Neighbourhoods.sameLabelFraction(x, digits.labels(), NEIGHBOURS);
        Tensor centred = x.sub(x.mean(0));
        Tensor pca = centred.matmul(Linalg.svd(centred).vt().slice(0, 0, 2).t());
        double inPca = Neighbourhoods.sameLabelFraction(pca, digits.labels(), NEIGHBOURS);
        ctx.printf("  64-D pixels      %.3f%n  t-SNE map        %.3f%n  PCA, 2 components %.3f%n", inInput, inMap,
                inPca);

        new ScatterPlot("t-SNE of " + n + " digits (perplexity " + Math.round(perplexity) + ")", "y1", "y2")
                .points(Neighbourhoods.coordinate(y, 0), Neighbourhoods.coordinate(y, 1), digits.labels())
                .classNames(digits.classNames()).save(ctx.outFile("tsne.png"));
        double[] at = klCurve.stream().mapToDouble(point -> point[0]).toArray();
        double[] kl = klCurve.stream().mapToDouble(point -> point[1]).toArray();
        new LineChart("t-SNE: KL(P || Q) while optimising", "iteration", "KL divergence (nats)")
                .series("KL(P || Q)", at, kl).save(ctx.outFile("kl.png"));
        ctx.printf("pictures: tsne.png, kl.png in %s%n", ctx.outDir());

        return new Result().metric("gradient_check_error", gradientError)
                .metric("final_kl", kl[kl.length - 1])
                .metric("neighbours_kept_map", inMap).metric("neighbours_kept_input", inInput)
                .metric("neighbours_kept_pca", inPca);
    }

    // ------------------------------------------------------------ input affinities

    /**
     * The symmetric P of section 3.1 from the squared input distances: each row's
     * {@code p_j|i} is calibrated to {@code perplexity} by bisection on {@code beta_i}, then
     * {@code p_ij = (p_j|i + p_i|j) / 2n}. Writes each point's {@code sigma_i} into {@code sigma}.
     */
    static Tensor jointProbabilities(Tensor squaredDistances, float perplexity, double[] sigma) {
        int n = squaredDistances.size(0);
        float[] d = squaredDistances.data();
        double[] conditional = new double[n * n];
        double targetEntropy = Math.log(perplexity);               // in nats: Perp = exp(H)
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            double beta = 1;
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            for (int attempt = 0; attempt < 100; attempt++) {
                double entropy = rowDistribution(d, i, n, beta, row);
                if (Math.abs(entropy - targetEntropy) < 1e-5) {
                    break;
                }
                if (entropy > targetEntropy) {                      // too flat: narrow the Gaussian
                    lo = beta;
                    beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
                } else {
                    hi = beta;
                    beta = (beta + lo) / 2;
                }
            }
            System.arraycopy(row, 0, conditional, i * n, n);
            sigma[i] = Math.sqrt(1 / (2 * beta));
        }
        float[] joint = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double symmetric = (conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n);
                joint[i * n + j] = (float) Math.max(symmetric, 1e-12);
            }
        }
        return Tensor.wrap(joint, n, n);
    }

    /** Fills {@code row} with p_j|i for bandwidth {@code beta} (p_i|i = 0) and returns its entropy in nats. */
    private static double rowDistribution(float[] d, int i, int n, double beta, double[] row) {
        // shift by the nearest distance so that exp cannot underflow to 0/0; the shift cancels in p
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                min = Math.min(min, d[i * n + j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            row[j] = j == i ? 0 : Math.exp(-(d[i * n + j] - min) * beta);
            sum += row[j];
        }
        double entropy = 0;
        for (int j = 0; j < n; j++) {
            row[j] /= sum;
            if (row[j] > 0) {
                entropy -= row[j] * Math.log(row[j]);
            }
        }
        return entropy;
    }

    // ------------------------------------------------------------ the map

    /** Student-t kernel {@code (1 + ||y_i - y_j||^2)^-1}, times {@code offDiagonal} (ones, zero diagonal). */
    private static Tensor studentKernel(Tensor y, Tensor offDiagonal) {
        return offDiagonal.div(Neighbourhoods.squaredDistances(y, y).add(1f));
    }

    private static Tensor offDiagonal(int n) {
        return Tensor.ones(n, n).sub(Tensor.eye(n));
    }

    /** eq. 5 in matrix form: {@code 4 (diag(M 1) - M) Y} with {@code M = (P - Q) * kernel}. */
    static Tensor closedFormGradient(Tensor p, Tensor y, Tensor offDiagonal) {
        Tensor kernel = studentKernel(y, offDiagonal);
        Tensor q = kernel.div(kernel.sum().item());
        Tensor m = p.sub(q).mul(kernel);                            // (n, n)
        return m.sum(1, true).mul(y).sub(m.matmul(y)).mul(4f);     // (n, 2)
    }

    /** KL(P || Q) built from tensor ops, so autograd can differentiate it with respect to y. */
    static Tensor klDivergence(Tensor p, Tensor y, Tensor offDiagonal) {
        Tensor kernel = studentKernel(y, offDiagonal);
        // + I: log 1 = 0 on the diagonal, where p = 0 too, instead of log 0
        Tensor logQ = kernel.div(kernel.sum()).add(Tensor.eye(y.size(0))).log();
        return p.mul(p.log().sub(logQ)).sum();
    }

    /** The largest difference between the autograd gradient of the KL and eq. 5, relative to the largest entry. */
    static double gradientCheck(Tensor p, Tensor y) {
        Tensor mask = offDiagonal(y.size(0));
        Tensor leaf = y.detach().requiresGrad(true);
        klDivergence(p, leaf, mask).backward();
        Tensor closed = closedFormGradient(p, y, mask);
        return leaf.grad().sub(closed).abs().max().item() / closed.abs().max().item();
    }

    /** Gradient descent with momentum, adaptive gains and early exaggeration (section 3.4). */
    private static Tensor optimise(ChapterContext ctx, Tensor p, Tensor y, int iterations, List<double[]> klCurve) {
        Tensor update = Tensor.zerosLike(y);
        Tensor gains = Tensor.onesLike(y);
        Tensor exaggerated = p.mul(EXAGGERATION);
        Tensor mask = offDiagonal(y.size(0));
        ProgressReporter progress = ctx.progress("t-SNE", iterations);
        try (var ignored = Autograd.noGrad()) {
            for (int it = 1; it <= iterations; it++) {
                Tensor grad = closedFormGradient(it <= EXAGGERATION_ITERATIONS ? exaggerated : p, y, mask);
                // a gain grows while the step keeps its direction (gradient opposite to the last update)
                Tensor flipped = grad.gt(0f).ne(update.gt(0f));
                gains = Tensor.where(flipped, gains.add(0.2f), gains.mul(0.8f)).clamp(0.01f, Float.MAX_VALUE);
                float momentum = it <= MOMENTUM_SWITCH ? 0.5f : 0.8f;
                update = update.mul(momentum).sub(gains.mul(grad).mul(LEARNING_RATE));
                y = y.add(update);
                y = y.sub(y.mean(0));                               // the cost ignores translation: stay centred
                if (it % 10 == 0 || it == 1) {
                    double kl = klDivergence(p, y, mask).item();
                    klCurve.add(new double[] {it, kl});
                    progress.update(it, kl);
                }
            }
        }
        progress.finish();
        return y;
    }
}
