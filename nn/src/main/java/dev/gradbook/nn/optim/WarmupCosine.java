package dev.gradbook.nn.optim;

/**
 * Linear warmup, then cosine decay to a floor: the GPT recipe (Radford et al. 2018, "Improving
 * Language Understanding by Generative Pre-Training", section 4.1; nanoGPT's {@code get_lr}).
 * Warmup keeps Adam's first, poorly estimated steps small; the cosine spends most of the run
 * at high rates and lands softly.
 * <pre>
 *   lr(t) = maxLr (t + 1) / warmupSteps                                   t &lt; warmupSteps
 *   lr(t) = minLr + (maxLr - minLr) (1 + cos(pi s)) / 2,
 *           s = (t - warmupSteps) / (totalSteps - warmupSteps)            warmupSteps &lt;= t &lt;= totalSteps
 *   lr(t) = minLr                                                         t &gt; totalSteps
 * </pre>
 * (The warmup counts from {@code t + 1} so that the very first update is not wasted at rate 0.)
 */
public record WarmupCosine(float maxLr, float minLr, long warmupSteps, long totalSteps) implements LearningRateSchedule {
    public WarmupCosine {
        if (!(minLr >= 0)) {
            throw new IllegalArgumentException("WarmupCosine: minLr must be >= 0, got " + minLr);
        }
        if (!(warmupSteps >= 0)) {
            throw new IllegalArgumentException("WarmupCosine: warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (!(maxLr >= minLr)) {
            throw new IllegalArgumentException("WarmupCosine: maxLr " + maxLr + " must be >= minLr " + minLr);
        }
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("WarmupCosine: totalSteps " + totalSteps
                    + " must be greater than warmupSteps " + warmupSteps);
        }
    }

    @Override
    public float at(long step) {
        long t = Math.max(step, 0);
        if (t < warmupSteps) {
            return (float) ((double) maxLr * (t + 1) / warmupSteps);
        }
        if (t > totalSteps) {
            return minLr;
        }
        double progress = (double) (t - warmupSteps) / (totalSteps - warmupSteps);
        return (float) (minLr + (maxLr - minLr) * (1 + Math.cos(Math.PI * progress)) / 2);
    }
}
