package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay
 * Regularization", Algorithm 2, line 12), the optimizer GPT-style models are trained with:
 * <pre>
 *   theta = theta - alpha lambda theta                       decay, outside the adaptive part
 *   m, v, mHat, vHat as in Adam, from the raw gradient g
 *   theta = theta - alpha mHat / (sqrt(vHat) + eps)
 * </pre>
 * In {@link Adam} an L2 term {@code lambda theta} added to {@code g} is divided by
 * {@code sqrt(vHat)}, so parameters with large gradients are barely regularised; here every
 * weight shrinks by the same factor {@code 1 - alpha lambda} per step. (Like PyTorch, the
 * decay is scaled by the current learning rate, so a schedule scales it too.)
 */
public class AdamW extends Adam {
    /**
     * The hyper-parameters, with PyTorch's defaults in {@link #DEFAULT}.
     *
     * @param lr          alpha (1e-3)
     * @param beta1       first-moment decay (0.9)
     * @param beta2       second-moment decay (0.999)
     * @param eps         (1e-8)
     * @param weightDecay lambda, the decoupled decay rate per unit of learning rate (0.01)
     */
    public record Config(float lr, float beta1, float beta2, float eps, float weightDecay) {
        public static final Config DEFAULT = new Config(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f);

        public Config {
            checkMoments("AdamW", beta1, beta2, eps, weightDecay);
        }

        /** PyTorch's defaults: {@link #DEFAULT}. Change what differs with the {@code with...} methods. */
        public static Config defaults() {
            return DEFAULT;
        }

        /** The same config with another learning rate. */
        public Config withLr(float lr) {
            return new Config(lr, beta1(), beta2(), eps(), weightDecay());
        }

        /** The same config with the moment decays beta1 and beta2. */
        public Config withBetas(float beta1, float beta2) {
            return new Config(lr(), beta1, beta2, eps(), weightDecay());
        }

        /** The same config with another epsilon. */
        public Config withEps(float eps) {
            return new Config(lr(), beta1(), beta2(), eps, weightDecay());
        }

        /** The same config with another weight decay. */
        public Config withWeightDecay(float weightDecay) {
            return new Config(lr(), beta1(), beta2(), eps(), weightDecay);
        }
    }

    public AdamW(Map<String, Tensor> parameters, float lr) {
        this(parameters, Config.defaults().withLr(lr));
    }

    private final Config config;

    public AdamW(Map<String, Tensor> parameters, Config config) {
        super(parameters, asAdam(config), true);
        this.config = config;
    }

    /**
     * With parameters in groups, each with its own weight decay (replacing the config's), e.g.
     * {@link ParamGroups#decayMatricesOnly} as nanoGPT trains.
     */
    public AdamW(ParamGroups groups, Config config) {
        super(groups, asAdam(config), true);
        this.config = config;
    }

    private static Adam.Config asAdam(Config config) {
        return Adam.Config.defaults().withLr(config.lr()).withBetas(config.beta1(), config.beta2()).withEps(config.eps())
                .withWeightDecay(config.weightDecay());
    }

    @Override
    public String toString() {
        return "AdamW " + config;
    }
}
