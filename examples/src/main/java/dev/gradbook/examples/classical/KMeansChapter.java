package dev.gradbook.examples.classical;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.data.LabeledData;

import java.util.ArrayList;
import java.util.List;

/**
 * <h2>k-means: clustering by alternating assignment and averaging, seeded by k-means++</h2>
 *
 * <p>k-means looks for k centres {@code mu_1 .. mu_k} and an assignment {@code c(i)} of every
 * point to one of them that make the <i>inertia</i> (within-cluster sum of squares) small:
 * <pre>
 *   J(c, mu) = sum_i ||x_i - mu_c(i)||^2
 * </pre>
 * Lloyd's algorithm (Lloyd 1982; Hastie, Tibshirani and Friedman, <i>The Elements of Statistical
 * Learning</i>, section 14.3.6) lowers J one block of variables at a time, so J never rises:
 * <pre>
 *   assign   c(i)  = argmin_j ||x_i - mu_j||^2      (best c for fixed mu)
 *   update   mu_j  = mean of the points with c(i) = j  (best mu for fixed c)
 * </pre>
 * Both steps are matrix products here: the N x k squared distances are
 * {@code ||x||^2 + ||mu||^2 - 2 X M^T}, and the new centres are {@code diag(1/n_j) A^T X} with A
 * the N x k one-hot assignment matrix.
 *
 * <p>Lloyd's algorithm stops at a local minimum, which depends on where the centres start.
 * <b>k-means++</b> (Arthur and Vassilvitskii, SODA 2007, section 2.2) picks the first centre
 * uniformly among the points and each next one with probability proportional to {@code D(x)^2},
 * the squared distance to the nearest centre chosen so far; that spreads the seeds out and is
 * within {@code O(log k)} of the optimum in expectation. Several restarts keep the best run.
 *
 * <p>The number of clusters is a choice: inertia always falls as k grows (0 at k = N). The
 * <i>elbow</i> is the k after which it stops falling fast. This chapter takes the k with the
 * largest bend of {@code log J}: the biggest {@code log(J(k-1)/J(k)) - log(J(k)/J(k+1))}.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>One Lloyd run printed step by step: the inertia goes down at every step and stops
 *       changing when no point changes cluster.</li>
 *   <li>On six generated blobs, 50 runs from random data points (Forgy) and 50 from k-means++
 *       seeds: the random starts end in a worse local minimum (two centres sharing a blob, one
 *       centre covering two) in more than half the runs, k-means++ in a fifth to a third, and its
 *       mean inertia is far lower. Neither is perfect, which is why the elbow and purity below
 *       keep the best of several restarts.</li>
 *   <li>The elbow table: on the blobs the elbow is at k = 6 (how many there are); on iris it is
 *       at k = 2, because versicolor and virginica overlap and setosa stands apart.</li>
 *   <li>Purity (the share of points whose cluster's majority species is their own) on iris with
 *       k = 3 is about 0.89: k-means finds the species without ever seeing a label.</li>
 *   <li>{@code elbow.png} (inertia relative to k = 1, log scale), {@code blobs-clusters.png} (the
 *       six clusters over the regions nearest each centre) and {@code iris-clusters.png} (petal
 *       length and width; the clusters named after their majority species).</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Standardise the iris features before clustering. Does the purity go up or down, and
 *       why might centimetres already be the right scale?</li>
 *   <li>Stretch one blob along x by a factor of 4. k-means cuts it in two: what assumption about
 *       cluster shape does the inertia make?</li>
 *   <li>Replace the mean by the coordinate-wise median in the update step (k-medians). Which
 *       loss does that minimise, and how does it react to one far outlier?</li>
 * </ol>
 */
public final class KMeansChapter implements Chapter {
    private static final int MAX_K = 8;
    private static final int COMPARISON_RUNS = 50;
    private static final double BLOB_STD = 0.7;
    /** Where the generated blobs are centred; each has standard deviation {@link #BLOB_STD} in x and y. */
    private static final double[][] BLOB_CENTRES = {{-6, 5}, {0, 6}, {6, 5}, {-5, -4}, {1, -5}, {6, -2}};

    @Override
    public String id() {
        return "k-means";
    }

    @Override
    public Part part() {
        return Part.CLASSICAL_ML;
    }

    @Override
    public String summary() {
        return "k-means with k-means++ seeding: elbow on blobs and iris, cluster purity";
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        int restarts = ctx.quick() ? 4 : 10;
        LabeledData blobs = blobs(ctx.quick() ? 60 : 150, rng.split());
        LabeledData iris = ClassicalData.read(ctx, "tabular/iris.csv");
        Result result = new Result();

        int kBlobs = BLOB_CENTRES.length;
        ctx.section("Lloyd's algorithm, one run (blobs, k = " + kBlobs + ", random starting centres)");
        KMeans.Clustering traced = KMeans.lloyd(blobs.features(), KMeans.randomPoints(blobs.features(), kBlobs,
                rng.split()), 100, (step, inertia) -> ctx.printf("  step %2d  inertia %10.3f%n", step, inertia));
        ctx.printf("converged after %d steps, inertia %.2f%n", traced.steps(), traced.inertia());

        ctx.section("random centres against k-means++ (blobs, k = " + kBlobs + ", " + COMPARISON_RUNS + " runs each)");
        double best = Double.POSITIVE_INFINITY;
        double[][] inertias = new double[2][COMPARISON_RUNS];
        for (int run = 0; run < COMPARISON_RUNS; run++) {
            Rng r = rng.split();
            inertias[0][run] = KMeans.lloyd(blobs.features(), KMeans.randomPoints(blobs.features(), kBlobs, r), 100,
                    null).inertia();
            inertias[1][run] = KMeans.lloyd(blobs.features(), KMeans.kMeansPlusPlus(blobs.features(), kBlobs, r), 100,
                    null).inertia();
            best = Math.min(best, Math.min(inertias[0][run], inertias[1][run]));
        }
        String[] names = {"random points", "k-means++"};
        for (int m = 0; m < 2; m++) {
            int stuck = 0;
            double mean = 0;
            for (double v : inertias[m]) {
                stuck += v > 1.5 * best ? 1 : 0;
                mean += v / COMPARISON_RUNS;
            }
            ctx.printf("  %-14s mean inertia %8.2f, stuck in a worse minimum (> 1.5 x best) in %2d of %d%n",
                    names[m], mean, stuck, COMPARISON_RUNS);
            result.metric(m == 0 ? "random_init_mean_inertia" : "plusplus_mean_inertia", mean);
        }

        ctx.section("the elbow: best inertia of " + restarts + " restarts for k = 1.." + MAX_K);
        double[] blobCurve = elbow(blobs.features(), restarts, rng.split());
        double[] irisCurve = elbow(iris.features(), restarts, rng.split());
        List<List<String>> rows = new ArrayList<>();
        for (int k = 1; k <= MAX_K; k++) {
            rows.add(List.of(Integer.toString(k), String.format(java.util.Locale.ROOT, "%.2f", blobCurve[k - 1]),
                    String.format(java.util.Locale.ROOT, "%.2f", irisCurve[k - 1])));
        }
        ctx.table(List.of("k", "blobs inertia", "iris inertia"), rows);
        int blobElbow = elbowOf(blobCurve);
        int irisElbow = elbowOf(irisCurve);
        ctx.printf("elbow: blobs k = %d (%d blobs were generated), iris k = %d%n", blobElbow, kBlobs,
                irisElbow);
        new LineChart("Elbow: inertia relative to k = 1", "k (clusters)", "J(k) / J(1)").logY(true)
                .series("blobs", relativeList(blobCurve)).series("iris", relativeList(irisCurve))
                .save(ctx.outFile("elbow.png"));

        ctx.section("purity against the true labels");
        KMeans.Clustering blobClusters = KMeans.best(blobs.features(), kBlobs, restarts, rng.split());
        KMeans.Clustering irisClusters = KMeans.best(iris.features(), 3, restarts, rng.split());
        double blobPurity = KMeans.purity(blobClusters.assignment(), blobs.labels(), kBlobs, kBlobs);
        double irisPurity = KMeans.purity(irisClusters.assignment(), iris.labels(), 3, 3);
        ctx.printf("blobs, k = %d: purity %.3f%n", kBlobs, blobPurity);
        ctx.printf("iris,  k = 3: purity %.3f (species per cluster below)%n", irisPurity);
        printContingency(ctx, irisClusters.assignment(), iris, 3);
        drawBlobs(ctx, blobs, blobClusters);
        drawIris(ctx, iris, irisClusters);
        ctx.printf("pictures: elbow.png, blobs-clusters.png, iris-clusters.png in %s%n", ctx.outDir());

        for (int k = 1; k <= MAX_K; k++) {
            result.metric("blobs_inertia_k" + k, blobCurve[k - 1]);
        }
        for (int k = 1; k <= MAX_K; k++) {
            result.metric("iris_inertia_k" + k, irisCurve[k - 1]);
        }
        return result.metric("blobs_elbow", blobElbow).metric("iris_elbow", irisElbow)
                .metric("blobs_purity", blobPurity).metric("iris_purity", irisPurity);
    }

    private static double[] elbow(Tensor x, int restarts, Rng rng) {
        double[] inertia = new double[MAX_K];
        for (int k = 1; k <= MAX_K; k++) {
            inertia[k - 1] = KMeans.best(x, k, restarts, rng).inertia();
        }
        return inertia;
    }

    /** The k with the largest bend of log J: log(J(k-1)/J(k)) - log(J(k)/J(k+1)), for 2 &lt;= k &lt; MAX_K. */
    static int elbowOf(double[] inertia) {
        int best = 2;
        double bestBend = Double.NEGATIVE_INFINITY;
        for (int k = 2; k < inertia.length; k++) {
            double bend = Math.log(inertia[k - 2] / inertia[k - 1]) - Math.log(inertia[k - 1] / inertia[k]);
            if (bend > bestBend) {
                bestBend = bend;
                best = k;
            }
        }
        return best;
    }

    // ------------------------------------------------------------ data and pictures

    /** Points drawn from N(centre, BLOB_STD^2 I) around each of {@link #BLOB_CENTRES}, labelled by blob. */
    static LabeledData blobs(int perBlob, Rng rng) {
        int n = perBlob * BLOB_CENTRES.length;
        float[] xy = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / perBlob;
            xy[2 * i] = (float) (BLOB_CENTRES[labels[i]][0] + BLOB_STD * rng.nextGaussian());
            xy[2 * i + 1] = (float) (BLOB_CENTRES[labels[i]][1] + BLOB_STD * rng.nextGaussian());
        }
        List<String> names = new ArrayList<>();
        for (int b = 1; b <= BLOB_CENTRES.length; b++) {
            names.add("blob " + b);
        }
        return new LabeledData(Tensor.wrap(xy, n, 2), labels, names);
    }

    private static void printContingency(ChapterContext ctx, int[] assignment, LabeledData data, int k) {
        int[][] counts = KMeans.contingency(assignment, data.labels(), k, data.numClasses());
        List<String> header = new ArrayList<>(List.of("cluster"));
        header.addAll(data.classNames());
        List<List<String>> rows = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(j + 1)));
            for (int c : counts[j]) {
                row.add(Integer.toString(c));
            }
            rows.add(row);
        }
        ctx.table(header, rows);
    }

    private static void drawBlobs(ChapterContext ctx, LabeledData blobs, KMeans.Clustering c) {
        Tensor centres = c.centres();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < centres.size(0); j++) {
            names.add("cluster " + (j + 1));
        }
        new ScatterPlot("k-means on " + centres.size(0) + " blobs; shading: the nearest centre", "x", "y")
                .points(Neighbourhoods.coordinate(blobs.features(), 0), Neighbourhoods.coordinate(blobs.features(), 1),
                        c.assignment())
                .regions((x, y) -> nearest(centres, x, y))
                .classNames(names).save(ctx.outFile("blobs-clusters.png"));
    }

    private static int nearest(Tensor centres, double x, double y) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < centres.size(0); j++) {
            double dx = x - centres.get(j, 0);
            double dy = y - centres.get(j, 1);
            if (dx * dx + dy * dy < bestD) {
                bestD = dx * dx + dy * dy;
                best = j;
            }
        }
        return best;
    }

    /** Petal length against petal width, each cluster named after the species most of its points belong to. */
    private static void drawIris(ChapterContext ctx, LabeledData iris, KMeans.Clustering c) {
        int k = c.centres().size(0);
        int[][] counts = KMeans.contingency(c.assignment(), iris.labels(), k, iris.numClasses());
        List<String> names = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            int major = 0;
            for (int s = 1; s < counts[j].length; s++) {
                major = counts[j][s] > counts[j][major] ? s : major;
            }
            names.add((j + 1) + ": " + iris.classNames().get(major));
        }
        new ScatterPlot("k-means on iris (k = 3, all four features used)", "petal length (cm)", "petal width (cm)")
                .points(Neighbourhoods.coordinate(iris.features(), 2), Neighbourhoods.coordinate(iris.features(), 3),
                        c.assignment())
                .classNames(names).save(ctx.outFile("iris-clusters.png"));
    }

    /** J(k) / J(1) for k = 1, 2, ...: both data sets on one scale. */
    private static List<Double> relativeList(double[] curve) {
        List<Double> out = new ArrayList<>();
        for (double v : curve) {
            out.add(v / curve[0]);
        }
        return out;
    }
}
