package dev.gradbook.nn.generative;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * Deterministic DDIM sampling (Song, Meng and Ermon, "Denoising Diffusion Implicit Models", ICLR
 * 2021, equation 12 with {@code eta = 0}): the same trained network, but only S of the T steps,
 * {@code tau_S > ... > tau_1}, each jumping straight to the next one kept,
 * <pre>
 *   x0_hat  = ( x_t - sqrt(1 - alphaBar_t) eps_theta(x_t, t) ) / sqrt(alphaBar_t)
 *   x_prev  = sqrt(alphaBar_prev) x0_hat + sqrt(1 - alphaBar_prev) eps_theta(x_t, t)
 * </pre>
 * (alphaBar_prev = 1 after the last step). Only the marginals {@code q(x_t | x_0)} enter, not the
 * step-by-step chain, which is why a model trained for T steps can be sampled in far fewer.
 * With {@code clip}, x0_hat is clamped to the data's range before each jump.
 */
public final class DdimSampler {
    private final NoiseSchedule schedule;
    private final int steps;
    private final float clipLow;
    private final float clipHigh;

    /** {@code steps} evenly spaced steps of the schedule, no clamping. */
    public DdimSampler(NoiseSchedule schedule, int steps) {
        this(schedule, steps, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** {@code steps} evenly spaced steps; each x0_hat clamped to {@code [clipLow, clipHigh]}. */
    public DdimSampler(NoiseSchedule schedule, int steps, float clipLow, float clipHigh) {
        if (steps < 1 || steps > schedule.steps()) {
            throw new IllegalArgumentException("DdimSampler: steps must be in 1.." + schedule.steps() + ", got " + steps);
        }
        this.schedule = schedule;
        this.steps = steps;
        this.clipLow = clipLow;
        this.clipHigh = clipHigh;
    }

    /** The kept steps, descending: {@code round(i * (T - 1) / (S - 1))} for S > 1, and T - 1 for S = 1. */
    public int[] timesteps() {
        int[] tau = new int[steps];
        int last = schedule.steps() - 1;
        for (int i = 0; i < steps; i++) {
            tau[steps - 1 - i] = steps == 1 ? last : (int) Math.round((double) i * last / (steps - 1));
        }
        return tau;
    }

    /** {@code x_0} of shape {@code shape}, from {@code x_T ~ N(0, I)} drawn with rng. */
    public Tensor sample(NoisePredictor model, Rng rng, int... shape) {
        try (var noGrad = Autograd.noGrad()) {
            Tensor x = Tensor.randn(rng, shape);
            int[] tau = timesteps();
            for (int i = 0; i < tau.length; i++) {
                int t = tau[i];
                double ab = schedule.alphaBar(t);
                double abPrev = i + 1 < tau.length ? schedule.alphaBar(tau[i + 1]) : 1.0;
                Tensor eps = model.predict(x, t);
                Tensor x0 = x.sub(eps.mul((float) Math.sqrt(1 - ab))).mul((float) (1 / Math.sqrt(ab)));
                if (clipLow > Float.NEGATIVE_INFINITY || clipHigh < Float.POSITIVE_INFINITY) {
                    x0 = x0.clamp(clipLow, clipHigh);
                    eps = x.sub(x0.mul((float) Math.sqrt(ab))).mul((float) (1 / Math.sqrt(1 - ab)));
                }
                x = x0.mul((float) Math.sqrt(abPrev)).add(eps.mul((float) Math.sqrt(1 - abPrev)));
            }
            return x;
        }
    }
}
