package dev.gradbook.transformer.alignment;

/**
 * The coefficient {@code beta} of the KL penalty in RLHF, fixed or adapted to hit a target
 * (Ziegler et al. 2019, "Fine-Tuning Language Models from Human Preferences", section 2.2).
 *
 * <p>PPO maximises {@code R(x, y) = r(x, y) - beta KL(pi || rho)}: the reward model's score minus
 * how far the policy {@code pi} has moved from the reference {@code rho}, the model it started
 * from. A fixed {@code beta} is hard to choose: the KL that a given {@code beta} allows depends on
 * the task and changes during training. The adaptive controller instead fixes the KL it aims for
 * and steers {@code beta} like a proportional controller:
 * <pre>
 *   e_t       = clip( (KL_t - KL_target) / KL_target, -0.2, 0.2 )
 *   beta_t+1  = beta_t (1 + K_beta e_t)
 * </pre>
 * so {@code beta} grows by up to {@code 0.2 K_beta} per batch while the policy drifts further
 * than {@code KL_target}, and shrinks while it stays closer. The paper uses {@code K_beta = 0.1}.
 * (Its released code writes {@code K_beta} as {@code batch / horizon}, e.g. 512 / 10000.)
 *
 * <p>Not thread-safe; one controller per training run.
 */
public final class KlController {
    /**
     * @param initialBeta beta at the start, {@code >= 0} (0.2; 0 switches the penalty off while
     *                    {@code adaptive} is false)
     * @param targetKl    KL_target in nats per sample, {@code > 0} (6, the paper's value for its
     *                    sentiment task; only read when adaptive)
     * @param kBeta       K_beta, the proportional gain, {@code > 0} (0.1)
     * @param adaptive    true: update beta as above after each batch; false: beta stays fixed
     */
    public record Config(float initialBeta, float targetKl, float kBeta, boolean adaptive) {
        public static final Config DEFAULT = new Config(0.2f, 6f, 0.1f, true);

        public Config {
            if (!(initialBeta >= 0) || Float.isInfinite(initialBeta) || !(targetKl > 0) || !(kBeta > 0)) {
                throw new IllegalArgumentException("KlController.Config: needs initialBeta >= 0, targetKl > 0 and "
                        + "kBeta > 0, got initialBeta=" + initialBeta + ", targetKl=" + targetKl + ", kBeta=" + kBeta);
            }
            if (adaptive && initialBeta == 0) {
                throw new IllegalArgumentException("KlController.Config: an adaptive controller cannot start at "
                        + "beta = 0 (it multiplies beta); use fixed(0) to switch the penalty off");
            }
        }

        /** Adaptive, beta 0.2 at the start, target 6 nats, K_beta 0.1: {@link #DEFAULT}. */
        public static Config defaults() {
            return DEFAULT;
        }

        /** A fixed {@code beta} that never changes (0: no KL penalty at all). */
        public static Config fixed(float beta) {
            return new Config(beta, DEFAULT.targetKl(), DEFAULT.kBeta(), false);
        }

        /** The same config starting from another beta. */
        public Config withInitialBeta(float beta) {
            return new Config(beta, targetKl, kBeta, adaptive);
        }

        /** The same config aiming at another KL (nats per sample). */
        public Config withTargetKl(float kl) {
            return new Config(initialBeta, kl, kBeta, adaptive);
        }

        /** The same config with another gain K_beta. */
        public Config withKBeta(float gain) {
            return new Config(initialBeta, targetKl, gain, adaptive);
        }
    }

    private final Config config;
    private double beta;

    public KlController(Config config) {
        this.config = config;
        this.beta = config.initialBeta();
    }

    /** The current coefficient. */
    public double beta() {
        return beta;
    }

    public Config config() {
        return config;
    }

    /**
     * Feeds back the KL measured on the last batch (mean over its samples, nats) and returns the
     * new beta; a fixed controller returns its beta unchanged.
     */
    public double update(double observedKl) {
        if (Double.isNaN(observedKl)) {
            throw new IllegalArgumentException("KlController.update: the observed KL is NaN");
        }
        if (config.adaptive()) {
            double error = Math.max(-0.2, Math.min(0.2, (observedKl - config.targetKl()) / config.targetKl()));
            beta *= 1 + config.kBeta() * error;
        }
        return beta;
    }

    @Override
    public String toString() {
        return (config.adaptive() ? "adaptive KL controller (target " + config.targetKl() + " nats), beta="
                : "fixed KL coefficient beta=") + beta;
    }
}
