package dev.gradbook.nn.generative;

import dev.gradbook.core.Tensor;

/**
 * The forward (noising) process of a denoising diffusion model (Ho, Jain and Abbeel, "Denoising
 * Diffusion Probabilistic Models", NeurIPS 2020, section 2): T steps that each shrink the data a
 * little and add Gaussian noise,
 * <pre>
 *   q(x_t | x_(t-1)) = N( sqrt(alpha_t) x_(t-1), beta_t I ),     alpha_t = 1 - beta_t
 * </pre>
 * Composing them gives every step in closed form (equation 4), which is what makes training cheap:
 * <pre>
 *   q(x_t | x_0) = N( sqrt(alphaBar_t) x_0, (1 - alphaBar_t) I ),   alphaBar_t = prod over s &lt;= t of alpha_s
 *   x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps,           eps ~ N(0, I)
 * </pre>
 * Steps are indexed {@code t = 0 .. T-1} here (the paper's 1 .. T). The linear schedule of
 * section 4 runs beta from 1e-4 to 0.02 over T = 1000; for another T the end points are scaled
 * by 1000 / T so that the total noise is about the same.
 */
public final class NoiseSchedule {
    private final double[] beta;
    private final double[] alpha;
    private final double[] alphaBar;

    /** The given betas, each in (0, 1). */
    public NoiseSchedule(double[] beta) {
        if (beta.length == 0) {
            throw new IllegalArgumentException("NoiseSchedule: needs at least one step");
        }
        this.beta = beta.clone();
        this.alpha = new double[beta.length];
        this.alphaBar = new double[beta.length];
        double prod = 1;
        for (int t = 0; t < beta.length; t++) {
            if (!(beta[t] > 0 && beta[t] < 1)) {
                throw new IllegalArgumentException("NoiseSchedule: beta[" + t + "] = " + beta[t] + " is not in (0, 1)");
            }
            alpha[t] = 1 - beta[t];
            prod *= alpha[t];
            alphaBar[t] = prod;
        }
    }

    /** Ho et al.'s linear schedule over {@code steps} steps (section 4), end points scaled by 1000 / steps. */
    public static NoiseSchedule linear(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("NoiseSchedule.linear: steps must be >= 2, got " + steps);
        }
        double scale = 1000.0 / steps;
        double lo = 1e-4 * scale;
        double hi = Math.min(0.999, 0.02 * scale);
        double[] b = new double[steps];
        for (int t = 0; t < steps; t++) {
            b[t] = lo + (hi - lo) * t / (steps - 1);
        }
        return new NoiseSchedule(b);
    }

    public int steps() {
        return beta.length;
    }

    public double beta(int t) {
        return beta[t];
    }

    public double alpha(int t) {
        return alpha[t];
    }

    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /**
     * {@code x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps} for a batch: x0 and eps
     * {@code (B, ...)}, one step {@code t[b]} per example.
     */
    public Tensor sample(Tensor x0, int[] t, Tensor eps) {
        if (x0.dim() < 1 || x0.size(0) != t.length || !java.util.Arrays.equals(x0.shape(), eps.shape())) {
            throw new IllegalArgumentException("NoiseSchedule.sample: x0 " + java.util.Arrays.toString(x0.shape())
                    + ", eps " + java.util.Arrays.toString(eps.shape()) + " and " + t.length + " steps do not match");
        }
        int[] column = new int[x0.dim()];
        java.util.Arrays.fill(column, 1);
        column[0] = t.length;
        float[] signal = new float[t.length];
        float[] noise = new float[t.length];
        for (int b = 0; b < t.length; b++) {
            if (t[b] < 0 || t[b] >= steps()) {
                throw new IllegalArgumentException("NoiseSchedule.sample: step " + t[b] + " outside 0.." + (steps() - 1));
            }
            signal[b] = (float) Math.sqrt(alphaBar[t[b]]);
            noise[b] = (float) Math.sqrt(1 - alphaBar[t[b]]);
        }
        return x0.mul(Tensor.wrap(signal, column)).add(eps.mul(Tensor.wrap(noise, column))); // (B, ...)
    }
}
