package dev.gradbook.nn.data;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * A data set held as two tensors whose first dimension counts the examples: features
 * {@code (N, ...)} and targets {@code (N, ...)}, like PyTorch's {@code TensorDataset}.
 *
 * <p>Example {@code i} is row {@code i} of each. Because a row is a contiguous block of the
 * row-major storage, a batch is built by one {@code System.arraycopy} per row and tensor.
 * The tensors are used as given, not copied: do not modify them while the data set is in use.
 */
public final class TensorDataset implements Dataset {
    private final Tensor features;
    private final Tensor targets;

    /**
     * @param features (N, ...) one row per example
     * @param targets  (N, ...) one row per example, e.g. class indices of shape (N)
     */
    public TensorDataset(Tensor features, Tensor targets) {
        if (features.dim() == 0 || targets.dim() == 0 || features.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("TensorDataset: features " + Shape.format(features.shape())
                    + " and targets " + Shape.format(targets.shape())
                    + " must both have the same first dimension (the number of examples)");
        }
        this.features = features;
        this.targets = targets;
    }

    public Tensor features() {
        return features;
    }

    public Tensor targets() {
        return targets;
    }

    @Override
    public int size() {
        return features.size(0);
    }

    @Override
    public Example get(int index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("TensorDataset.get: index " + index + " is out of range for "
                    + size() + " examples");
        }
        return new Example(rows(features, new int[] {index}, false), rows(targets, new int[] {index}, false));
    }

    @Override
    public Batch batch(int[] indices) {
        return new Batch(rows(features, indices, true), rows(targets, indices, true));
    }

    /** The examples at {@code indices} as a new, independent data set (a train or test split). */
    public TensorDataset subset(int[] indices) {
        return new TensorDataset(rows(features, indices, true), rows(targets, indices, true));
    }

    /**
     * Copies rows {@code indices} of {@code t} (N, R...) into a new tensor: (indices.length, R...)
     * if {@code keepFirstDim}, else (R...) for a single index.
     */
    private Tensor rows(Tensor t, int[] indices, boolean keepFirstDim) {
        int[] shape = t.shape();
        int[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        int rowSize = Shape.numel(rowShape);
        float[] src = t.data();
        float[] out = new float[Math.multiplyExact(indices.length, rowSize)];
        for (int b = 0; b < indices.length; b++) {
            int i = indices[b];
            if (i < 0 || i >= shape[0]) {
                throw new IllegalArgumentException("TensorDataset: index " + i + " is out of range for "
                        + shape[0] + " examples");
            }
            System.arraycopy(src, i * rowSize, out, b * rowSize, rowSize);
        }
        shape[0] = indices.length; // (indices.length, R...)
        return Tensor.wrap(out, keepFirstDim ? shape : rowShape);
    }
}
