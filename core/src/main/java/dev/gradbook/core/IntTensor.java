package dev.gradbook.core;

import java.util.Arrays;

/**
 * An n-dimensional array of {@code int} (int32), row-major and contiguous: the index type of
 * Gradbook. Token ids, class targets, the positions {@link Tensor#argmax(int)} and
 * {@link Tensor#topk(int, int)} return, and the indices that {@link Tensor#gather(int, IntTensor)},
 * {@link Tensor#indexSelect(int, IntTensor)}, embeddings and the classification losses read are
 * all {@code IntTensor}s, as they are {@code torch.long} tensors in PyTorch.
 *
 * <p>An index is not a quantity: there is no arithmetic and no autograd here. Converting
 * between the two kinds is always explicit: {@link #toFloat()} turns indices into values (for a
 * plot or an average), and {@link Tensor#toIntTensor()} turns whole-number values into indices,
 * failing on anything that is not a whole number. Saved to safetensors as I64.
 */
public final class IntTensor {
    private final int[] data;
    private final int[] shape;

    /** Wraps {@code data} (not copied) as a tensor of {@code shape}. */
    private IntTensor(int[] data, int[] shape) {
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("IntTensor: negative size in shape " + Shape.format(shape));
            }
        }
        int n = Shape.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("IntTensor: shape " + Shape.format(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        this.data = data;
        this.shape = shape;
    }

    // ---------------------------------------------------------------- creation

    /** A tensor holding a copy of {@code values} with the given shape ({@code [values.length]} if none is given). */
    public static IntTensor of(int[] values, int... shape) {
        return new IntTensor(values.clone(), shape.length == 0 ? new int[] {values.length} : shape.clone());
    }

    /** A 1-D tensor of the given values. */
    public static IntTensor vector(int... values) {
        return new IntTensor(values.clone(), new int[] {values.length});
    }

    /** A 0-D tensor holding one index. */
    public static IntTensor scalar(int value) {
        return new IntTensor(new int[] {value}, new int[0]);
    }

    /** Wraps {@code data} without copying it: later writes to the array show in the tensor. */
    public static IntTensor wrap(int[] data, int... shape) {
        return new IntTensor(data, shape.clone());
    }

    public static IntTensor zeros(int... shape) {
        return new IntTensor(new int[Shape.numel(shape)], shape.clone());
    }

    /** {@code 0, 1, ..., end - 1}. */
    public static IntTensor arange(int end) {
        if (end < 0) {
            throw new IllegalArgumentException("IntTensor.arange: end must be >= 0, got " + end);
        }
        int[] out = new int[end];
        Arrays.setAll(out, i -> i);
        return new IntTensor(out, new int[] {end});
    }

    /** Uniform whole numbers in {@code [low, high)}. */
    public static IntTensor randint(Rng rng, int low, int high, int... shape) {
        int[] out = new int[Shape.numel(shape)];
        for (int i = 0; i < out.length; i++) {
            out[i] = rng.nextInt(low, high);
        }
        return new IntTensor(out, shape.clone());
    }

    // ---------------------------------------------------------------- inspection

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions (0 for a scalar). */
    public int dim() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    /** The size of one dimension ({@code -1} is the last). */
    public int size(int dim) {
        return shape[Shape.dim("size", dim, shape.length)];
    }

    /** The backing array, row-major. Writing into it changes the tensor. */
    public int[] data() {
        return data;
    }

    /** A copy of the values. */
    public int[] toArray() {
        return data.clone();
    }

    /** The value at one position, e.g. {@code ids.get(1, 2)}; negative coordinates count from the end. */
    public int get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates, tensor has shape " + Shape.format(shape));
        }
        int off = 0;
        for (int d = 0; d < shape.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IllegalArgumentException("get: index " + Arrays.toString(index)
                        + " is out of bounds for shape " + Shape.format(shape));
            }
            off = off * shape[d] + i;
        }
        return data[off];
    }

    /** The value of a one-element tensor. */
    public int item() {
        if (data.length != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Shape.format(shape) + " has "
                    + data.length + " elements, not 1");
        }
        return data[0];
    }

    /** An independent copy. */
    public IntTensor copy() {
        return new IntTensor(data.clone(), shape.clone());
    }

    // ---------------------------------------------------------------- shapes

    /** The same values with a new shape (one size may be -1). Shares storage with this tensor. */
    public IntTensor reshape(int... newShape) {
        return new IntTensor(data, Shape.infer("reshape", shape, newShape));
    }

    /** A new dimension of size 1 at {@code dim}. Shares storage with this tensor. */
    public IntTensor unsqueeze(int dim) {
        int d = Shape.dim("unsqueeze", dim, shape.length + 1);
        int[] out = new int[shape.length + 1];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = i == d ? 1 : shape[k++];
        }
        return new IntTensor(data, out);
    }

    /** {@code length} entries along {@code dim}, starting at {@code start} (a copy). */
    public IntTensor narrow(int dim, int start, int length) {
        int d = Shape.dim("narrow", dim, shape.length);
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new IllegalArgumentException("narrow: [" + start + ", " + (start + length) + ") is out of range [0, "
                    + shape[d] + "] for dimension " + dim + " of shape " + Shape.format(shape));
        }
        int outer = Shape.product(shape, 0, d);
        int inner = Shape.product(shape, d + 1, shape.length);
        int[] out = new int[outer * length * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(data, (o * shape[d] + start) * inner, out, o * length * inner, length * inner);
        }
        int[] outShape = shape.clone();
        outShape[d] = length;
        return new IntTensor(out, outShape);
    }

    /** The rows {@code rows} of the first dimension, in that order (a copy): a batch of examples. */
    public IntTensor rows(int... rows) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("rows: a 0-D tensor has no rows");
        }
        int rowSize = Shape.product(shape, 1, shape.length);
        int[] out = new int[rows.length * rowSize];
        for (int b = 0; b < rows.length; b++) {
            if (rows[b] < 0 || rows[b] >= shape[0]) {
                throw new IllegalArgumentException("rows: index " + rows[b] + " out of range [0, " + shape[0] + ")");
            }
            System.arraycopy(data, rows[b] * rowSize, out, b * rowSize, rowSize);
        }
        int[] outShape = shape.clone();
        outShape[0] = rows.length;
        return new IntTensor(out, outShape);
    }

    // ---------------------------------------------------------------- masks

    /** A float mask of this shape: 1 where the index equals {@code value}, else 0. */
    public Tensor eq(int value) {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] == value ? 1f : 0f;
        }
        return new Tensor(out, shape.clone());
    }

    /** A float mask: 1 where this and {@code other} (of the same shape) hold the same index, else 0. */
    public Tensor eq(IntTensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException("eq: shapes " + Shape.format(shape) + " and "
                    + Shape.format(other.shape) + " differ");
        }
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] == other.data[i] ? 1f : 0f;
        }
        return new Tensor(out, shape.clone());
    }

    /** A float mask of this shape: 1 where the index differs from {@code value} (e.g. not padding), else 0. */
    public Tensor ne(int value) {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] != value ? 1f : 0f;
        }
        return new Tensor(out, shape.clone());
    }

    // ---------------------------------------------------------------- conversions

    /** The indices as float values, same shape (exact up to 2^24). */
    public Tensor toFloat() {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i];
        }
        return new Tensor(out, shape.clone());
    }

    /**
     * Checks that every index lies in {@code [0, bound)}, else throws naming {@code op}, the
     * offending index and the bound: {@code "embedding: index 70 out of range [0, 65)"}.
     */
    public IntTensor checkRange(String op, int bound) {
        for (int v : data) {
            if (v < 0 || v >= bound) {
                throw new IllegalArgumentException(op + ": index " + v + " out of range [0, " + bound + ")");
            }
        }
        return this;
    }

    /** Same shape and same values. */
    @Override
    public boolean equals(Object other) {
        return other instanceof IntTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** Shape and values, truncated when large, as {@link Tensor#toString()} prints them. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
