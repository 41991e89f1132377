package dev.gradbook.nn.loss;

/**
 * The options of {@link Losses#crossEntropy} and {@link Losses#nll}, with PyTorch's defaults in
 * {@link #DEFAULT}.
 *
 * @param reduction      how per-target losses are combined; {@code MEAN} divides by the number of
 *                       targets that are not ignored
 * @param ignoreIndex    targets equal to this value contribute nothing, not even to the count
 *                       (padding tokens); the default {@code -100} never matches a class
 * @param labelSmoothing {@code epsilon} in [0, 1]: the target distribution becomes
 *                       {@code (1 - epsilon) * onehot + epsilon / C} (Szegedy et al. 2016, "Rethinking
 *                       the Inception Architecture", section 7); ignored by {@code nll}
 */
public record CrossEntropyOptions(Reduction reduction, int ignoreIndex, float labelSmoothing) {
    /** Mean over targets, ignore index -100, no smoothing: PyTorch's {@code cross_entropy} defaults. */
    public static final CrossEntropyOptions DEFAULT = new CrossEntropyOptions(Reduction.MEAN, -100, 0f);

    public CrossEntropyOptions {
        if (reduction == null) {
            throw new IllegalArgumentException("crossEntropy: reduction must not be null");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
    }

    /** The default options with another reduction. */
    public static CrossEntropyOptions of(Reduction reduction) {
        return new CrossEntropyOptions(reduction, DEFAULT.ignoreIndex, DEFAULT.labelSmoothing);
    }

    /** The default options with label smoothing {@code epsilon}. */
    public static CrossEntropyOptions smoothed(float epsilon) {
        return new CrossEntropyOptions(DEFAULT.reduction, DEFAULT.ignoreIndex, epsilon);
    }

    /** The default options, ignoring targets equal to {@code ignoreIndex}. */
    public static CrossEntropyOptions ignoring(int ignoreIndex) {
        return new CrossEntropyOptions(DEFAULT.reduction, ignoreIndex, DEFAULT.labelSmoothing);
    }
}
