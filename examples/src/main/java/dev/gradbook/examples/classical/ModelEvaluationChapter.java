package dev.gradbook.examples.classical;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.data.LabeledData;
import dev.gradbook.nn.data.Splits;
import dev.gradbook.nn.metrics.Metrics;
import dev.gradbook.nn.metrics.RocCurve;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>model-evaluation: how good is it, how sure are we, and is it the right size?</h2>
 *
 * <p>A model is only as good as its score on data it has not seen, and that score is itself a
 * noisy estimate. Three standard tools (Hastie, Tibshirani and Friedman, <i>The Elements of
 * Statistical Learning</i>, chapter 7; Fawcett, "An introduction to ROC analysis", <i>Pattern
 * Recognition Letters</i> 27, 2006), on the breast-cancer data with "malignant" as the
 * positive class:
 * <ul>
 *   <li><b>K-fold cross-validation.</b> Cut the data into K folds; train on K - 1, score on the
 *       one left out, K times. The mean of the K scores estimates the test score using every
 *       example for testing once, and their spread (sample standard deviation) says how much a
 *       single split could have misled. Anything learned from data, the standardisation
 *       included, is fitted inside each round on its training folds only.</li>
 *   <li><b>Precision, recall, F1.</b> From the confusion matrix of one held-out split:
 *       <pre>
 *   precision = TP / (TP + FP)     of the tumours called malignant, the fraction that are
 *   recall    = TP / (TP + FN)     of the malignant tumours, the fraction found
 *   F1        = 2 P R / (P + R)    their harmonic mean
 *       </pre>
 *       Accuracy hides which mistakes are made; here a missed malignant tumour (FN) costs far
 *       more than a false alarm (FP).</li>
 *   <li><b>ROC curve and AUC.</b> A probabilistic classifier calls "malignant" when its score
 *       passes a threshold. Sweeping the threshold from high to low traces the true-positive
 *       rate against the false-positive rate; the area under that curve is the probability that
 *       a random malignant tumour scores higher than a random benign one (1 is perfect, 0.5 is
 *       chance), whatever threshold is later chosen.</li>
 *   <li><b>Under- and over-fitting.</b> Grow decision trees ({@link DecisionTree}) of depth 1,
 *       2, ... and measure the error on the training folds and on the held-out fold. Training
 *       error can only fall as depth grows; validation error falls while the tree learns real
 *       structure (under-fitting) and then stalls or rises as it learns noise (over-fitting).</li>
 * </ul>
 * The classifier for the first three is {@link LogisticRegression} from the
 * {@code logistic-regression} chapter; cross-validation also scores a depth-3 tree beside it.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Five-fold accuracy of logistic regression 0.974 +- 0.009, of the depth-3 tree
 *       0.926 +- 0.017: the gap is several standard deviations wide, so it is not luck of the
 *       split.</li>
 *   <li>On the held-out 30%: no false alarms (precision 1 for "malignant") but 3 of 64
 *       malignant tumours missed (recall 0.953). Accuracy alone (0.982) would not say which.</li>
 *   <li>AUC 0.998 for logistic regression, the same by the rank formula and by the trapezoid
 *       area under its curve in {@code roc.png}. The depth-3 tree scores a tumour by the
 *       fraction of malignant training examples in its leaf, so it has only a handful of
 *       distinct scores: its ROC curve is a few straight segments, and its AUC is 0.969.</li>
 *   <li>{@code fitting.png}: the training error falls to 0 by depth 7; the validation error is
 *       lowest at depth 4-5 (0.06) and then rises to 0.074 as the trees memorise.</li>
 * </ul>
 * {@code --quick} runs 100 descent steps instead of 200 and depths up to 8.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Standardise once on all the data before cutting the folds. Does the cross-validated
 *       score change? Why is it still wrong to do so?</li>
 *   <li>Find the threshold on the ROC curve that catches every malignant tumour in the test
 *       set. What does it cost in false alarms?</li>
 *   <li>Repeat the five-fold estimate with ten different shuffles. Is the spread of the ten
 *       means smaller than the spread of the folds, and why?</li>
 * </ol>
 */
public final class ModelEvaluationChapter implements Chapter {
    private static final int FOLDS = 5;
    private static final float LEARNING_RATE = 0.5f;

    @Override
    public String id() {
        return "model-evaluation";
    }

    @Override
    public Part part() {
        return Part.CLASSICAL_ML;
    }

    @Override
    public String summary() {
        return "cross-validation, precision/recall/F1, ROC-AUC, and over/under-fitting against tree depth";
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        LabeledData data = malignantPositive(ClassicalData.read(ctx, "tabular/breast_cancer.csv"));
        int steps = ctx.steps(200, 100);
        ctx.printf("breast cancer: %d tumours, %d features; positive class = malignant (%d of them)%n",
                data.size(), data.numFeatures(), java.util.Arrays.stream(data.labels()).sum());
        Result result = new Result();

        ctx.section(FOLDS + "-fold cross-validation (accuracy)");
        List<Splits.Fold> folds = Splits.kFold(data.size(), FOLDS, rng.nextLong());
        double[] logistic = new double[FOLDS];
        double[] tree = new double[FOLDS];
        ProgressReporter progress = ctx.progress("folds", FOLDS);
        for (int f = 0; f < FOLDS; f++) {
            ClassicalData.Holdout round = new ClassicalData.Holdout(ClassicalData.subset(data, folds.get(f).train()),
                    ClassicalData.subset(data, folds.get(f).val())).standardized();
            LogisticRegression model = new LogisticRegression(data.numFeatures(), 2, rng.split());
            double[] curve = model.fit(round.train().features(), round.train().labels(), steps, LEARNING_RATE, null);
            logistic[f] = Metrics.accuracy(model.predict(round.test().features()), round.test().labels());
            DecisionTree cart = DecisionTree.fit(round.train().features(), round.train().labels(), 2,
                    DecisionTree.Config.of(DecisionTree.Criterion.GINI, 3), rng.split());
            tree[f] = Metrics.accuracy(cart.predict(round.test().features()), round.test().labels());
            result.metric("fold_" + (f + 1), logistic[f]);
            progress.update(f + 1, curve[steps - 1]);
        }
        progress.finish();
        printFolds(ctx, logistic, tree);
        result.metric("cv_mean", mean(logistic)).metric("cv_std", std(logistic))
                .metric("tree_cv_mean", mean(tree)).metric("tree_cv_std", std(tree));

        ctx.section("one held-out split: precision, recall, F1 and the ROC curve");
        ClassicalData.Holdout holdout = ClassicalData.Holdout.stratified(data, 0.7, rng.nextLong()).standardized();
        LogisticRegression model = new LogisticRegression(data.numFeatures(), 2, rng.split());
        model.fit(holdout.train().features(), holdout.train().labels(), steps, LEARNING_RATE, null);
        int[] labels = holdout.test().labels();
        int[][] cm = Metrics.confusionMatrix(model.predict(holdout.test().features()), labels, 2);
        reportScores(ctx, cm, data.classNames(), result);
        double[] scores = model.positiveProbabilities(holdout.test().features());
        RocCurve roc = Metrics.rocCurve(scores, labels);
        double auc = Metrics.rocAuc(scores, labels);
        ctx.printf("logistic regression: ROC AUC %.4f by ranks (Mann-Whitney), %.4f by the trapezoid rule over %d "
                + "curve points%n", auc, roc.area(), roc.fpr().length);
        DecisionTree cart = DecisionTree.fit(holdout.train().features(), holdout.train().labels(), 2,
                DecisionTree.Config.of(DecisionTree.Criterion.GINI, 3), rng.split());
        double[] treeScores = java.util.Arrays.stream(cart.probabilities(holdout.test().features()))
                .mapToDouble(p -> p[1]).toArray();
        RocCurve treeRoc = Metrics.rocCurve(treeScores, labels);
        double treeAuc = Metrics.rocAuc(treeScores, labels);
        ctx.printf("tree of depth 3 (score: the leaf's fraction of malignant): ROC AUC %.4f from %d distinct scores%n",
                treeAuc, treeRoc.fpr().length - 1);
        new LineChart("ROC curves on the breast-cancer test split", "false-positive rate (benign called malignant)",
                "true-positive rate (malignant found)")
                .series(String.format(Locale.ROOT, "logistic regression, AUC %.3f", auc), roc.fpr(), roc.tpr())
                .series(String.format(Locale.ROOT, "tree of depth 3, AUC %.3f", treeAuc), treeRoc.fpr(), treeRoc.tpr())
                .series("chance, AUC 0.5", new double[] {0, 1}, new double[] {0, 1})
                .save(ctx.outFile("roc.png"));
        ctx.println("picture: roc.png");
        result.metric("auc", auc).metric("auc_trapezoid", roc.area()).metric("tree_auc", treeAuc);

        ctx.section("under- and over-fitting: decision trees of growing depth, " + FOLDS + "-fold");
        fittingCurve(ctx, data, folds, ctx.quick() ? 8 : 10, rng, result);
        return result;
    }

    /** The same data with the labels flipped so that malignant (class 0 in the file) is 1, the positive class. */
    private static LabeledData malignantPositive(LabeledData data) {
        int[] flipped = new int[data.size()];
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = 1 - data.labels()[i];
        }
        return new LabeledData(data.features(), flipped, List.of(data.classNames().get(1), data.classNames().get(0)));
    }

    private static void printFolds(ChapterContext ctx, double[] logistic, double[] tree) {
        List<List<String>> rows = new ArrayList<>();
        for (int f = 0; f < FOLDS; f++) {
            rows.add(List.of("fold " + (f + 1), fmt(logistic[f]), fmt(tree[f])));
        }
        rows.add(List.of("mean +- std", fmt(mean(logistic)) + " +- " + fmt(std(logistic)),
                fmt(mean(tree)) + " +- " + fmt(std(tree))));
        ctx.table(List.of("", "logistic regression", "tree, depth 3"), rows);
    }

    private static void reportScores(ChapterContext ctx, int[][] cm, List<String> classes, Result result) {
        ctx.printf("confusion matrix (rows true, columns predicted): benign [%d %d], malignant [%d %d]%n",
                cm[0][0], cm[0][1], cm[1][0], cm[1][1]);
        double[] precision = Metrics.precision(cm);
        double[] recall = Metrics.recall(cm);
        double[] f1 = Metrics.f1(cm);
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            rows.add(List.of(classes.get(c), fmt(precision[c]), fmt(recall[c]), fmt(f1[c]),
                    Integer.toString(java.util.Arrays.stream(cm[c]).sum())));
        }
        rows.add(List.of("macro average", fmt(Metrics.macro(precision)), fmt(Metrics.macro(recall)),
                fmt(Metrics.macro(f1)), ""));
        ctx.table(List.of("class", "precision", "recall", "F1", "support"), rows);
        result.metric("precision_malignant", precision[1]).metric("recall_malignant", recall[1])
                .metric("f1_malignant", f1[1]).metric("macro_f1", Metrics.macro(f1))
                .metric("false_negatives", cm[1][0]).metric("false_positives", cm[0][1]);
    }

    /** Training and validation error of trees of depth 1 .. maxDepth, averaged over the folds. */
    private static void fittingCurve(ChapterContext ctx, LabeledData data, List<Splits.Fold> folds, int maxDepth,
                                     Rng rng, Result result) {
        double[] depths = new double[maxDepth];
        double[] trainError = new double[maxDepth];
        double[] valError = new double[maxDepth];
        List<List<String>> rows = new ArrayList<>();
        for (int depth = 1; depth <= maxDepth; depth++) {
            for (Splits.Fold fold : folds) {
                LabeledData train = ClassicalData.subset(data, fold.train());
                LabeledData val = ClassicalData.subset(data, fold.val());
                DecisionTree cart = DecisionTree.fit(train.features(), train.labels(), 2,
                        DecisionTree.Config.of(DecisionTree.Criterion.GINI, depth), rng.split());
                trainError[depth - 1] += (1 - Metrics.accuracy(cart.predict(train.features()), train.labels()))
                        / folds.size();
                valError[depth - 1] += (1 - Metrics.accuracy(cart.predict(val.features()), val.labels()))
                        / folds.size();
            }
            depths[depth - 1] = depth;
            rows.add(List.of(Integer.toString(depth), fmt(trainError[depth - 1]), fmt(valError[depth - 1])));
            result.metric("train_error_depth_" + depth, trainError[depth - 1])
                    .metric("val_error_depth_" + depth, valError[depth - 1]);
        }
        ctx.table(List.of("max depth", "training error", "validation error"), rows);
        new LineChart("Decision trees on breast cancer: error against depth (" + folds.size() + "-fold means)",
                "maximum depth (capacity)", "error rate")
                .series("training", depths, trainError).series("validation", depths, valError)
                .save(ctx.outFile("fitting.png"));
        ctx.println("picture: fitting.png in " + ctx.outDir());
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (dividing by n - 1): the folds are a sample of possible splits. */
    private static double std(double[] v) {
        double m = mean(v);
        double squares = 0;
        for (double x : v) {
            squares += (x - m) * (x - m);
        }
        return Math.sqrt(squares / (v.length - 1));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
