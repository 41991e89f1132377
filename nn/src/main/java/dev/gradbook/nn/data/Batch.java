package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

/**
 * A mini-batch: {@code B} examples stacked along a new first dimension.
 *
 * <p>If each example's input has shape {@code S} and its target shape {@code T}, then
 * {@code inputs} has shape {@code (B, S...)} and the targets {@code (B, T...)}. A batch holds
 * either value targets (regression: {@link #targets()}, a float tensor) or class indices
 * (classification: {@link #labels()}, an {@link IntTensor}; scalar labels become a vector
 * {@code (B)}, as cross-entropy expects), never both.
 */
public record Batch(Tensor inputs, Tensor targets, IntTensor labels) {

    public Batch {
        if ((targets == null) == (labels == null)) {
            throw new IllegalArgumentException("Batch: needs exactly one of value targets and class labels");
        }
    }

    /** A batch of inputs with value targets (regression). */
    public Batch(Tensor inputs, Tensor targets) {
        this(inputs, targets, null);
    }

    /** A batch of inputs with class labels (classification). */
    public Batch(Tensor inputs, IntTensor labels) {
        this(inputs, null, labels);
    }

    /** The value targets {@code (B, T...)}; throws if this batch holds class labels instead. */
    @Override
    public Tensor targets() {
        if (targets == null) {
            throw new IllegalStateException("Batch: this batch holds class labels: use labels()");
        }
        return targets;
    }

    /** The class labels {@code (B, T...)}; throws if this batch holds value targets instead. */
    @Override
    public IntTensor labels() {
        if (labels == null) {
            throw new IllegalStateException("Batch: this batch holds value targets: use targets()");
        }
        return labels;
    }

    /** Whether this batch holds class labels rather than value targets. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The number of examples in this batch ({@code B}). */
    public int size() {
        return inputs.size(0);
    }
}
