package dev.gradbook.examples.classical;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.ImageGrid;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.metrics.Metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * <h2>knn: classify by the company a point keeps</h2>
 *
 * <p>The k-nearest-neighbour classifier (Cover and Hart, "Nearest neighbor pattern
 * classification", <i>IEEE Trans. Information Theory</i> 13, 1967; Hastie, Tibshirani and
 * Friedman, <i>The Elements of Statistical Learning</i>, section 13.3) has no training step at
 * all: it keeps the training set, and labels a new point with the majority class among the k
 * training points closest to it. Everything rests on the distance. For images of the same size,
 * the plain Euclidean distance between pixel vectors already works well.
 *
 * <p>The work is computing the distance from every test point to every training point. Written
 * as loops that is three nested loops; written with tensors it is one matrix product, because
 * the square of a distance expands into norms and a dot product:
 * <pre>
 *   ||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b
 *   D = rowNorms(A) + rowNorms(B)^T - 2 A B^T        A (T, 64) test, B (N, 64) train, D (T, N)
 * </pre>
 * The chapter computes D that way ({@link Neighbourhoods#squaredDistances}, shared with
 * {@code k-means} and {@code tsne}) and checks some rows against the loops. In general the
 * expansion can lose precision when two points are nearly equal (three large terms with a
 * small sum; tiny negative results are clipped to zero), but here the pixels are whole numbers
 * and every sum stays far below 2^24, so float arithmetic is exact and the two agree to the bit.
 *
 * <p><b>The choice of k</b> trades variance for bias. With k = 1 the decision boundary follows
 * every training point, noise included; a larger k averages over a bigger neighbourhood and
 * smooths the boundary, until it blurs the classes together. The vote is majority among the k,
 * ties going to the class of the nearer neighbour. To choose k without looking at the test set,
 * the chapter uses leave-one-out on the training set: every training digit is classified by
 * the others, which for k-NN costs nothing more than leaving the point itself out of its own
 * neighbour list.
 *
 * <p>The data: 1,797 handwritten digits from UCI, 8x8 pixels with 17 grey levels (0-16), split
 * 75/25 class by class.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The matmul distances equal the loop's exactly (relative difference 0).</li>
 *   <li>Test accuracy is 0.97 to 0.99 for every k from 1 to 15, best at small k and slowly
 *       falling as k grows: these digits are clean, and near neighbours are nearly always the
 *       same digit. Leave-one-out picks k = 3 (test accuracy 0.987); the best k in hindsight
 *       is 1 (0.989), one digit better. {@code accuracy-vs-k.png} draws both curves.</li>
 *   <li>{@code misclassified.png}: the few test errors at the chosen k, captioned "true ->
 *       predicted". Most are digits a person would hesitate over too.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Weight each neighbour's vote by {@code 1 / distance}. Does the accuracy curve flatten?</li>
 *   <li>Use the Manhattan distance {@code sum |a_i - b_i|}. Can it be written as a matrix
 *       product? What does that cost?</li>
 *   <li>Shift every test digit one pixel right. How far does the accuracy fall, and what does
 *       that say about pixel distance as a measure of similarity?</li>
 * </ol>
 */
public final class KnnChapter implements Chapter {
    @Override
    public String id() {
        return "knn";
    }

    @Override
    public Part part() {
        return Part.CLASSICAL_ML;
    }

    @Override
    public String summary() {
        return "k-nearest neighbours on 8x8 digits with matmul distances: accuracy against k";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positiveInt("max-k", "15", "largest k to try"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        LabeledData digits = ClassicalData.read(ctx, "images/digits8x8.csv.gz");
        ClassicalData.Holdout holdout = ClassicalData.Holdout.stratified(digits, 0.75, ctx.rng().nextLong());
        LabeledData train = holdout.train();
        LabeledData test = holdout.test();
        int maxK = ctx.intOption("max-k");
        ctx.printf("digits: %d images of 8x8 pixels; %d to remember, %d to classify%n", digits.size(), train.size(),
                test.size());

        ctx.section("distances: ||a||^2 + ||b||^2 - 2 a.b as one matrix product");
        Tensor distances = Neighbourhoods.squaredDistances(test.features(), train.features()); // (T, N)
        ctx.printf("%d x %d squared distances from a (%d, 64) x (64, %d) product%n", distances.size(0),
                distances.size(1), test.size(), train.size());
        double relativeError = checkAgainstLoops(test.features(), train.features(), distances, 10);
        ctx.printf("against three nested loops, on 10 test rows: largest relative difference %.1e%n", relativeError);

        ctx.section("accuracy against k");
        int classes = digits.numClasses();
        int[][] testNeighbours = nearest(distances, maxK, false);
        // leave-one-out on the training set: each training digit classified by the others
        Tensor trainDistances = Neighbourhoods.squaredDistances(train.features(), train.features()); // (N, N)
        int[][] trainNeighbours = nearest(trainDistances, maxK, true);
        double[] testAccuracy = new double[maxK];
        double[] looAccuracy = new double[maxK];
        int[][] predictions = new int[maxK][];
        List<List<String>> rows = new ArrayList<>();
        int bestK = 1;
        int chosenK = 1;
        for (int k = 1; k <= maxK; k++) {
            predictions[k - 1] = vote(testNeighbours, train.labels(), k, classes);
            testAccuracy[k - 1] = Metrics.accuracy(predictions[k - 1], test.labels());
            looAccuracy[k - 1] = Metrics.accuracy(vote(trainNeighbours, train.labels(), k, classes), train.labels());
            bestK = testAccuracy[k - 1] > testAccuracy[bestK - 1] ? k : bestK;
            chosenK = looAccuracy[k - 1] > looAccuracy[chosenK - 1] ? k : chosenK;
            rows.add(List.of(Integer.toString(k), String.format(Locale.ROOT, "%.4f", looAccuracy[k - 1]),
                    String.format(Locale.ROOT, "%.4f", testAccuracy[k - 1]),
                    Long.toString(Math.round((1 - testAccuracy[k - 1]) * test.size()))));
        }
        ctx.table(List.of("k", "leave-one-out (train)", "test accuracy", "test errors"), rows);
        ctx.printf("k chosen by leave-one-out on the training set: %d, test accuracy %.4f%n", chosenK,
                testAccuracy[chosenK - 1]);
        ctx.printf("best k in hindsight on the test set: %d, test accuracy %.4f%n", bestK, testAccuracy[bestK - 1]);

        double[] ks = new double[maxK];
        Arrays.setAll(ks, i -> i + 1);
        new LineChart("k-nearest neighbours on 8x8 digits", "k (neighbours that vote)", "accuracy")
                .series("test", ks, testAccuracy).series("leave-one-out on the training set", ks, looAccuracy)
                .save(ctx.outFile("accuracy-vs-k.png"));
        int shown = drawMistakes(ctx, test, predictions[chosenK - 1], chosenK);
        ctx.println("pictures: accuracy-vs-k.png, misclassified.png in " + ctx.outDir());
        return new Result().metric("chosen_k", chosenK).metric("chosen_k_test_accuracy", testAccuracy[chosenK - 1])
                .metric("best_k", bestK).metric("best_accuracy", testAccuracy[bestK - 1])
                .metric("accuracy_k1", testAccuracy[0]).metric("accuracy_k" + maxK, testAccuracy[maxK - 1])
                .metric("distance_relative_error", relativeError).metric("misclassified_shown", shown);
    }

    /** The same distances for the first {@code rows} rows of A by explicit loops; returns the largest relative gap. */
    private static double checkAgainstLoops(Tensor a, Tensor b, Tensor distances, int rows) {
        int d = a.size(1);
        float[] av = a.data();
        float[] bv = b.data();
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < b.size(0); j++) {
                double sum = 0;
                for (int f = 0; f < d; f++) {
                    double diff = av[i * d + f] - bv[j * d + f];
                    sum += diff * diff;
                }
                worst = Math.max(worst, Math.abs(sum - distances.get(i, j)) / Math.max(sum, 1));
            }
        }
        return worst;
    }

    /**
     * For each row i of D (T, N), the columns of its {@code k} smallest entries, nearest first
     * (on equal distances, the lower column first); {@code skipSelf} leaves out column i (for D
     * of a set against itself). One pass per row, keeping a sorted list of the k best so far.
     */
    private static int[][] nearest(Tensor distances, int k, boolean skipSelf) {
        int n = distances.size(1);
        float[] dv = distances.data();
        int[][] out = new int[distances.size(0)][];
        for (int i = 0; i < out.length; i++) {
            int[] best = new int[k];
            float[] bestDistance = new float[k];
            Arrays.fill(bestDistance, Float.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                float dist = dv[i * n + j];
                if ((skipSelf && j == i) || dist >= bestDistance[k - 1]) {
                    continue;
                }
                int p = k - 1; // slide larger entries one place down, then drop j into the gap
                while (p > 0 && bestDistance[p - 1] > dist) {
                    bestDistance[p] = bestDistance[p - 1];
                    best[p] = best[p - 1];
                    p--;
                }
                bestDistance[p] = dist;
                best[p] = j;
            }
            out[i] = best;
        }
        return out;
    }

    /** The majority label among each row's first {@code k} neighbours; a tie goes to the class met first. */
    private static int[] vote(int[][] neighbours, int[] labels, int k, int classes) {
        int[] out = new int[neighbours.length];
        for (int i = 0; i < out.length; i++) {
            int[] count = new int[classes];
            int best = labels[neighbours[i][0]];
            for (int j = 0; j < k; j++) {
                count[labels[neighbours[i][j]]]++;
            }
            for (int j = 0; j < k; j++) { // scanning nearest first, a later class must have strictly more votes
                int c = labels[neighbours[i][j]];
                if (count[c] > count[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static int drawMistakes(ChapterContext ctx, LabeledData test, int[] predicted, int k) {
        ImageGrid grid = new ImageGrid("Misclassified test digits at k = " + k + " (true -> predicted)", 8)
                .scale(8).range(0, 16);
        for (int i = 0; i < test.size() && grid.size() < 24; i++) {
            if (predicted[i] != test.labels()[i]) {
                grid.add(test.features().select(0, i).reshape(8, 8), test.labels()[i] + " -> " + predicted[i]);
            }
        }
        if (grid.size() > 0) {
            grid.save(ctx.outFile("misclassified.png"));
        }
        return grid.size();
    }
}
