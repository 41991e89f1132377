package dev.gradbook.nn.metrics;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How good are the predictions? The standard scores for classifiers and language models.
 *
 * <p>Conventions: class labels are integers {@code 0 .. K-1}; a confusion matrix is indexed
 * {@code [true class][predicted class]} (as in scikit-learn); a ratio whose denominator is zero
 * (the precision of a class that is never predicted) is reported as 0, as scikit-learn does.
 */
public final class Metrics {
    private Metrics() {
    }

    // ------------------------------------------------------------------ classification

    /** The predicted class of each row of {@code logits} (N, K): the position of its largest value (the first, on ties). */
    public static IntTensor predictions(Tensor logits) {
        if (logits.dim() != 2) {
            throw new IllegalArgumentException("Metrics.predictions: logits must be (N, K), got "
                    + Shape.format(logits.shape()));
        }
        int n = logits.size(0);
        int k = logits.size(1);
        float[] v = logits.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < k; j++) {
                if (v[i * k + j] > v[i * k + out[i]]) {
                    out[i] = j;
                }
            }
        }
        return IntTensor.wrap(out, n);
    }

    /** The fraction of rows of {@code logits} (N, K) whose largest value is at the label in {@code labels} (N). */
    public static double accuracy(Tensor logits, IntTensor labels) {
        return accuracy(predictions(logits), labels);
    }

    /** The fraction of positions where {@code predicted} (N) equals {@code labels} (N). */
    public static double accuracy(IntTensor predicted, IntTensor labels) {
        return accuracy(predicted.data(), labels.data());
    }

    /** The fraction of positions where {@code predicted} equals {@code labels}. */
    public static double accuracy(int[] predicted, int[] labels) {
        checkSameLength("accuracy", predicted, labels);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /** {@link #confusionMatrix(int[], int[], int)} for index tensors (N). */
    public static int[][] confusionMatrix(IntTensor predicted, IntTensor labels, int numClasses) {
        return confusionMatrix(predicted.data(), labels.data(), numClasses);
    }

    /** {@code cm[t][p]} counts the examples of true class {@code t} predicted as {@code p}. */
    public static int[][] confusionMatrix(int[] predicted, int[] labels, int numClasses) {
        checkSameLength("confusionMatrix", predicted, labels);
        int[][] cm = new int[numClasses][numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses || predicted[i] < 0 || predicted[i] >= numClasses) {
                throw new IllegalArgumentException("Metrics.confusionMatrix: example " + i + " has label " + labels[i]
                        + " and prediction " + predicted[i] + ", outside [0, " + numClasses + ")");
            }
            cm[labels[i]][predicted[i]]++;
        }
        return cm;
    }

    /** Per class c: {@code TP / (TP + FP)}, of the examples predicted c, the fraction that are c (a column of cm). */
    public static double[] precision(int[][] cm) {
        double[] out = new double[cm.length];
        for (int c = 0; c < cm.length; c++) {
            int predictedC = 0;
            for (int[] row : cm) {
                predictedC += row[c];
            }
            out[c] = ratio(cm[c][c], predictedC);
        }
        return out;
    }

    /** Per class c: {@code TP / (TP + FN)}, of the examples that are c, the fraction predicted c (a row of cm). */
    public static double[] recall(int[][] cm) {
        double[] out = new double[cm.length];
        for (int c = 0; c < cm.length; c++) {
            out[c] = ratio(cm[c][c], Arrays.stream(cm[c]).sum());
        }
        return out;
    }

    /** Per class: the harmonic mean of precision and recall, {@code 2 P R / (P + R)}. */
    public static double[] f1(int[][] cm) {
        double[] p = precision(cm);
        double[] r = recall(cm);
        double[] out = new double[cm.length];
        for (int c = 0; c < cm.length; c++) {
            out[c] = p[c] + r[c] == 0 ? 0 : 2 * p[c] * r[c] / (p[c] + r[c]);
        }
        return out;
    }

    /** The macro average: the plain mean over classes, so that every class counts the same however rare. */
    public static double macro(double[] perClass) {
        return Arrays.stream(perClass).average().orElse(0);
    }

    // ------------------------------------------------------------------ binary scores: ROC

    /**
     * The ROC curve of scores {@code scores} for binary labels {@code labels} (1 = positive):
     * one point per distinct score, from the highest down. Examples with equal scores cross the
     * threshold together, so a tie makes a diagonal step.
     */
    public static RocCurve rocCurve(double[] scores, int[] labels) {
        int positives = countPositives("rocCurve", scores, labels);
        int negatives = labels.length - positives;
        Integer[] order = byScore(scores, Comparator.reverseOrder());
        double[] fpr = new double[scores.length + 1];
        double[] tpr = new double[scores.length + 1];
        double[] thresholds = new double[scores.length + 1];
        thresholds[0] = Double.POSITIVE_INFINITY;
        int tp = 0;
        int fp = 0;
        int point = 1;
        for (int i = 0; i < order.length; i++) {
            if (labels[order[i]] == 1) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfTie = i + 1 == order.length || scores[order[i + 1]] != scores[order[i]];
            if (lastOfTie) {
                fpr[point] = (double) fp / negatives;
                tpr[point] = (double) tp / positives;
                thresholds[point] = scores[order[i]];
                point++;
            }
        }
        return new RocCurve(Arrays.copyOf(fpr, point), Arrays.copyOf(tpr, point), Arrays.copyOf(thresholds, point));
    }

    /**
     * The area under the ROC curve, computed exactly as the Mann-Whitney statistic: the
     * probability that a random positive scores higher than a random negative, a tie counting
     * one half (Hanley and McNeil, Radiology 143, 1982). With ranks {@code r} of all scores in
     * ascending order (tied scores share the average of their ranks):
     * <pre>
     *     AUC = (sum of the positives' ranks - P (P + 1) / 2) / (P N)
     * </pre>
     */
    public static double rocAuc(double[] scores, int[] labels) {
        long positives = countPositives("rocAuc", scores, labels);
        long negatives = labels.length - positives;
        Integer[] order = byScore(scores, Comparator.naturalOrder());
        double positiveRankSum = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end < order.length && scores[order[end]] == scores[order[start]]) {
                end++;
            }
            double averageRank = (start + 1 + end) / 2.0; // ranks start+1 .. end, 1-based
            for (int i = start; i < end; i++) {
                if (labels[order[i]] == 1) {
                    positiveRankSum += averageRank;
                }
            }
            start = end;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
    }

    /** {@link #rocAuc(double[], int[])} for a score tensor (N) and a tensor (N) of 0/1 labels. */
    public static double rocAuc(Tensor scores, IntTensor labels) {
        float[] s = scores.data();
        double[] asDoubles = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            asDoubles[i] = s[i];
        }
        return rocAuc(asDoubles, labels.data());
    }

    // ------------------------------------------------------------------ language models

    /**
     * Perplexity, {@code exp(H)}, from the mean cross-entropy {@code H} in nats per token: the
     * number of equally likely tokens the model is, on average, choosing between. A uniform
     * guess over V tokens has {@code H = ln V} and perplexity V.
     */
    public static double perplexity(double meanCrossEntropyNats) {
        return Math.exp(meanCrossEntropyNats);
    }

    /** The same cross-entropy in bits per token ({@code H / ln 2}), the unit of compression papers. */
    public static double bitsPerToken(double meanCrossEntropyNats) {
        return meanCrossEntropyNats / Math.log(2);
    }

    // ------------------------------------------------------------------ helpers

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private static Integer[] byScore(double[] scores, Comparator<Double> direction) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparing(i -> scores[i], direction));
        return order;
    }

    private static int countPositives(String op, double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("Metrics." + op + ": " + scores.length + " scores but "
                    + labels.length + " labels");
        }
        int positives = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("Metrics." + op + ": label " + labels[i] + " at " + i
                        + " is not 0 or 1");
            }
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("Metrics." + op + ": score at " + i + " is NaN");
            }
            positives += labels[i];
        }
        if (positives == 0 || positives == labels.length) {
            throw new IllegalArgumentException("Metrics." + op + ": needs both positive and negative examples, got "
                    + positives + " positives of " + labels.length);
        }
        return positives;
    }

    private static void checkSameLength(String op, int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("Metrics." + op + ": " + predicted.length + " predictions but "
                    + labels.length + " labels");
        }
    }
}
