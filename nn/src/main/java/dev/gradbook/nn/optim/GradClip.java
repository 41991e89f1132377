package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

/**
 * Gradient clipping, applied between {@code backward()} and {@code step()} to stop one bad batch
 * from throwing the weights far away (Pascanu, Mikolov &amp; Bengio 2013, "On the difficulty of
 * training recurrent neural networks", section 3.2, Algorithm 1).
 * <pre>{@code
 * loss.backward();
 * float norm = GradClip.clipByNorm(model.parameters(), 1f);   // log it: spikes show trouble
 * optimizer.step();
 * }</pre>
 * Parameters without a gradient are skipped. The gradients are modified in place.
 */
public final class GradClip {
    /** Keeps the scale finite when the norm is 0 (PyTorch adds the same 1e-6). */
    private static final double EPS = 1e-6;

    private GradClip() {
    }

    /**
     * Rescales all gradients together so that their global L2 norm is at most {@code maxNorm}
     * (PyTorch's {@code clip_grad_norm_}); directions are unchanged:
     * <pre>
     *   n = sqrt(sum over parameters and elements of g^2)
     *   if n &gt; maxNorm:  g = g * maxNorm / (n + 1e-6)
     * </pre>
     * Returns {@code n}, the norm before clipping (NaN or infinity if a gradient is not finite;
     * the gradients are then scaled into NaN, as in PyTorch, so check the result).
     */
    public static float clipByNorm(Iterable<Tensor> parameters, float maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipByNorm: maxNorm must be > 0, got " + maxNorm);
        }
        double norm = Math.sqrt(sumOfSquares(parameters));
        double scale = maxNorm / (norm + EPS);
        if (scale < 1 || Double.isNaN(scale)) {
            for (Tensor p : parameters) {
                if (p.grad() != null) {
                    p.grad().mulInPlace((float) scale);
                }
            }
        }
        return (float) norm;
    }

    /** The global L2 norm of all gradients, without changing them. */
    public static float gradNorm(Iterable<Tensor> parameters) {
        return (float) Math.sqrt(sumOfSquares(parameters));
    }

    private static double sumOfSquares(Iterable<Tensor> parameters) {
        double sumSq = 0;
        for (Tensor p : parameters) {
            if (p.grad() != null) {
                for (float g : p.grad().data()) {
                    sumSq += (double) g * g;
                }
            }
        }
        return sumSq;
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]} (PyTorch's {@code clip_grad_value_}). */
    public static void clipByValue(Iterable<Tensor> parameters, float clipValue) {
        if (!(clipValue > 0)) {
            throw new IllegalArgumentException("clipByValue: clipValue must be > 0, got " + clipValue);
        }
        for (Tensor p : parameters) {
            if (p.grad() != null) {
                float[] g = p.grad().data();
                for (int i = 0; i < g.length; i++) {
                    g[i] = Math.max(-clipValue, Math.min(clipValue, g[i]));
                }
            }
        }
    }
}
