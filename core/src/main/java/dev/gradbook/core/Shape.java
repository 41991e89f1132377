package dev.gradbook.core;

import java.util.Arrays;

/**
 * Helpers for tensor shapes: element counts, row-major strides, dimension indices and the
 * NumPy broadcasting rule. A shape is an {@code int[]}; the empty array is a scalar.
 *
 * <p>Broadcasting (as in NumPy and PyTorch): align the two shapes at their last dimension;
 * each pair of sizes must be equal, or one of them must be 1 (it is stretched), or missing
 * (it counts as 1). {@code [4, 1, 3]} with {@code [5, 1]} gives {@code [4, 5, 3]}.
 */
public final class Shape {
    private Shape() {
    }

    /** The number of elements: the product of the sizes (1 for a scalar). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + format(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + format(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides: the step in the flat array for one step along each dimension. */
    public static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = step;
            step *= shape[d];
        }
        return strides;
    }

    /** {@code [2, 3]}: the form used in every error message. */
    public static String format(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Turns a possibly negative dimension ({@code -1} is the last) into an index, or names the problem. */
    public static int dim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for a tensor with "
                    + rank + " dimension" + (rank == 1 ? "" : "s"));
        }
        return d;
    }

    /** The product of sizes in {@code [from, to)}. */
    public static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) {
            p *= shape[d];
        }
        return p;
    }

    /** The broadcast shape of {@code a} and {@code b}, or an error naming the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int sa = i <= a.length ? a[a.length - i] : 1;
            int sb = i <= b.length ? b[b.length - i] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": shapes " + format(a) + " and " + format(b)
                        + " cannot be broadcast (dimension " + (-i) + ": " + sa + " vs " + sb + ")");
            }
            out[rank - i] = sa == 1 ? sb : sa;
        }
        return out;
    }

    /**
     * Strides for reading a tensor of shape {@code from} as if it had the (broadcast) shape
     * {@code to}: a stretched dimension gets stride 0, so every step along it reads the same element.
     */
    public static int[] broadcastStrides(int[] from, int[] to) {
        int[] own = strides(from);
        int[] out = new int[to.length];
        int shift = to.length - from.length;
        for (int d = 0; d < to.length; d++) {
            int fd = d - shift;
            out[d] = fd < 0 || from[fd] == 1 ? 0 : own[fd];
        }
        return out;
    }

    /**
     * The flat offset of every index over the first {@code dims} dimensions of {@code shape}, in
     * row-major order, in an array read with {@code strides}: entry {@code p} is
     * {@code sum_d i_d * strides[d]} for the p-th index {@code (i_0, ..., i_{dims-1})}. With
     * {@link #broadcastStrides} (stride 0 on a stretched dimension) this is broadcasting's walk;
     * with {@code dims = rank - 1} it gives where each row starts, for loops that then run along
     * the last dimension. One odometer for broadcasting, strided copies and batched products.
     */
    public static int[] offsets(int[] shape, int[] strides, int dims) {
        int count = product(shape, 0, dims);
        int[] out = new int[count];
        int[] counter = new int[dims];
        int off = 0;
        for (int p = 0; p < count; p++) {
            out[p] = off;
            for (int d = dims - 1; d >= 0; d--) {          // advance the odometer by one index
                counter[d]++;
                off += strides[d];
                if (counter[d] < shape[d]) {
                    break;
                }
                off -= strides[d] * shape[d];
                counter[d] = 0;
            }
        }
        return out;
    }

    /** Resolves one {@code -1} in a requested shape so that it holds {@code numel} elements. */
    public static int[] infer(String op, int[] current, int[] requested) {
        int[] out = requested.clone();
        int unknown = -1;
        long known = 1;
        for (int d = 0; d < out.length; d++) {
            if (out[d] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1 in " + format(requested));
                }
                unknown = d;
            } else if (out[d] < 0) {
                throw new IllegalArgumentException(op + ": negative size in " + format(requested));
            } else {
                known *= out[d];
            }
        }
        int n = numel(current);
        if (unknown >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot reshape " + format(current) + " (" + n
                        + " elements) to " + format(requested));
            }
            out[unknown] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": cannot reshape " + format(current) + " (" + n
                    + " elements) to " + format(requested) + " (" + known + " elements)");
        }
        return out;
    }
}
