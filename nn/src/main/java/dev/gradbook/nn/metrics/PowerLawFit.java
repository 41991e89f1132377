package dev.gradbook.nn.metrics;

/**
 * A scaling law {@code L(N) = a N^-alpha + c} fitted to measured losses (Kaplan et al. 2020,
 * "Scaling laws for neural language models", section 3; Hoffmann et al. 2022, section 3.3 use the
 * same form with an irreducible loss {@code c}).
 *
 * <p>For a fixed {@code c}, {@code log(L - c) = log a - alpha log N} is a straight line, so
 * {@code log a} and {@code alpha} come from ordinary least squares. The offset {@code c} is found by
 * a grid over {@code [0, min L)}: the {@code c} whose curve has the smallest squared error in the
 * losses themselves wins (log-space error would blow up the point nearest {@code c}).
 *
 * @param a     scale
 * @param alpha exponent
 * @param c     irreducible loss
 * @param sse   squared error of the fitted losses
 */
public record PowerLawFit(double a, double alpha, double c, double sse) {

    /** The fitted loss at size {@code n}. */
    public double predict(double n) {
        return a * Math.pow(n, -alpha) + c;
    }

    /** Fits with {@code grid} candidate offsets in {@code [0, min L)}; {@code grid = 1} fixes c = 0. */
    public static PowerLawFit fit(double[] n, double[] loss, int grid) {
        if (n.length != loss.length || n.length < 3) {
            throw new IllegalArgumentException("PowerLawFit.fit: need >= 3 (N, L) pairs of equal length, got "
                    + n.length + " sizes and " + loss.length + " losses");
        }
        if (grid < 1) {
            throw new IllegalArgumentException("PowerLawFit.fit: grid must be >= 1, got " + grid);
        }
        double minLoss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n.length; i++) {
            if (!(n[i] > 0) || !(loss[i] > 0) || !Double.isFinite(loss[i])) {
                throw new IllegalArgumentException("PowerLawFit.fit: sizes and losses must be positive and finite, got N="
                        + n[i] + " L=" + loss[i] + " at " + i);
            }
            minLoss = Math.min(minLoss, loss[i]);
        }
        PowerLawFit best = null;
        for (int g = 0; g < grid; g++) {
            double c = minLoss * g / grid;
            PowerLawFit f = line(n, loss, c);
            if (best == null || f.sse < best.sse) {
                best = f;
            }
        }
        return best;
    }

    /** Least squares of log(L - c) on log N. */
    private static PowerLawFit line(double[] n, double[] loss, double c) {
        int m = n.length;
        double mx = 0;
        double my = 0;
        double[] x = new double[m];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = Math.log(n[i]);
            y[i] = Math.log(loss[i] - c);
            mx += x[i] / m;
            my += y[i] / m;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < m; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double sse = 0;
        for (int i = 0; i < m; i++) {
            double r = loss[i] - (Math.exp(intercept + slope * x[i]) + c);
            sse += r * r;
        }
        return new PowerLawFit(Math.exp(intercept), -slope, c, sse);
    }
}
