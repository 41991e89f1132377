package dev.gradbook.examples.classical;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.metrics.Metrics;

import java.util.List;

/**
 * <h2>decision-tree: CART, a classifier made of yes/no questions</h2>
 *
 * <p>A decision tree classifies by asking one question about one feature at a time ("is the
 * petal shorter than 2.45 cm?") until it reaches a leaf that names a class. It needs no
 * scaling of the features, handles several classes at once, and can be read by a person, which
 * is why it is the first model many practitioners reach for and the building block of random
 * forests and gradient boosting.
 *
 * <p>CART (Breiman, Friedman, Olshen and Stone, <i>Classification and Regression Trees</i>,
 * 1984; Hastie, Tibshirani and Friedman, <i>The Elements of Statistical Learning</i>, section
 * 9.2.3) grows the tree greedily from the root. At a node with examples S it tries every
 * feature j and every threshold t between two neighbouring values, and keeps the question that
 * makes the children purest on average:
 * <pre>
 *   minimise  |L|/|S| I(L) + |R|/|S| I(R)          L = {x in S : x_j &lt;= t},  R = S \ L
 *   Gini      I = 1 - sum_k p_k^2
 *   entropy   I = -sum_k p_k log2 p_k              (p_k: fraction of class k at the node)
 * </pre>
 * then does the same in each child, until a node is pure, holds too few examples, or sits at
 * the maximum depth. The two impurities rarely disagree about the best question; both are zero
 * for a pure node and largest when the classes are evenly mixed. The code is
 * {@link DecisionTree}, shared with the {@code random-forest} and {@code model-evaluation}
 * chapters.
 *
 * <p>Depth is the model's capacity: a deep enough tree puts every training example in its own
 * leaf (training accuracy 1) and memorises noise, so {@code --max-depth} (default 3) and the
 * minimum examples per split are the brakes.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The printed tree: the root asks {@code petal_length <= 2.45} and sends every setosa
 *       left in one go; the next questions separate versicolor from virginica, and each leaf
 *       shows the class counts that reached it. Two kinds of split are worth a look: one that
 *       cuts off a single odd flower (already memorising, at depth 3), and one whose two leaves
 *       both vote virginica: it changes no prediction but makes one leaf purer, which is all
 *       CART asks.</li>
 *   <li>Gini and entropy grow the same tree here. Test accuracy is 0.93 on the 45 held-out
 *       flowers (a stratified split: 15 of each species), 0.96 for the tree that sees only
 *       the petals; each test flower is worth 0.022, so these differ by one flower.</li>
 *   <li>{@code regions.png}: the petal tree's decision regions are rectangles with edges
 *       parallel to the axes, because every question looks at a single feature.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --max-depth 10}. How many leaves does the tree grow, what is its
 *       training accuracy, and does the test accuracy improve?</li>
 *   <li>Rotate the petal plane by 45 degrees (use length + width and length - width as the two
 *       features). How many more questions does the tree need, and why?</li>
 *   <li>Add misclassification error, {@code 1 - max_k p_k}, as a third criterion. Find a node
 *       where it cannot tell two splits apart that Gini can (ESL, section 9.2.3).</li>
 * </ol>
 */
public final class DecisionTreeChapter implements Chapter {
    /** The two features of the decision-region picture: petal length and petal width. */
    private static final int[] PLANE = {2, 3};

    @Override
    public String id() {
        return "decision-tree";
    }

    @Override
    public Part part() {
        return Part.CLASSICAL_ML;
    }

    @Override
    public String summary() {
        return "CART with Gini and entropy, from scratch, on iris: accuracy, the tree as text, decision regions";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positiveInt("max-depth", "3", "the deepest a tree may grow"),
                Option.intInRange("min-samples-split", "2", 2, Integer.MAX_VALUE,
                        "a node with fewer examples becomes a leaf"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        LabeledData iris = ClassicalData.read(ctx, "tabular/iris.csv");
        ClassicalData.Holdout holdout = ClassicalData.Holdout.stratified(iris, 0.7, rng.nextLong());
        LabeledData train = holdout.train();
        LabeledData test = holdout.test();
        int maxDepth = ctx.intOption("max-depth");
        ctx.printf("iris: %d flowers, features %s, classes %s; train %d, test %d%n", iris.size(),
                ClassicalData.IRIS_FEATURES, iris.classNames(), train.size(), test.size());

        Result result = new Result();
        DecisionTree gini = null;
        for (DecisionTree.Criterion criterion : DecisionTree.Criterion.values()) {
            DecisionTree.Config config = new DecisionTree.Config(criterion, maxDepth,
                    ctx.intOption("min-samples-split"), 1, 0);
            DecisionTree tree = DecisionTree.fit(train.features(), train.labels(), iris.numClasses(), config,
                    rng.split());
            String name = criterion.name().toLowerCase(java.util.Locale.ROOT);
            ctx.section(name + " tree, max depth " + maxDepth);
            ctx.out().print(tree.toText(ClassicalData.IRIS_FEATURES, iris.classNames()));
            double trainAccuracy = Metrics.accuracy(tree.predict(train.features()), train.labels());
            double testAccuracy = Metrics.accuracy(tree.predict(test.features()), test.labels());
            ctx.printf("%d leaves, depth %d; accuracy train %.3f, test %.3f%n", tree.leaves(), tree.depth(),
                    trainAccuracy, testAccuracy);
            result.metric(name + "_train_accuracy", trainAccuracy).metric(name + "_test_accuracy", testAccuracy);
            if (criterion == DecisionTree.Criterion.GINI) {
                gini = tree;
            }
        }
        if (gini.root() instanceof DecisionTree.Split root) {
            result.metric("root_feature", root.feature()).metric("root_threshold", root.threshold())
                    .note("root_question", ClassicalData.IRIS_FEATURES.get(root.feature()) + " <= "
                            + String.format(java.util.Locale.ROOT, "%.2f", root.threshold()));
        }
        result.metric("leaves", gini.leaves());

        ctx.section("a tree on the petals alone, drawn");
        double planeAccuracy = drawRegions(ctx, train, test, maxDepth, rng.split());
        result.metric("petal_plane_test_accuracy", planeAccuracy);
        return result;
    }

    /** Grows a tree on petal length and width only and draws what it predicts everywhere in that plane. */
    private static double drawRegions(ChapterContext ctx, LabeledData train, LabeledData test, int maxDepth,
                                      Rng rng) {
        Tensor xTrain = train.features().indexSelect(1, PLANE); // (N, 2)
        DecisionTree tree = DecisionTree.fit(xTrain, train.labels(), train.numClasses(),
                DecisionTree.Config.of(DecisionTree.Criterion.GINI, maxDepth), rng);
        double accuracy = Metrics.accuracy(tree.predict(test.features().indexSelect(1, PLANE)), test.labels());
        List<String> names = List.of(ClassicalData.IRIS_FEATURES.get(PLANE[0]),
                ClassicalData.IRIS_FEATURES.get(PLANE[1]));
        ctx.out().print(tree.toText(names, train.classNames()));
        ctx.printf("test accuracy from the two petal measurements alone: %.3f%n", accuracy);

        float[] v = xTrain.data();
        double[] px = new double[train.size()];
        double[] py = new double[train.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = v[2 * i];
            py[i] = v[2 * i + 1];
        }
        new ScatterPlot("CART (Gini, depth " + maxDepth + ") on iris petals: training flowers and regions",
                names.get(0) + " (cm)", names.get(1) + " (cm)")
                .points(px, py, train.labels()).classNames(train.classNames())
                .regions((x, y) -> tree.predict(Tensor.of(new float[] {(float) x, (float) y}, 1, 2))[0])
                .save(ctx.outFile("regions.png"));
        ctx.println("picture: regions.png in " + ctx.outDir());
        return accuracy;
    }
}
