package dev.gradbook.examples.neural;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

import java.util.function.DoubleBinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Small 2-D classification problems that no straight line separates, generated from a seed:
 * the classic test beds for a first neural network, and easy to draw.
 */
public final class ToyData {
    private ToyData() {
    }

    /** Points {@code x} of shape (N, 2) with a class index each. */
    public record Points(Tensor x, int[] labels) {
        public int size() {
            return labels.length;
        }

        /** Column {@code j} of x, for plotting. */
        public double[] column(int j) {
            double[] out = new double[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = x.get(i, j);
            }
            return out;
        }
    }

    /**
     * Two interleaved half circles (scikit-learn's {@code make_moons}): class 0 on the upper arc
     * {@code (cos t, sin t)}, class 1 on the lower arc {@code (1 - cos t, 0.5 - sin t)}, t uniform
     * in [0, pi], plus Gaussian noise of standard deviation {@code noise}. Classes alternate.
     */
    public static Points twoMoons(int n, double noise, Rng rng) {
        float[] x = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double t = Math.PI * rng.nextDouble();
            labels[i] = i % 2;
            double px = labels[i] == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double py = labels[i] == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            x[2 * i] = (float) (px + noise * rng.nextGaussian());
            x[2 * i + 1] = (float) (py + noise * rng.nextGaussian());
        }
        return new Points(Tensor.wrap(x, n, 2), labels);
    }

    /**
     * {@code classes} spiral arms of {@code perClass} points each (CS231n's "spiral" data): arm k
     * has radius r from 0 to 1 and angle {@code 4 r + 2 pi k / classes} plus noise of standard
     * deviation {@code noise} radians.
     */
    public static Points spiral(int perClass, int classes, double noise, Rng rng) {
        int n = perClass * classes;
        float[] x = new float[2 * n];
        int[] labels = new int[n];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < perClass; i++) {
                int row = k * perClass + i;
                double r = (double) i / Math.max(1, perClass - 1);
                double angle = 4 * r + 2 * Math.PI * k / classes + noise * rng.nextGaussian();
                x[2 * row] = (float) (r * Math.sin(angle));
                x[2 * row + 1] = (float) (r * Math.cos(angle));
                labels[row] = k;
            }
        }
        return new Points(Tensor.wrap(x, n, 2), labels);
    }

    /**
     * A classifier's decision regions around the points, for {@code ScatterPlot.regions}: the
     * model's scores {@code (M, K)} for a {@code cells x cells} grid over the points' bounding
     * box (padded by 10%) come from one batched call, and each query returns the arg-max class of
     * the nearest grid node. Much cheaper than one forward pass per pixel.
     */
    public static DoubleBinaryOperator regions(Points data, UnaryOperator<Tensor> scores, int cells) {
        double[] xs = data.column(0);
        double[] ys = data.column(1);
        double[] box = {min(xs), max(xs), min(ys), max(ys)};
        double padX = 0.1 * (box[1] - box[0]);
        double padY = 0.1 * (box[3] - box[2]);
        double x0 = box[0] - padX;
        double y0 = box[2] - padY;
        double dx = (box[1] - box[0] + 2 * padX) / (cells - 1);
        double dy = (box[3] - box[2] + 2 * padY) / (cells - 1);
        float[] grid = new float[cells * cells * 2];
        for (int i = 0; i < cells; i++) {
            for (int j = 0; j < cells; j++) {
                grid[2 * (i * cells + j)] = (float) (x0 + j * dx);
                grid[2 * (i * cells + j) + 1] = (float) (y0 + i * dy);
            }
        }
        Tensor classes;
        try (var ignored = Autograd.noGrad()) {
            Tensor s = scores.apply(Tensor.wrap(grid, cells * cells, 2));
            // one score column: its sign is the class; several: the largest wins
            classes = s.size(1) == 1 ? s.gt(0f).reshape(-1) : s.argmax(1).toFloat();
        }
        float[] c = classes.data();
        return (x, y) -> {
            int j = (int) Math.max(0, Math.min(cells - 1, Math.round((x - x0) / dx)));
            int i = (int) Math.max(0, Math.min(cells - 1, Math.round((y - y0) / dy)));
            return c[i * cells + j];
        };
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(1);
    }
}
