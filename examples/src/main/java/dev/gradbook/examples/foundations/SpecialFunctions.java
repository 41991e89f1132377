package dev.gradbook.examples.foundations;

/**
 * The few special functions that classical statistics rests on, in double precision: the log
 * of the gamma function, the regularized incomplete beta function, and the Student t and Beta
 * distributions built from it.
 * <pre>
 *   Gamma(z)   = integral_0^inf t^(z-1) e^-t dt                (Gamma(n) = (n-1)!)
 *   I_x(a, b)  = B(x; a, b) / B(a, b),  B(x; a, b) = integral_0^x t^(a-1) (1-t)^(b-1) dt
 *   Student t with nu degrees of freedom:  P(|T| > t) = I_{nu / (nu + t^2)}(nu/2, 1/2)
 *   Beta(a, b):                            P(X &lt;= x) = I_x(a, b)
 * </pre>
 * {@code I_x} is evaluated by its continued fraction (Numerical Recipes, 3rd ed., section 6.4,
 * eq. 6.4.5) with the modified Lentz algorithm (section 5.2), which converges quickly for
 * {@code x < (a+1)/(a+b+2)}; above that the symmetry {@code I_x(a, b) = 1 - I_{1-x}(b, a)} is
 * used. Quantiles are found by bisection on the distribution function.
 */
final class SpecialFunctions {
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    private SpecialFunctions() {
    }

    /** {@code ln Gamma(x)} for {@code x > 0}, by the Lanczos approximation (g = 7), relative error ~1e-15. */
    static double logGamma(double x) {
        if (x < 0.5) {
            // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** The regularized incomplete beta function {@code I_x(a, b)} for {@code 0 <= x <= 1}, {@code a, b > 0}. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        // x^a (1-x)^b / B(a, b), the factor in front of the continued fraction
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaContinuedFraction(x, a, b) / a;
        }
        return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
    }

    /**
     * {@code 1 / (1 + d1 / (1 + d2 / (1 + ...)))} with
     * {@code d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1))} and
     * {@code d_{2m} = m(b-m) x / ((a+2m-1)(a+2m))}, by modified Lentz.
     */
    private static double betaContinuedFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double f = d;
        for (int m = 1; m <= 300; m++) {
            double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 / nonZero(1 + even * d, tiny);
            c = nonZero(1 + even / c, tiny);
            f *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 / nonZero(1 + odd * d, tiny);
            c = nonZero(1 + odd / c, tiny);
            double delta = d * c;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                return f;
            }
        }
        throw new ArithmeticException("regularizedBeta: the continued fraction did not converge for x=" + x
                + ", a=" + a + ", b=" + b);
    }

    private static double nonZero(double v, double tiny) {
        return Math.abs(v) < tiny ? tiny : v;
    }

    /** {@code P(T <= t)} for Student's t with {@code nu} degrees of freedom. */
    static double studentTCdf(double t, double nu) {
        double tail = 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5); // P(T > |t|)
        return t >= 0 ? 1 - tail : tail;
    }

    /** The two-sided p-value {@code P(|T| >= |t|)}. */
    static double studentTTwoSided(double t, double nu) {
        return regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
    }

    /** The t with {@code P(T <= t) = p}, e.g. {@code studentTQuantile(0.975, 9) = 2.262}. */
    static double studentTQuantile(double p, double nu) {
        return bisect(t -> studentTCdf(t, nu), p, -1e4, 1e4);
    }

    /** The x with {@code I_x(a, b) = p}: a quantile of the Beta(a, b) distribution. */
    static double betaQuantile(double p, double a, double b) {
        return bisect(x -> regularizedBeta(x, a, b), p, 0, 1);
    }

    /** The density of Beta(a, b) at x. */
    static double betaPdf(double x, double a, double b) {
        if (x <= 0 || x >= 1) {
            return 0;
        }
        return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) + logGamma(a + b) - logGamma(a) - logGamma(b));
    }

    /** The density of Student's t with {@code nu} degrees of freedom at t. */
    static double studentTPdf(double t, double nu) {
        return Math.exp(logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI)
                - (nu + 1) / 2 * Math.log1p(t * t / nu));
    }

    static double normalPdf(double x, double mean, double std) {
        double z = (x - mean) / std;
        return Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI));
    }

    /** The x in [lo, hi] with {@code cdf(x) = p}, for an increasing cdf, to double precision. */
    private static double bisect(java.util.function.DoubleUnaryOperator cdf, double p, double lo, double hi) {
        for (int i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf.applyAsDouble(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
