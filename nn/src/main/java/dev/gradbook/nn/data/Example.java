package dev.gradbook.nn.data;

import dev.gradbook.core.Tensor;

/**
 * One example of a {@link Dataset}: an input and what the model should produce for it.
 *
 * <p>For iris, {@code input} is the four measurements, shape {@code (4)}, and {@code target}
 * the class index as a scalar. Either may have any shape; all examples of one data set share
 * the same shapes, which is what lets a {@link DataLoader} stack them into a {@link Batch}.
 */
public record Example(Tensor input, Tensor target) {
}
