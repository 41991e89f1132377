package dev.gradbook.nn.metrics;

/**
 * The points of a receiver operating characteristic curve: at threshold {@code thresholds[i]},
 * calling every example with score {@code >= thresholds[i]} positive gives false-positive rate
 * {@code fpr[i]} and true-positive rate {@code tpr[i]}. The first point is (0, 0) at threshold
 * +infinity, the last (1, 1) at the lowest score; see {@link Metrics#rocCurve}.
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {

    /** The area under the curve by the trapezoid rule (equal to {@link Metrics#rocAuc} for the same data). */
    public double area() {
        double area = 0;
        for (int i = 1; i < fpr.length; i++) {
            area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        }
        return area;
    }
}
