package dev.gradbook.nn.data;

import dev.gradbook.core.Tensor;

/**
 * A mini-batch: {@code B} examples stacked along a new first dimension.
 *
 * <p>If each example's input has shape {@code S} and its target shape {@code T}, then
 * {@code inputs} has shape {@code (B, S...)} and {@code targets} {@code (B, T...)}; class
 * indices (scalar targets) become a vector of shape {@code (B)}, as cross-entropy expects.
 */
public record Batch(Tensor inputs, Tensor targets) {

    /** The number of examples in this batch ({@code B}). */
    public int size() {
        return inputs.size(0);
    }
}
