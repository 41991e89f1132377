package dev.gradbook.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that move values around without changing them: reshape, permute, expand, slicing,
 * gathering and concatenation. Their backward passes move the gradient back the same way.
 *
 * <p>Tensors are always contiguous, so {@link #reshape} shares storage and everything else
 * copies. That keeps every kernel simple at the cost of some copies, the same trade PyTorch
 * makes when it calls {@code .contiguous()}.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    static Tensor reshape(Tensor a, int[] requested) {
        int[] shape = Shape.infer("reshape", a.shape(), requested);
        Tensor out = a.view(shape);
        // reshaping does not change values: the gradient is reshaped back
        return out.recordOp("reshape", g -> a.accumulateGrad(g.reshape(a.shape())), a);
    }

    static Tensor flatten(Tensor a, int startDim, int endDim) {
        int[] shape = a.shape();
        if (shape.length == 0) {
            return a.reshape(1);
        }
        int s = Shape.dim("flatten", startDim, shape.length);
        int e = Shape.dim("flatten", endDim, shape.length);
        if (e < s) {
            throw new IllegalArgumentException("flatten: end dimension " + endDim + " comes before start " + startDim);
        }
        int[] out = new int[shape.length - (e - s)];
        int k = 0;
        for (int d = 0; d < s; d++) {
            out[k++] = shape[d];
        }
        out[k++] = Shape.product(shape, s, e + 1);
        for (int d = e + 1; d < shape.length; d++) {
            out[k++] = shape[d];
        }
        return a.reshape(out);
    }

    static Tensor squeeze(Tensor a) {
        return a.reshape(Arrays.stream(a.shape()).filter(s -> s != 1).toArray());
    }

    static Tensor squeeze(Tensor a, int dim) {
        int[] shape = a.shape();
        int d = Shape.dim("squeeze", dim, shape.length);
        return shape[d] == 1 ? a.reshape(Reductions.removedShape(shape, d)) : a;
    }

    static Tensor unsqueeze(Tensor a, int dim) {
        int[] shape = a.shape();
        int d = Shape.dim("unsqueeze", dim, shape.length + 1);
        int[] out = new int[shape.length + 1];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = i == d ? 1 : shape[k++];
        }
        return a.reshape(out);
    }

    static Tensor transpose(Tensor a, int dim0, int dim1) {
        int[] order = new int[a.dim()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int d0 = Shape.dim("transpose", dim0, order.length);
        int d1 = Shape.dim("transpose", dim1, order.length);
        order[d0] = d1;
        order[d1] = d0;
        return permute(a, order);
    }

    /** Output dimension {@code i} is input dimension {@code order[i]}. */
    static Tensor permute(Tensor a, int[] order) {
        int[] shape = a.shape();
        int rank = shape.length;
        if (order.length != rank) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has " + order.length
                    + " entries, tensor has shape " + Shape.format(shape));
        }
        int[] perm = new int[rank];
        boolean[] used = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = Shape.dim("permute", order[i], rank);
            if (used[perm[i]]) {
                throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " repeats a dimension");
            }
            used[perm[i]] = true;
        }
        int[] inStrides = Shape.strides(shape);
        int[] outShape = new int[rank];
        int[] readStrides = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
            readStrides[i] = inStrides[perm[i]];
        }
        Tensor out = new Tensor(strideCopy(a.data(), readStrides, outShape), outShape);
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[perm[i]] = i;
        }
        // a permutation is undone by its inverse
        return out.recordOp("permute", g -> a.accumulateOwnGrad(permute(g, inverse)), a);
    }

    /** Reads {@code x} with arbitrary strides into a fresh row-major array of {@code shape}. */
    private static float[] strideCopy(float[] x, int[] strides, int[] shape) {
        float[] out = StepArena.floats(Shape.numel(shape));
        if (out.length == 0) {
            return out;
        }
        int rank = shape.length;
        if (rank == 0) {
            out[0] = x[0];
            return out;
        }
        int last = shape[rank - 1];
        int step = strides[rank - 1];
        int[] rowStart = Shape.offsets(shape, strides, rank - 1);
        for (int r = 0; r < rowStart.length; r++) {
            int o = r * last;
            int src = rowStart[r];
            for (int j = 0; j < last; j++) {
                out[o + j] = x[src + j * step];
            }
        }
        return out;
    }

    static Tensor expand(Tensor a, int[] requested) {
        int[] shape = a.shape();
        if (requested.length < shape.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shape.format(shape) + " to "
                    + Shape.format(requested) + " (fewer dimensions)");
        }
        int[] target = requested.clone();
        int shift = target.length - shape.length;
        for (int d = 0; d < target.length; d++) {
            int own = d >= shift ? shape[d - shift] : 1;
            if (target[d] == -1 && d >= shift) {
                target[d] = own;
            }
            if (own != target[d] && own != 1) {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shape.format(shape) + " to "
                        + Shape.format(requested) + " (dimension " + d + ": " + own + " vs " + target[d] + ")");
            }
        }
        Tensor out = Elementwise.broadcastTo(a, target);
        if (out == a) {
            return a;
        }
        // each input element was copied to many places: accumulateGrad sums them back
        return out.recordOp("expand", a::accumulateGrad, a);
    }

    static Tensor narrow(Tensor a, int dim, int start, int length) {
        int[] shape = a.shape();
        int d = Shape.dim("narrow", dim, shape.length);
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new IllegalArgumentException("narrow: range [" + start + ", " + (start + length) + ") is outside "
                    + "dimension " + dim + " of shape " + Shape.format(shape));
        }
        int outer = Shape.product(shape, 0, d);
        int inner = Shape.product(shape, d + 1, shape.length);
        int[] outShape = shape.clone();
        outShape[d] = length;
        float[] x = a.data();
        float[] out = StepArena.floats(outer * length * inner);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, (o * shape[d] + start) * inner, out, o * length * inner, length * inner);
        }
        // the slice's gradient is added back where the slice came from; the rest gets 0. It is
        // added in place, into that region only, so cutting a sequence into T slices costs O(T),
        // not T full-size gradients.
        return new Tensor(out, outShape).recordOp("narrow", g -> {
            if (!a.requiresGrad()) {
                return;
            }
            float[] ga = a.gradBuffer().data();
            float[] gd = g.data();
            for (int o = 0; o < outer; o++) {
                int src = o * length * inner;
                int dst = (o * shape[d] + start) * inner;
                for (int k = 0; k < length * inner; k++) {
                    ga[dst + k] += gd[src + k];
                }
            }
        }, a);
    }

    static Tensor indexSelect(Tensor a, int dim, int[] indices) {
        int[] shape = a.shape();
        int d = Shape.dim("indexSelect", dim, shape.length);
        int n = shape[d];
        for (int idx : indices) {
            if (idx < 0 || idx >= n) {
                throw new IllegalArgumentException("indexSelect: index " + idx + " out of range [0, " + n
                        + ") for dimension " + dim + " of shape " + Shape.format(shape));
            }
        }
        int outer = Shape.product(shape, 0, d);
        int inner = Shape.product(shape, d + 1, shape.length);
        int[] outShape = shape.clone();
        outShape[d] = indices.length;
        float[] x = a.data();
        float[] out = StepArena.floats(outer * indices.length * inner);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < indices.length; k++) {
                System.arraycopy(x, (o * n + indices[k]) * inner, out, (o * indices.length + k) * inner, inner);
            }
        }
        // each selected row's gradient is added back to its source row (repeats add up)
        return new Tensor(out, outShape).recordOp("indexSelect", g -> {
            float[] gd = g.data();
            float[] ga = StepArena.floats(x.length);
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < indices.length; k++) {
                    int src = (o * indices.length + k) * inner;
                    int dst = (o * n + indices[k]) * inner;
                    for (int i = 0; i < inner; i++) {
                        ga[dst + i] += gd[src + i];
                    }
                }
            }
            a.accumulateOwnGrad(new Tensor(ga, shape));
        }, a);
    }

    /**
     * {@code out[p] = a[p with coordinate dim replaced by index[p]]} for every position p of
     * {@code index}. Cross-entropy uses it to pick each row's target log-probability.
     */
    static Tensor gather(Tensor a, int dim, IntTensor index) {
        int[] shape = a.shape();
        int[] ishape = index.shape();
        int d = Shape.dim("gather", dim, shape.length);
        if (ishape.length != shape.length) {
            throw new IllegalArgumentException("gather: index of shape " + Shape.format(ishape)
                    + " must have as many dimensions as the input of shape " + Shape.format(shape));
        }
        for (int k = 0; k < shape.length; k++) {
            if (k != d && ishape[k] > shape[k]) {
                throw new IllegalArgumentException("gather: index of shape " + Shape.format(ishape)
                        + " is larger than the input of shape " + Shape.format(shape) + " in dimension " + k);
            }
        }
        int[] source = sourceOffsets("gather", shape, d, index);
        float[] x = a.data();
        float[] out = StepArena.floats(source.length);
        for (int p = 0; p < out.length; p++) {
            out[p] = x[source[p]];
        }
        // each output's gradient is added to the element it was read from
        return new Tensor(out, ishape).recordOp("gather", g -> {
            float[] gd = g.data();
            float[] ga = StepArena.floats(x.length);
            for (int p = 0; p < source.length; p++) {
                ga[source[p]] += gd[p];
            }
            a.accumulateOwnGrad(new Tensor(ga, shape));
        }, a);
    }

    /** For each position of {@code index}, the flat offset in the input that gather reads. */
    private static int[] sourceOffsets(String op, int[] shape, int d, IntTensor index) {
        int[] ishape = index.shape();
        int[] strides = Shape.strides(shape);
        int[] along = strides.clone();
        along[d] = 0;                                          // dimension d is read at the index value
        int[] source = Shape.offsets(ishape, along, ishape.length);
        int[] idx = index.data();
        for (int p = 0; p < idx.length; p++) {
            int i = idx[p];
            if (i < 0 || i >= shape[d]) {
                throw new IllegalArgumentException(op + ": index " + i + " out of range [0, " + shape[d]
                        + ") for dimension " + d + " of shape " + Shape.format(shape));
            }
            source[p] += i * strides[d];
        }
        return source;
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: needs at least one tensor");
        }
        int[] first = tensors.get(0).shape();
        int d = Shape.dim("cat", dim, first.length);
        int total = 0;
        for (Tensor t : tensors) {
            int[] s = t.shape();
            boolean compatible = s.length == first.length;
            for (int k = 0; compatible && k < s.length; k++) {
                compatible = k == d || s[k] == first[k];
            }
            if (!compatible) {
                throw new IllegalArgumentException("cat: shapes " + Shape.format(first) + " and " + Shape.format(s)
                        + " differ outside dimension " + dim);
            }
            total += s[d];
        }
        int outer = Shape.product(first, 0, d);
        int inner = Shape.product(first, d + 1, first.length);
        int[] outShape = first.clone();
        outShape[d] = total;
        float[] out = StepArena.floats(outer * total * inner);
        int offset = 0;
        for (Tensor t : tensors) {
            int block = t.size(d) * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data(), o * block, out, o * total * inner + offset, block);
            }
            offset += block;
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        // each input gets back the slice of the gradient where it was placed
        return new Tensor(out, outShape).recordOp("cat", g -> {
            int start = 0;
            for (Tensor t : inputs) {
                int n = t.size(d);
                if (t.requiresGrad()) {
                    t.accumulateGrad(g.narrow(d, start, n));
                }
                start += n;
            }
        }, inputs);
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int d = Shape.dim("stack", dim, tensors.get(0).dim() + 1);
        List<Tensor> expanded = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            if (!Arrays.equals(t.shape(), tensors.get(0).shape())) {
                throw new IllegalArgumentException("stack: shapes " + Shape.format(tensors.get(0).shape()) + " and "
                        + Shape.format(t.shape()) + " differ");
            }
            expanded.add(t.unsqueeze(d));
        }
        return cat(expanded, d);
    }

    static List<Tensor> split(Tensor a, int size, int dim) {
        int d = Shape.dim("split", dim, a.dim());
        if (size <= 0) {
            throw new IllegalArgumentException("split: size must be positive, got " + size);
        }
        List<Tensor> parts = new ArrayList<>();
        int n = a.size(d);
        for (int start = 0; start < n; start += size) {
            parts.add(a.narrow(d, start, Math.min(size, n - start)));
        }
        return parts;
    }
}
