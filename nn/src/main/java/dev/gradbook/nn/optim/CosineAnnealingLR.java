package dev.gradbook.nn.optim;

/**
 * Cosine annealing from {@code baseLr} down to {@code etaMin} over {@code tMax} steps
 * (Loshchilov &amp; Hutter 2017, "SGDR", eq. 5, without restarts; PyTorch's
 * {@code CosineAnnealingLR} in closed form):
 * <pre>
 *   lr(t) = etaMin + (baseLr - etaMin) (1 + cos(pi t / tMax)) / 2
 * </pre>
 * As in PyTorch's closed form, the curve is periodic: past {@code tMax} it rises again,
 * reaching {@code baseLr} at {@code 2 tMax}. For a decay that stays at its floor, use
 * {@link WarmupCosine}.
 */
public record CosineAnnealingLR(float baseLr, long tMax, float etaMin) implements LearningRateSchedule {
    public CosineAnnealingLR {
        if (!(baseLr >= 0)) {
            throw new IllegalArgumentException("CosineAnnealingLR: baseLr must be >= 0, got " + baseLr);
        }
        if (!(etaMin >= 0)) {
            throw new IllegalArgumentException("CosineAnnealingLR: etaMin must be >= 0, got " + etaMin);
        }
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be > 0, got " + tMax);
        }
    }

    @Override
    public float at(long step) {
        double cosine = (1 + Math.cos(Math.PI * Math.max(step, 0) / tMax)) / 2;
        return (float) (etaMin + (baseLr - etaMin) * cosine);
    }
}
