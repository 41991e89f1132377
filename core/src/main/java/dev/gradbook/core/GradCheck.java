package dev.gradbook.core;

import java.util.function.Function;

/**
 * Checks autograd against finite differences, for any function of tensors you write.
 *
 * <p>To test a function {@code f(x_1, ..., x_n)} with tensor output, it is first reduced to a
 * scalar {@code L = sum(w * f(x))} with fixed random weights {@code w} (so that a gradient that
 * is wrong only in some output entries cannot cancel out). Then for every input element
 * {@code x_i}:
 * <pre>
 *   analytic  dL/dx_i   from L.backward()
 *   numeric   (L(x_i + eps) - L(x_i - eps)) / (2 eps)     (central difference, error O(eps^2))
 * </pre>
 * and the two must agree within {@code atol + rtol * |numeric|}. Everything is float32, so
 * {@code eps} cannot be tiny: with {@code eps = 1e-2} the truncation error is about
 * {@code 1e-4 |f'''|} and the rounding error about {@code 1e-7 |L| / eps}. Keep inputs away from
 * kinks (relu at 0, max ties), where no derivative exists.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(new Rng(0), 3, 4).requiresGrad(true);
 * GradCheck.Report r = GradCheck.check(in -> in[0].tanh().sum(1), x);
 * if (!r.passed()) throw new AssertionError(r);
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** The outcome: the worst element, and where it was. */
    public record Report(boolean passed, double maxAbsError, int input, int element, double analytic,
                         double numeric) {
        @Override
        public String toString() {
            return (passed ? "gradients agree" : "gradients DISAGREE") + String.format(java.util.Locale.ROOT,
                    ": worst at input %d element %d: analytic %.6g vs numeric %.6g (|diff| %.3g)",
                    input, element, analytic, numeric, maxAbsError);
        }
    }

    /** Checks with {@code eps = 1e-2}, {@code rtol = 1e-2}, {@code atol = 1e-3}. */
    public static Report check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, 1e-2, 1e-2, 1e-3, inputs);
    }

    /**
     * Compares analytic and numeric gradients of {@code f} with respect to every input that
     * requires grad. The inputs' values are restored afterwards; their {@code grad} is reset.
     */
    public static Report check(Function<Tensor[], Tensor> f, double eps, double rtol, double atol, Tensor... inputs) {
        Tensor probe;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            probe = f.apply(inputs);
        }
        Tensor weights = Tensor.uniform(new Rng(1234), 0.5f, 1.5f, probe.shape());
        for (Tensor in : inputs) {
            in.zeroGrad();
        }
        Tensor loss = f.apply(inputs).mul(weights).sum();
        loss.backward();

        Report worst = new Report(true, 0, -1, -1, 0, 0);
        double worstRatio = -1;
        for (int which = 0; which < inputs.length; which++) {
            Tensor in = inputs[which];
            if (!in.requiresGrad()) {
                continue;
            }
            float[] x = in.data();
            float[] analytic = in.grad() == null ? new float[x.length] : in.grad().data();
            for (int i = 0; i < x.length; i++) {
                float original = x[i];
                x[i] = (float) (original + eps);
                double plus = weightedSum(f, inputs, weights);
                x[i] = (float) (original - eps);
                double minus = weightedSum(f, inputs, weights);
                x[i] = original;
                double numeric = (plus - minus) / (2 * eps);
                double diff = Math.abs(analytic[i] - numeric);
                double ratio = diff / (atol + rtol * Math.abs(numeric));
                if (Double.isNaN(ratio)) {
                    ratio = Double.POSITIVE_INFINITY; // a NaN on either side is a failure, never skipped
                }
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = new Report(ratio <= 1, diff, which, i, analytic[i], numeric);
                }
            }
            in.zeroGrad();
        }
        return worst;
    }

    private static double weightedSum(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor weights) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            float[] y = f.apply(inputs).data();
            float[] w = weights.data();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (double) y[i] * w[i];
            }
            return s;
        }
    }
}
