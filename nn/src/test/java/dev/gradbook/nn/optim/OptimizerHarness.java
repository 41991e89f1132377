package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs an optimizer for a few steps on one small parameter vector and records where it goes,
 * so tests can compare against trajectories computed in double from the published rules.
 */
final class OptimizerHarness {
    /** The starting point and the curvatures of the test problem {@code L = 1/2 sum c_i p_i^2}. */
    static final double[] P0 = {1.0, -2.0, 0.5};
    static final double[] C = {1.0, 0.5, 4.0};

    private OptimizerHarness() {
    }

    /** The gradient at step {@code t} (1-based) when the parameter is {@code p}. */
    interface Gradient {
        double[] at(int t, double[] p);
    }

    /** dL/dp = c p for the quadratic bowl. */
    static final Gradient QUADRATIC = (t, p) -> {
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            g[i] = C[i] * p[i];
        }
        return g;
    };

    /** The parameter after each of {@code steps} steps, starting from {@link #P0}. */
    static double[][] run(Function<Map<String, Tensor>, Optimizer> make, Gradient gradient, int steps) {
        Tensor p = Tensor.fromDoubles(P0).requiresGrad(true);
        Optimizer opt = make.apply(Map.of("w", p));
        double[][] out = new double[steps][];
        for (int t = 1; t <= steps; t++) {
            opt.zeroGrad();
            double[] g = gradient.at(t, toDoubles(p.data()));
            p.mul(Tensor.fromDoubles(g)).sum().backward();     // leaves exactly g (as floats) in p.grad
            opt.step();
            out[t - 1] = toDoubles(p.data());
        }
        return out;
    }

    static double[] toDoubles(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** Every coordinate of every step within {@code tol * max(1, |expected|)}. */
    static void assertTrajectory(double[][] expected, double[][] actual, double tol) {
        assertEquals(expected.length, actual.length, "number of steps");
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < expected[t].length; i++) {
                double e = expected[t][i];
                assertEquals(e, actual[t][i], tol * Math.max(1, Math.abs(e)), "step " + (t + 1) + ", coordinate " + i);
            }
        }
    }
}
