package dev.gradbook.nn.optim;

/**
 * A staircase: the rate is multiplied by {@code gamma} every {@code stepSize} steps (PyTorch's
 * {@code StepLR}), the schedule of the classic ImageNet recipes (He et al. 2016, section 3.4:
 * "divided by 10 when the error plateaus").
 * <pre>
 *   lr(t) = baseLr * gamma^floor(t / stepSize)
 * </pre>
 */
public record StepLR(float baseLr, long stepSize, float gamma) implements LearningRateSchedule {
    public StepLR {
        if (!(baseLr >= 0)) {
            throw new IllegalArgumentException("StepLR: baseLr must be >= 0, got " + baseLr);
        }
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException("StepLR: gamma must be >= 0, got " + gamma);
        }
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR: stepSize must be > 0, got " + stepSize);
        }
    }

    @Override
    public float at(long step) {
        return (float) (baseLr * Math.pow(gamma, Math.floorDiv(Math.max(step, 0), stepSize)));
    }
}
