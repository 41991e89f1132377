package dev.gradbook.core;

/**
 * Softmax and log-softmax as single fused ops: one pass for the max, one for the sum of
 * exponentials, one to write the result, and a hand-written backward. They compute exactly what
 * the compositions in {@link Reductions#softmaxComposed} and {@link Reductions#logSoftmaxComposed}
 * compute (the tests check values and gradients against them), about ten times faster, which
 * matters because attention and cross-entropy call them on every step.
 *
 * <p>Backward, with {@code y} the output and {@code g} its gradient, along the softmax dimension:
 * <pre>
 *   softmax:      dy_j/dx_i = y_j (delta_ij - y_i)   =>  dx_i = y_i (g_i - sum_j g_j y_j)
 *   log-softmax:  dy_j/dx_i = delta_ij - p_i         =>  dx_i = g_i - p_i sum_j g_j,  p = exp(y)
 * </pre>
 * Rows are viewed as {@code (outer, n, inner)} exactly as in {@link Reductions}.
 */
final class SoftmaxOps {
    private SoftmaxOps() {
    }

    static Tensor softmax(Tensor a, int dim) {
        return fused(a, Shape.dim("softmax", dim, a.dim()), false);
    }

    static Tensor logSoftmax(Tensor a, int dim) {
        return fused(a, Shape.dim("logSoftmax", dim, a.dim()), true);
    }

    private static Tensor fused(Tensor a, int d, boolean log) {
        int[] shape = a.shape();
        int outer = Shape.product(shape, 0, d);
        int n = shape[d];
        int inner = Shape.product(shape, d + 1, shape.length);
        float[] x = a.data();
        float[] y = StepArena.floats(x.length);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                // the shift m = max_j x_j makes every exponent <= 0 (a row of -inf keeps m = 0)
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    float v = x[base + j * inner];
                    m = v > m || v != v ? v : m;
                }
                if (Float.isInfinite(m)) {
                    m = 0f;
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += Math.exp(x[base + j * inner] - m);
                }
                if (log) {
                    float logSum = (float) (m + Math.log(sum));
                    for (int j = 0; j < n; j++) {
                        y[base + j * inner] = x[base + j * inner] - logSum;
                    }
                } else {
                    double scale = 1 / sum;
                    for (int j = 0; j < n; j++) {
                        y[base + j * inner] = (float) (Math.exp(x[base + j * inner] - m) * scale);
                    }
                }
            }
        }
        Tensor out = new Tensor(y, shape);
        return out.recordOp(log ? "logSoftmax" : "softmax", g -> {
            float[] gd = g.data();
            float[] dx = StepArena.floats(x.length);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int base = o * n * inner + i;
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        int k = base + j * inner;
                        dot += log ? gd[k] : (double) gd[k] * y[k];
                    }
                    for (int j = 0; j < n; j++) {
                        int k = base + j * inner;
                        dx[k] = log ? (float) (gd[k] - Math.exp(y[k]) * dot) : (float) (y[k] * (gd[k] - dot));
                    }
                }
            }
            a.accumulateOwnGrad(new Tensor(dx, shape));
        }, a);
    }
}
