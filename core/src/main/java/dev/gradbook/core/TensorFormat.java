package dev.gradbook.core;

import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Prints a tensor the way PyTorch does, nested brackets row by row, with its shape and the op
 * that made it:
 * <pre>
 * tensor([[ 1.0000, -2.5000],
 *         [ 0.0000,  3.1416]], shape=[2, 2], op=matmul)
 * </pre>
 * Tensors with more than {@value #SUMMARY_THRESHOLD} elements show only the first and last
 * {@value #EDGE_ITEMS} entries of each dimension, with {@code ...} between them.
 */
final class TensorFormat {
    static final int SUMMARY_THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        float[] x = t.data();
        boolean summarise = x.length > SUMMARY_THRESHOLD;
        // only the printed entries choose the format and width: formatting all of a large tensor takes seconds
        int[] shown = shownOffsets(t.shape(), summarise);
        String numberFormat = chooseFormat(x, shown);
        StringBuilder sb = body(t.shape(), i -> String.format(Locale.ROOT, numberFormat, x[i]), shown, summarise);
        if (t.op() != null) {
            sb.append(", op=").append(t.op());
        } else if (t.requiresGrad()) {
            sb.append(", requiresGrad=true");
        }
        return sb.append(')').toString();
    }

    /** The same layout for indices: {@code tensor([3, 0, 7], shape=[3], dtype=int32)}. */
    static String format(IntTensor t) {
        int[] x = t.data();
        boolean summarise = x.length > SUMMARY_THRESHOLD;
        StringBuilder sb = body(t.shape(), i -> Integer.toString(x[i]), shownOffsets(t.shape(), summarise), summarise);
        return sb.append(", dtype=int32)").toString();
    }

    /** {@code tensor(<nested values>, shape=[...]}, each value right-aligned to the widest shown. */
    private static StringBuilder body(int[] shape, IntFunction<String> cell, int[] shown, boolean summarise) {
        int width = 0;
        for (int i : shown) {
            width = Math.max(width, cell.apply(i).length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (shape.length == 0) {
            sb.append(cell.apply(0));
        } else {
            append(sb, cell, shape, 0, 0, width, summarise, "tensor(".length());
        }
        return sb.append(", shape=").append(Shape.format(shape));
    }

    /** The flat positions that get printed: all of them, or the edge entries of each long dimension. */
    private static int[] shownOffsets(int[] shape, boolean summarise) {
        int[] offsets = {0};
        for (int d = 0; d < shape.length; d++) {
            int n = shape[d];
            int stride = Shape.product(shape, d + 1, shape.length);
            int[] kept = summarise && n > 2 * EDGE_ITEMS
                    ? IntStream.concat(IntStream.range(0, EDGE_ITEMS), IntStream.range(n - EDGE_ITEMS, n)).toArray()
                    : IntStream.range(0, n).toArray();
            int[] next = new int[offsets.length * kept.length];
            int k = 0;
            for (int base : offsets) {
                for (int i : kept) {
                    next[k++] = base + i * stride;
                }
            }
            offsets = next;
        }
        return offsets;
    }

    /** Fixed point for ordinary magnitudes, scientific notation for very large or very small ones. */
    private static String chooseFormat(float[] x, int[] shown) {
        float maxAbs = 0;
        float minAbs = Float.MAX_VALUE;
        for (int i : shown) {
            float v = x[i];
            if (Float.isFinite(v) && v != 0) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
                minAbs = Math.min(minAbs, Math.abs(v));
            }
        }
        return maxAbs >= 1e5f || (maxAbs > 0 && minAbs < 1e-4f) ? "%.4e" : "%.4f";
    }

    private static void append(StringBuilder sb, IntFunction<String> cell, int[] shape, int dim, int offset,
                               int width, boolean summarise, int indent) {
        int n = shape[dim];
        int stride = Shape.product(shape, dim + 1, shape.length);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                sb.append(dim == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + dim + 1));
                i = n - EDGE_ITEMS;
            }
            if (dim == shape.length - 1) {
                String s = cell.apply(offset + i);
                sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
            } else {
                append(sb, cell, shape, dim + 1, offset + i * stride, width, summarise, indent);
            }
            if (i < n - 1) {
                sb.append(dim == shape.length - 1 ? ", " : ",\n" + "\n".repeat(shape.length - dim - 2)
                        + " ".repeat(indent + dim + 1));
            }
        }
        sb.append(']');
    }
}
