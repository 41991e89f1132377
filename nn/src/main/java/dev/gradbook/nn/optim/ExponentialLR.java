package dev.gradbook.nn.optim;

/**
 * Decay by a constant factor every step (PyTorch's {@code ExponentialLR}):
 * <pre>
 *   lr(t) = baseLr * gamma^t
 * </pre>
 * The rate halves every {@code ln 2 / -ln gamma} steps: {@code gamma = 0.999} halves it about
 * every 693 steps.
 */
public record ExponentialLR(float baseLr, float gamma) implements LearningRateSchedule {
    public ExponentialLR {
        if (!(baseLr >= 0)) {
            throw new IllegalArgumentException("ExponentialLR: baseLr must be >= 0, got " + baseLr);
        }
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException("ExponentialLR: gamma must be >= 0, got " + gamma);
        }
    }

    @Override
    public float at(long step) {
        return (float) (baseLr * Math.pow(gamma, Math.max(step, 0)));
    }
}
