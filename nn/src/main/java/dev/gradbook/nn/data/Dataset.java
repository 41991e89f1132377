package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * A finite, indexable collection of {@link Example}s, as in PyTorch's map-style
 * {@code Dataset}: {@code size()} examples, numbered {@code 0 .. size()-1}.
 *
 * <p>A {@link DataLoader} asks for whole batches through {@link #batch(int[])}. The default
 * implementation fetches each example and copies its values into one array per batch; a data
 * set that already holds its examples as rows of one tensor (see {@link TensorDataset}) copies
 * the rows directly and never builds per-example tensors.
 */
public interface Dataset {

    /** The number of examples. */
    int size();

    /** Example {@code index}, {@code 0 <= index < size()}. */
    Example get(int index);

    /**
     * The examples at {@code indices}, stacked along a new first dimension, in that order.
     * Every example must have the same input shape and the same target shape.
     */
    default Batch batch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("Dataset.batch: no indices given");
        }
        Example first = get(indices[0]);
        int[] inShape = first.input().shape();
        int[] tgShape = first.targetShape();
        int inSize = first.input().numel();
        int tgSize = Shape.numel(tgShape);
        float[] inputs = new float[indices.length * inSize];
        float[] targets = first.hasLabel() ? null : new float[indices.length * tgSize];
        int[] labels = first.hasLabel() ? new int[indices.length * tgSize] : null;
        for (int b = 0; b < indices.length; b++) {
            Example e = b == 0 ? first : get(indices[b]);
            if (!Arrays.equals(e.input().shape(), inShape) || !Arrays.equals(e.targetShape(), tgShape)
                    || e.hasLabel() != first.hasLabel()) {
                throw new IllegalArgumentException("Dataset.batch: example " + indices[b] + " has input "
                        + Shape.format(e.input().shape()) + " and " + (e.hasLabel() ? "label " : "target ")
                        + Shape.format(e.targetShape()) + ", example " + indices[0] + " has "
                        + Shape.format(inShape) + " and " + (first.hasLabel() ? "label " : "target ")
                        + Shape.format(tgShape));
            }
            System.arraycopy(e.input().data(), 0, inputs, b * inSize, inSize);
            if (labels != null) {
                System.arraycopy(e.label().data(), 0, labels, b * tgSize, tgSize);
            } else {
                System.arraycopy(e.target().data(), 0, targets, b * tgSize, tgSize);
            }
        }
        Tensor in = Tensor.wrap(inputs, prepend(indices.length, inShape));
        int[] outShape = prepend(indices.length, tgShape);
        return labels != null ? new Batch(in, IntTensor.wrap(labels, outShape))
                : new Batch(in, Tensor.wrap(targets, outShape));
    }

    /** {@code (n, shape...)}: the shape of {@code n} stacked items. */
    private static int[] prepend(int n, int[] shape) {
        int[] out = new int[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }
}
