package dev.gradbook.nn.data;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Rescales each feature (column) to mean 0 and standard deviation 1:
 * <pre>
 *     z[i, j] = (x[i, j] - mean[j]) / std[j]
 * </pre>
 * with {@code mean} and the population {@code std} (dividing by N) measured on the training
 * set only, then applied unchanged to validation and test data, so no information about them
 * leaks into training. This is scikit-learn's {@code StandardScaler}.
 *
 * <ul>
 *   <li>A constant column has {@code std = 0}; it is divided by 1 instead, so it becomes all
 *       zeros rather than NaN.</li>
 *   <li>Missing values (NaN) are left out of the statistics and stay NaN in the output.</li>
 * </ul>
 */
public final class Standardizer {
    private final float[] mean;
    private final float[] std;

    /** A standardizer with known statistics (each std > 0). */
    public Standardizer(float[] mean, float[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("Standardizer: " + mean.length + " means but " + std.length + " stds");
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0)) {
                throw new IllegalArgumentException("Standardizer: std of column " + j + " must be > 0, got " + std[j]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Measures the mean and standard deviation of every column of {@code x} (N, D), in double. */
    public static Standardizer fit(Tensor x) {
        checkMatrix("fit", x, -1);
        int n = x.size(0);
        int d = x.size(1);
        float[] v = x.data();
        double[] sum = new double[d];
        int[] count = new int[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                float value = v[i * d + j];
                if (!Float.isNaN(value)) {
                    sum[j] += value;
                    count[j]++;
                }
            }
        }
        // a second pass over (x - mean)^2 is more accurate than E[x^2] - E[x]^2
        double[] squares = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                float value = v[i * d + j];
                if (!Float.isNaN(value)) {
                    double centred = value - sum[j] / count[j];
                    squares[j] += centred * centred;
                }
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = count[j] == 0 ? 0f : (float) (sum[j] / count[j]);
            double s = count[j] == 0 ? 0 : Math.sqrt(squares[j] / count[j]);
            std[j] = s > 0 ? (float) s : 1f;
        }
        return new Standardizer(mean, std);
    }

    /** {@code (x - mean) / std} column by column; {@code x} is (N, D). Returns a new tensor. */
    public Tensor transform(Tensor x) {
        checkMatrix("transform", x, mean.length);
        float[] v = x.data();
        float[] out = new float[v.length];
        int d = mean.length;
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - mean[i % d]) / std[i % d];
        }
        return Tensor.wrap(out, x.shape());
    }

    /** {@code z * std + mean}: back to the original units (a regression model's predictions). */
    public Tensor inverseTransform(Tensor z) {
        checkMatrix("inverseTransform", z, mean.length);
        float[] v = z.data();
        float[] out = new float[v.length];
        int d = mean.length;
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * std[i % d] + mean[i % d];
        }
        return Tensor.wrap(out, z.shape());
    }

    /** The column means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** The column standard deviations, with 1 for constant columns (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** Checks that {@code x} is (N, columns); {@code columns < 0} accepts any width. */
    private static void checkMatrix(String op, Tensor x, int columns) {
        if (x.dim() != 2 || (columns >= 0 && x.size(1) != columns)) {
            throw new IllegalArgumentException("Standardizer." + op + ": expected a matrix (N, "
                    + (columns < 0 ? "D" : columns) + "), got " + Shape.format(x.shape()));
        }
    }
}
