package dev.gradbook.nn.metrics;

import dev.gradbook.core.Linalg;
import dev.gradbook.core.Tensor;

/**
 * The Frechet distance between two sets of feature vectors, each summarised by a Gaussian: the
 * FID of Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash
 * Equilibrium", NeurIPS 2017, section 3 (on Inception-v3 features there; on any fixed network's
 * features here):
 * <pre>
 *   d^2 = ||mu_1 - mu_2||^2 + Tr( S_1 + S_2 - 2 (S_1 S_2)^(1/2) )
 * </pre>
 * Lower is better; 0 for identical statistics. The product {@code S_1 S_2} is not symmetric, but
 * {@code S_1 S_2} is similar to the symmetric {@code S_1^(1/2) S_2 S_1^(1/2)} (conjugate by
 * {@code S_1^(1/2)}), so both have the same eigenvalues and
 * <pre>
 *   Tr (S_1 S_2)^(1/2) = sum over i of sqrt( lambda_i( S_1^(1/2) S_2 S_1^(1/2) ) )
 * </pre>
 * with each square root of a symmetric matrix taken from {@link Linalg#eigSymmetric}. Means and
 * covariances are accumulated in doubles.
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /** A Gaussian's statistics: mean {@code (d)} and covariance {@code (d, d)}, row-major. */
    public record Statistics(double[] mean, double[] covariance) {
        public int dim() {
            return mean.length;
        }
    }

    /** Mean and unbiased covariance of rows {@code (N, d)}, N >= 2. */
    public static Statistics statistics(Tensor features) {
        if (features.dim() != 2 || features.size(0) < 2) {
            throw new IllegalArgumentException("FrechetDistance: expects features (N, d) with N >= 2, got "
                    + java.util.Arrays.toString(features.shape()));
        }
        int n = features.size(0);
        int d = features.size(1);
        float[] x = features.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j] / (double) n;
            }
        }
        double[] cov = new double[d * d];
        double[] centred = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[j] = x[i * d + j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a * d + b] += centred[a] * centred[b] / (n - 1);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a * d + b] = cov[b * d + a];
            }
        }
        return new Statistics(mean, cov);
    }

    /** The Frechet distance (squared, as FID reports it) between the Gaussians of two feature sets. */
    public static double between(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(1)) {
            throw new IllegalArgumentException("FrechetDistance: feature sets must be (N, d) and (M, d), got "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        return between(statistics(a), statistics(b));
    }

    /** The Frechet distance between {@code N(mu_1, S_1)} and {@code N(mu_2, S_2)}. */
    public static double between(Statistics s1, Statistics s2) {
        int d = s1.dim();
        if (s2.dim() != d) {
            throw new IllegalArgumentException("FrechetDistance: dimensions differ, " + d + " and " + s2.dim());
        }
        double meanTerm = 0;
        double traces = 0;
        for (int j = 0; j < d; j++) {
            double diff = s1.mean()[j] - s2.mean()[j];
            meanTerm += diff * diff;
            traces += s1.covariance()[j * d + j] + s2.covariance()[j * d + j];
        }
        double[] root1 = symmetricSqrt(s1.covariance(), d);
        double[] m = multiply(multiply(root1, s2.covariance(), d), root1, d); // S1^(1/2) S2 S1^(1/2)
        double traceRoot = 0;
        for (double lambda : eigenvalues(m, d)) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        return Math.max(0, meanTerm + traces - 2 * traceRoot);
    }

    /** {@code V diag(sqrt(max(lambda, 0))) V^T} of a symmetric positive semi-definite matrix. */
    static double[] symmetricSqrt(double[] s, int d) {
        Linalg.Eigen eig = Linalg.eigSymmetric(symmetricFloat(s, d));
        float[] v = eig.vectors().data();
        float[] lambda = eig.values().data();
        double[] out = new double[d * d];
        for (int k = 0; k < d; k++) {
            double root = Math.sqrt(Math.max(lambda[k], 0));
            for (int i = 0; i < d; i++) {
                double vik = v[i * d + k] * root;
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += vik * v[j * d + k];
                }
            }
        }
        return out;
    }

    private static double[] eigenvalues(double[] m, int d) {
        float[] values = Linalg.eigSymmetric(symmetricFloat(m, d)).values().data();
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** The symmetric part {@code (M + M^T) / 2} as a float tensor, which removes rounding asymmetry. */
    private static Tensor symmetricFloat(double[] m, int d) {
        float[] out = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) ((m[i * d + j] + m[j * d + i]) / 2);
            }
        }
        return Tensor.wrap(out, d, d);
    }

    private static double[] multiply(double[] a, double[] b, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double aik = a[i * d + k];
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += aik * b[k * d + j];
                }
            }
        }
        return out;
    }
}
