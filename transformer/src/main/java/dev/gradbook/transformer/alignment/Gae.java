package dev.gradbook.transformer.alignment;

/**
 * Generalized Advantage Estimation (Schulman et al. 2016, "High-Dimensional Continuous Control
 * Using Generalized Advantage Estimation", eq. 16), over one finished episode: for a language
 * model, one sampled continuation whose token {@code t} is action {@code t}.
 * <pre>
 *   delta_t = r_t + gamma V(s_t+1) - V(s_t)              (V after the last action is 0: the episode ends)
 *   A_t     = delta_t + gamma lambda A_t+1                = sum_l (gamma lambda)^l delta_t+l
 *   R_t     = A_t + V(s_t)                               the value function's regression target
 * </pre>
 * {@code lambda = 1} gives the Monte-Carlo advantage (the whole discounted return minus the value:
 * unbiased, noisy); {@code lambda = 0} the one-step temporal difference (low variance, biased by
 * the value function's errors). RLHF usually takes {@code gamma = 1} and {@code lambda = 0.95}.
 */
public final class Gae {
    private Gae() {
    }

    /** Advantages {@code A_t} and returns {@code R_t} of one episode. */
    public record Estimate(float[] advantages, float[] returns) {
    }

    /**
     * The estimate for rewards {@code r_0..r_T-1} and values {@code V(s_0)..V(s_T-1)} of one
     * episode, accumulated in double from the last step back.
     */
    public static Estimate of(float[] rewards, float[] values, float gamma, float lambda) {
        if (rewards.length != values.length) {
            throw new IllegalArgumentException("Gae: " + rewards.length + " rewards but " + values.length
                    + " values; need one value per step");
        }
        if (!(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("Gae: gamma and lambda must be in [0, 1], got gamma=" + gamma
                    + ", lambda=" + lambda);
        }
        int n = rewards.length;
        float[] advantages = new float[n];
        float[] returns = new float[n];
        double next = 0;        // A_t+1
        double nextValue = 0;   // V(s_t+1); 0 after the last action
        for (int t = n - 1; t >= 0; t--) {
            double delta = rewards[t] + gamma * nextValue - values[t];
            next = delta + gamma * lambda * next;
            advantages[t] = (float) next;
            returns[t] = (float) (next + values[t]);
            nextValue = values[t];
        }
        return new Estimate(advantages, returns);
    }
}
