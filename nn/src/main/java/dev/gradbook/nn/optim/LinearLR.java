package dev.gradbook.nn.optim;

/**
 * A straight line from one multiple of the base rate to another (PyTorch's {@code LinearLR}),
 * most often a linear warm-up: {@code new LinearLR(lr, 1f / 3, 1f, 5)} starts at a third of
 * {@code lr} and reaches {@code lr} after five updates, then stays there.
 * <pre>
 *   lr(t) = baseLr * (startFactor + (endFactor - startFactor) * min(t, totalIters) / totalIters)
 * </pre>
 * PyTorch computes the same line step by step (each step multiplies by the ratio of
 * consecutive factors); this closed form gives equal rates without the accumulated rounding.
 *
 * @param baseLr      the rate the factors multiply (PyTorch: the optimizer's initial lr)
 * @param startFactor factor at step 0, in (0, 1]
 * @param endFactor   factor from step {@code totalIters} on, in [0, 1]
 * @param totalIters  the number of steps the line takes, > 0
 */
public record LinearLR(float baseLr, float startFactor, float endFactor, long totalIters)
        implements LearningRateSchedule {
    public LinearLR {
        if (!(baseLr >= 0)) {
            throw new IllegalArgumentException("LinearLR: baseLr must be >= 0, got " + baseLr);
        }
        if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: needs 0 < startFactor <= 1 and 0 <= endFactor <= 1, got "
                    + "startFactor=" + startFactor + ", endFactor=" + endFactor);
        }
        if (totalIters <= 0) {
            throw new IllegalArgumentException("LinearLR: totalIters must be > 0, got " + totalIters);
        }
    }

    @Override
    public float at(long step) {
        double progress = (double) Math.min(Math.max(step, 0), totalIters) / totalIters;
        return (float) (baseLr * (startFactor + (endFactor - startFactor) * progress));
    }
}
