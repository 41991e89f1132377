package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

import java.util.Arrays;

/**
 * A data set held as tensors whose first dimension counts the examples: features
 * {@code (N, ...)} and either value targets {@code (N, ...)} (regression) or class labels
 * {@code (N, ...)} as an {@link IntTensor} (classification), like PyTorch's {@code TensorDataset}.
 *
 * <p>Example {@code i} is row {@code i} of each. Because a row is a contiguous block of the
 * row-major storage, a batch is built by one {@code System.arraycopy} per row and tensor.
 * The tensors are used as given, not copied: do not modify them while the data set is in use.
 */
public final class TensorDataset implements Dataset {
    private final Tensor features;
    private final Tensor targets;
    private final IntTensor labels;

    /**
     * @param features (N, ...) one row per example
     * @param targets  (N, ...) one row of values per example
     */
    public TensorDataset(Tensor features, Tensor targets) {
        this(features, targets, null, targets.shape());
    }

    /**
     * @param features (N, ...) one row per example
     * @param labels   (N, ...) class indices, e.g. one per example, shape (N)
     */
    public TensorDataset(Tensor features, IntTensor labels) {
        this(features, null, labels, labels.shape());
    }

    private TensorDataset(Tensor features, Tensor targets, IntTensor labels, int[] targetShape) {
        if (features.dim() == 0 || targetShape.length == 0 || features.size(0) != targetShape[0]) {
            throw new IllegalArgumentException("TensorDataset: features " + Shape.format(features.shape())
                    + " and " + (labels != null ? "labels " : "targets ") + Shape.format(targetShape)
                    + " must both have the same first dimension (the number of examples)");
        }
        this.features = features;
        this.targets = targets;
        this.labels = labels;
    }

    public Tensor features() {
        return features;
    }

    /** The value targets; throws if this data set holds class labels. */
    public Tensor targets() {
        if (targets == null) {
            throw new IllegalStateException("TensorDataset: this data set holds class labels: use labels()");
        }
        return targets;
    }

    /** The class labels; throws if this data set holds value targets. */
    public IntTensor labels() {
        if (labels == null) {
            throw new IllegalStateException("TensorDataset: this data set holds value targets: use targets()");
        }
        return labels;
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
        int[] one = {index};
        Tensor input = rows(features, one, false);
        if (labels != null) {
            int[] shape = labels.shape();
            return new Example(input, labels.rows(one).reshape(Arrays.copyOfRange(shape, 1, shape.length)));
        }
        return new Example(input, rows(targets, one, false));
    }

    @Override
    public Batch batch(int[] indices) {
        Tensor inputs = rows(features, indices, true);
        return labels != null ? new Batch(inputs, labels.rows(indices)) : new Batch(inputs, rows(targets, indices, true));
    }

    /** The examples at {@code indices} as a new, independent data set (a train or test split). */
    public TensorDataset subset(int[] indices) {
        Tensor inputs = rows(features, indices, true);
        return labels != null ? new TensorDataset(inputs, labels.rows(indices))
                : new TensorDataset(inputs, rows(targets, indices, true));
    }

    /**
     * Copies rows {@code indices} of {@code t} (N, R...) into a new tensor: (indices.length, R...)
     * if {@code keepFirstDim}, else (R...) for a single index.
     */
    private static Tensor rows(Tensor t, int[] indices, boolean keepFirstDim) {
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
