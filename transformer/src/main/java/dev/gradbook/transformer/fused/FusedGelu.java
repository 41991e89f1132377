package dev.gradbook.transformer.fused;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.StepArena;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.kernels.Parallel;
import dev.gradbook.nn.Layer;

/**
 * GELU with GPT-2's tanh approximation (Hendrycks and Gimpel 2016, section 2), the function of
 * {@code GELU.tanhApproximation()} and {@link Tensor#geluTanh()}, in one loop each way:
 * <pre>
 *   u = sqrt(2/pi) (x + 0.044715 x^3),   t = tanh(u),   y = x (1 + t) / 2
 *   dy/dx = (1 + t) / 2 + x (1 - t^2) / 2 * sqrt(2/pi) (1 + 3 * 0.044715 x^2)
 * </pre>
 * The backward computes {@code t} again rather than keeping it from the forward: the rational
 * function below costs a few multiplications, and not keeping it saves an array the size of the
 * MLP's hidden layer per block and step.
 *
 * <p>{@code tanh} itself is the expensive part: {@code Math.tanh} and {@code Math.exp} cost a
 * few nanoseconds each and stop the JIT from vectorising the loop. Here it is a rational
 * function, {@code tanh(u) ~ u P(u^2) / Q(u^2)} with P and Q of degree 4, fitted for this class
 * on {@code [0, 9]} (least squares reweighted towards the minimax error, fit error below 2e-8),
 * then scaled so that it slightly exceeds 1 at {@code u = 9}. The input is clamped to
 * {@code [-9, 9]} and the result to {@code [-1, 1]}, so that, as in float arithmetic, tanh is
 * exactly ±1 in the tails (from {@code |u| ~ 7.6}). Evaluated in float the error is below 6e-7.
 * Only multiplications, additions, one division and min/max remain, which the JIT turns into
 * SIMD instructions: about ten times faster than {@code Math.exp}. The price is accuracy in the
 * far tail, where {@code 1 - t^2} is a difference of nearly equal numbers: gradients of inputs
 * beyond about |x| = 3 are off by up to 1e-5 (their true value is below 1e-3).
 */
public class FusedGelu extends Layer {
    /** Elements per block of work (see {@link Parallel}). */
    private static final int PER_BLOCK = 8192;
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float CUBIC = 0.044715f;
    private static final float P0 = 1.000000156691881f;
    private static final float P1 = 0.13373249797965261f;
    private static final float P2 = 0.003486640423316165f;
    private static final float P3 = 2.047277498203675e-05f;
    private static final float P4 = 1.318551145605828e-08f;
    private static final float Q1 = 0.4670654334068196f;
    private static final float Q2 = 0.025842199173513235f;
    private static final float Q3 = 0.00032714792668777384f;
    private static final float Q4 = 7.703192757223604e-07f;

    @Override
    public Tensor forward(Tensor input) {
        float[] x = input.data();
        float[] y = StepArena.floats(x.length);
        Parallel.forEachBlock(x.length, PER_BLOCK, 20, (block, from, to) -> {
            for (int i = from; i < to; i++) {
                float v = x[i];
                float th = tanh(SQRT_2_OVER_PI * (v + CUBIC * v * v * v));
                y[i] = 0.5f * v * (1 + th);
            }
        });
        Tensor out = Tensor.wrap(y, input.shape());
        return Autograd.customOp("gelu", out, g -> {
            float[] gd = g.data();
            float[] dx = StepArena.floats(x.length);
            Parallel.forEachBlock(x.length, PER_BLOCK, 20, (block, from, to) -> {
                for (int i = from; i < to; i++) {
                    float v = x[i];
                    float th = tanh(SQRT_2_OVER_PI * (v + CUBIC * v * v * v));
                    float du = SQRT_2_OVER_PI * (1 + 3 * CUBIC * v * v);
                    dx[i] = gd[i] * (0.5f * (1 + th) + 0.5f * v * (1 - th * th) * du);
                }
            });
            return new Tensor[] {Tensor.wrap(dx, input.shape())};
        }, input);
    }

    /** {@code tanh(u)} to within 6e-7, by the rational function above. */
    static float tanh(float u) {
        float c = Math.max(-9f, Math.min(9f, u));
        float z = c * c;
        float r = c * (P0 + z * (P1 + z * (P2 + z * (P3 + z * P4)))) / (1 + z * (Q1 + z * (Q2 + z * (Q3 + z * Q4))));
        return Math.max(-1f, Math.min(1f, r));
    }

    @Override
    protected String describe() {
        return "approximate=tanh, fused";
    }
}
