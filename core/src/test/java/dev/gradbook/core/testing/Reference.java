package dev.gradbook.core.testing;

import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * Reference computations written the slow, obvious way: explicit coordinates, one element at a
 * time, sums in {@code double}. They share no code with the library, so a test that compares
 * an op with its reference compares two independent derivations of the same numbers.
 */
public final class Reference {
    private Reference() {
    }

    /** A float-by-float function, for {@link #zip}. */
    @FunctionalInterface
    public interface FloatBinary {
        float apply(float x, float y);
    }

    /** The NumPy broadcast of two shapes, or null if they do not broadcast. */
    public static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int sa = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1;
            int sb = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
            if (sa == sb || sb == 1) {
                out[d] = sa;
            } else if (sa == 1) {
                out[d] = sb;
            } else {
                return null;
            }
        }
        return out;
    }

    /** The coordinates of row-major position {@code flat} in {@code shape}. */
    public static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /** The row-major position of {@code idx} in {@code shape}. */
    public static int ravel(int[] idx, int[] shape) {
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * shape[d] + idx[d];
        }
        return flat;
    }

    /** The element of a tensor of shape {@code from} that broadcasting puts at output coordinate {@code out}. */
    public static int broadcastSource(int[] out, int[] from) {
        int shift = out.length - from.length;
        int flat = 0;
        for (int d = 0; d < from.length; d++) {
            int i = from[d] == 1 ? 0 : out[d + shift];
            flat = flat * from[d] + i;
        }
        return flat;
    }

    /** {@code f(a, b)} element by element over the broadcast shape. */
    public static float[] zip(Tensor a, Tensor b, FloatBinary f) {
        int[] shape = broadcastShape(a.shape(), b.shape());
        float[] out = new float[numel(shape)];
        for (int p = 0; p < out.length; p++) {
            int[] idx = unravel(p, shape);
            out[p] = f.apply(a.data()[broadcastSource(idx, a.shape())], b.data()[broadcastSource(idx, b.shape())]);
        }
        return out;
    }

    /** The shape with dimension {@code dim} removed. */
    public static int[] without(int[] shape, int dim) {
        int[] out = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) {
            if (d != dim) {
                out[k++] = shape[d];
            }
        }
        return out;
    }

    /** Sums along {@code dim} in double; the result is laid out in the shape {@link #without} {@code dim}. */
    public static double[] sumAlong(Tensor x, int dim) {
        int[] shape = x.shape();
        int[] outShape = without(shape, dim);
        double[] out = new double[numel(outShape)];
        for (int p = 0; p < x.numel(); p++) {
            int[] idx = unravel(p, shape);
            out[ravel(without(idx, dim), outShape)] += x.data()[p];
        }
        return out;
    }

    /** The largest value along {@code dim}, laid out like {@link #sumAlong}. */
    public static double[] maxAlong(Tensor x, int dim) {
        int[] shape = x.shape();
        int[] outShape = without(shape, dim);
        double[] out = new double[numel(outShape)];
        Arrays.fill(out, Double.NEGATIVE_INFINITY);
        for (int p = 0; p < x.numel(); p++) {
            int q = ravel(without(unravel(p, shape), dim), outShape);
            out[q] = Math.max(out[q], x.data()[p]);
        }
        return out;
    }

    /** {@code C = A B} for row-major {@code (m, k)} and {@code (k, n)} matrices, accumulated in double. */
    public static float[] matmul(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = (float) s;
            }
        }
        return c;
    }

    /** The permuted values: output dimension {@code d} is input dimension {@code order[d]}. */
    public static float[] permute(Tensor x, int... order) {
        int[] shape = x.shape();
        int[] outShape = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            outShape[d] = shape[order[d]];
        }
        float[] out = new float[x.numel()];
        for (int p = 0; p < out.length; p++) {
            int[] o = unravel(p, outShape);
            int[] in = new int[shape.length];
            for (int d = 0; d < shape.length; d++) {
                in[order[d]] = o[d];
            }
            out[p] = x.data()[ravel(in, shape)];
        }
        return out;
    }

    public static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
