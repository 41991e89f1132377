package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

/**
 * One example of a {@link Dataset}: an input and what the model should produce for it, either a
 * value target (regression) or a class label (classification), never both.
 *
 * <p>For iris, {@code input} is the four measurements, shape {@code (4)}, and {@code label}
 * the class index as a 0-D {@link IntTensor}. Either may have any shape; all examples of one
 * data set share the same shapes and kind, which is what lets a {@link DataLoader} stack them
 * into a {@link Batch}.
 */
public record Example(Tensor input, Tensor target, IntTensor label) {

    public Example {
        if ((target == null) == (label == null)) {
            throw new IllegalArgumentException("Example: needs exactly one of a value target and a class label");
        }
    }

    /** An input with a value target (regression). */
    public Example(Tensor input, Tensor target) {
        this(input, target, null);
    }

    /** An input with a class label (classification). */
    public Example(Tensor input, IntTensor label) {
        this(input, null, label);
    }

    /** The value target; throws if this example holds a class label instead. */
    @Override
    public Tensor target() {
        if (target == null) {
            throw new IllegalStateException("Example: this example holds a class label: use label()");
        }
        return target;
    }

    /** The class label; throws if this example holds a value target instead. */
    @Override
    public IntTensor label() {
        if (label == null) {
            throw new IllegalStateException("Example: this example holds a value target: use target()");
        }
        return label;
    }

    /** Whether this example holds a class label rather than a value target. */
    public boolean hasLabel() {
        return label != null;
    }

    /** The shape of the target or label. */
    int[] targetShape() {
        return label != null ? label.shape() : target.shape();
    }
}
