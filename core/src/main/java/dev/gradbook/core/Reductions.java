package dev.gradbook.core;

import java.util.Arrays;

/**
 * Reductions collapse a dimension (or all of them): sum, mean, max / min, variance,
 * log-sum-exp, and the softmax family built on them.
 *
 * <p>Along a dimension {@code d}, a tensor is viewed as {@code (outer, n, inner)}: {@code outer}
 * is the product of the sizes before {@code d}, {@code n} the size of {@code d}, {@code inner}
 * the product after it. Element {@code [o, j, i]} sits at {@code (o * n + j) * inner + i}.
 * Sums accumulate in {@code double}.
 *
 * <p>Only sum and max/min are primitives with their own backward; mean, var, logsumexp, softmax
 * and log-softmax are compositions, so autograd derives their gradients.
 */
final class Reductions {
    private Reductions() {
    }

    // ------------------------------------------------------------ sum and mean

    static Tensor sum(Tensor a) {
        double total = 0;
        for (float v : a.data()) {
            total += v;
        }
        Tensor out = Tensor.scalar((float) total);
        // d(sum a)/da_i = 1: every element receives the output's gradient
        return out.recordOp("sum", g -> a.accumulateGrad(Tensor.full(g.item(), a.shape())), a);
    }

    static Tensor sum(Tensor a, int dim, boolean keepDim) {
        int d = Shape.dim("sum", dim, a.dim());
        Tensor out = sumRaw(a, d, keepDim);
        int[] kept = keptShape(a.shape(), d);
        // d(sum_j a_j)/da_j = 1: the gradient is copied back along the summed dimension
        return out.recordOp("sum", g -> a.accumulateGrad(g.reshape(kept).expand(a.shape())), a);
    }

    static Tensor mean(Tensor a) {
        return sum(a).div(a.numel());
    }

    static Tensor mean(Tensor a, int dim, boolean keepDim) {
        int d = Shape.dim("mean", dim, a.dim());
        return sum(a, d, keepDim).div(a.size(d));
    }

    /** The sum along {@code d} without recording anything. */
    static Tensor sumRaw(Tensor a, int d, boolean keepDim) {
        int[] shape = a.shape();
        int outer = Shape.product(shape, 0, d);
        int n = shape[d];
        int inner = Shape.product(shape, d + 1, shape.length);
        float[] x = a.data();
        float[] out = StepArena.floats(outer * inner);
        double[] acc = new double[inner];
        for (int o = 0; o < outer; o++) {
            Arrays.fill(acc, 0);
            for (int j = 0; j < n; j++) {
                int base = (o * n + j) * inner;
                for (int i = 0; i < inner; i++) {
                    acc[i] += x[base + i];
                }
            }
            for (int i = 0; i < inner; i++) {
                out[o * inner + i] = (float) acc[i];
            }
        }
        return new Tensor(out, keepDim ? keptShape(shape, d) : removedShape(shape, d));
    }

    /**
     * Sums a gradient of a broadcast shape back to {@code target}: over the leading dimensions
     * that broadcasting added, and over every dimension where {@code target} has size 1.
     */
    static Tensor sumToShape(Tensor g, int[] target) {
        int[] shape = g.shape();
        if (Arrays.equals(shape, target)) {
            return g;
        }
        int lead = shape.length - target.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumToShape: gradient of shape " + Shape.format(shape)
                    + " cannot be reduced to " + Shape.format(target));
        }
        Tensor r = g;
        if (lead > 0) {
            int leading = Shape.product(shape, 0, lead);
            r = sumRaw(new Tensor(g.data(), new int[] {leading, Shape.product(shape, lead, shape.length)}), 0, false);
            r = new Tensor(r.data(), Arrays.copyOfRange(shape, lead, shape.length));
        }
        for (int d = 0; d < target.length; d++) {
            if (target[d] == 1 && r.size(d) != 1) {
                r = sumRaw(r, d, true);
            } else if (target[d] != r.size(d)) {
                throw new IllegalArgumentException("sumToShape: gradient of shape " + Shape.format(shape)
                        + " cannot be reduced to " + Shape.format(target));
            }
        }
        return r;
    }

    // ------------------------------------------------------------ max and min

    /** The largest (or smallest) element; NaN wins, as in PyTorch. */
    static Tensor extreme(Tensor a, boolean max) {
        int at = argExtreme(a, max);
        Tensor out = Tensor.scalar(a.data()[at]);
        // the gradient flows only to the element that was picked
        return out.recordOp(max ? "max" : "min", g -> {
            Tensor ga = Tensor.zeros(a.shape());
            ga.data()[at] = g.item();
            a.accumulateOwnGrad(ga);
        }, a);
    }

    static int argExtreme(Tensor a, boolean max) {
        float[] x = a.data();
        if (x.length == 0) {
            throw new IllegalArgumentException((max ? "max" : "min") + ": the tensor is empty (shape "
                    + Shape.format(a.shape()) + ")");
        }
        int best = 0;
        for (int i = 1; i < x.length && !Float.isNaN(x[best]); i++) {
            if (Float.isNaN(x[i]) || (max ? x[i] > x[best] : x[i] < x[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Max (or min) along {@code dim}, with the position of the first occurrence. */
    static Tensor.ValuesAndIndices extreme(Tensor a, int dim, boolean keepDim, boolean max) {
        String name = max ? "max" : "min";
        int[] shape = a.shape();
        int d = Shape.dim(name, dim, shape.length);
        int outer = Shape.product(shape, 0, d);
        int n = shape[d];
        int inner = Shape.product(shape, d + 1, shape.length);
        if (n == 0) {
            throw new IllegalArgumentException(name + ": dimension " + dim + " of shape " + Shape.format(shape)
                    + " is empty");
        }
        float[] x = a.data();
        float[] values = StepArena.floats(outer * inner);
        int[] where = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                float bestValue = x[o * n * inner + i];
                for (int j = 1; j < n && !Float.isNaN(bestValue); j++) {
                    float v = x[(o * n + j) * inner + i];
                    if (Float.isNaN(v) || (max ? v > bestValue : v < bestValue)) {
                        best = j;
                        bestValue = v;
                    }
                }
                values[o * inner + i] = bestValue;
                where[o * inner + i] = best;
            }
        }
        int[] outShape = keepDim ? keptShape(shape, d) : removedShape(shape, d);
        Tensor out = new Tensor(values, outShape);
        // the gradient of each output flows to the one input it was taken from
        out.recordOp(name, g -> {
            float[] gd = g.data();
            float[] ga = StepArena.floats(x.length);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    ga[(o * n + where[o * inner + i]) * inner + i] += gd[o * inner + i];
                }
            }
            a.accumulateOwnGrad(new Tensor(ga, shape));
        }, a);
        return new Tensor.ValuesAndIndices(out, IntTensor.wrap(where, outShape));
    }

    /**
     * For each slice along {@code dim}, the positions of its {@code k} largest values, largest
     * first; a stable sort keeps equal values in index order, and NaN sorts above everything.
     */
    static IntTensor topkIndices(Tensor a, int k, int dim) {
        int[] shape = a.shape();
        int d = Shape.dim("topk", dim, shape.length);
        int n = shape[d];
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("topk: k = " + k + " is out of range [0, " + n + "] for dimension "
                    + dim + " of shape " + Shape.format(shape));
        }
        int outer = Shape.product(shape, 0, d);
        int inner = Shape.product(shape, d + 1, shape.length);
        float[] x = a.data();
        int[] out = new int[outer * k * inner];
        Integer[] order = new Integer[n];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                for (int j = 0; j < n; j++) {
                    order[j] = j;
                }
                // Float.compare orders NaN above +inf; reversed gives largest first, and the sort is stable
                Arrays.sort(order, (p, q) -> Float.compare(x[base + q * inner], x[base + p * inner]));
                for (int j = 0; j < k; j++) {
                    out[(o * k + j) * inner + i] = order[j];
                }
            }
        }
        int[] outShape = shape.clone();
        outShape[d] = k;
        return IntTensor.wrap(out, outShape);
    }

    // ------------------------------------------------------------ compositions

    /** {@code sum((x - mean)^2) / (n - c)}, {@code c} 1 (unbiased) or 0 (biased). */
    static Tensor var(Tensor a, int dim, Correction correction, boolean keepDim) {
        int d = Shape.dim("var", dim, a.dim());
        int n = a.size(d);
        Tensor centred = a.sub(a.mean(d, true));
        return centred.square().sum(d, keepDim).div(correction.divisor(n));
    }

    /**
     * {@code log sum_j exp(x_j) = m + log sum_j exp(x_j - m)} for any constant m. Choosing
     * {@code m = max_j x_j} makes every exponent {@code <= 0}, so nothing overflows, and the
     * largest term is exactly 1, so the sum never underflows to 0. The shift is treated as a
     * constant (detached): the identity holds for any m, so its gradient contribution is zero.
     */
    static Tensor logsumexp(Tensor a, int dim, boolean keepDim) {
        int d = Shape.dim("logsumexp", dim, a.dim());
        Tensor m = shift(a, d);
        Tensor result = a.sub(m).exp().sum(d, true).log().add(m);
        return keepDim ? result : result.squeeze(d);
    }

    /**
     * {@code softmax(x)_j = exp(x_j - m) / sum_k exp(x_k - m)}, m the (detached) max, as above.
     * The readable definition; {@link SoftmaxOps} computes the same in one fused op for speed.
     */
    static Tensor softmaxComposed(Tensor a, int dim) {
        int d = Shape.dim("softmax", dim, a.dim());
        Tensor m = shift(a, d);
        Tensor e = a.sub(m).exp();
        return e.div(e.sum(d, true));
    }

    /**
     * The shift m for logsumexp and softmax: the detached max along {@code d}, replaced by 0 where
     * it is infinite (a row of -inf would give -inf - -inf = NaN) and used as 0 for an empty
     * dimension, whose logsumexp is log(0) = -inf and whose softmax is empty, as in PyTorch.
     */
    private static Tensor shift(Tensor a, int d) {
        if (a.size(d) == 0) {
            return Tensor.zeros(keptShape(a.shape(), d));
        }
        return Elementwise.map(a.max(d, true).detach(), v -> Float.isInfinite(v) ? 0f : v);
    }

    /**
     * {@code log softmax(x)_j = x_j - logsumexp(x)}: exact even where softmax underflows to 0.
     * The readable definition; {@link SoftmaxOps} computes the same in one fused op for speed.
     */
    static Tensor logSoftmaxComposed(Tensor a, int dim) {
        int d = Shape.dim("logSoftmax", dim, a.dim());
        return a.sub(logsumexp(a, d, true));
    }

    // ------------------------------------------------------------ shapes

    static int[] keptShape(int[] shape, int d) {
        int[] kept = shape.clone();
        kept[d] = 1;
        return kept;
    }

    static int[] removedShape(int[] shape, int d) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, k = 0; i < shape.length; i++) {
            if (i != d) {
                out[k++] = shape[i];
            }
        }
        return out;
    }
}
