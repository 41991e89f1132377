package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

import java.util.Map;

/**
 * Adagrad (Duchi, Hazan &amp; Singer 2011, "Adaptive Subgradient Methods", the diagonal update of
 * section 1.1), as in PyTorch's {@code torch.optim.Adagrad}: each coordinate's step is divided
 * by the root of the sum of all its squared gradients so far, so rarely-updated coordinates
 * (rare words' embeddings) keep large steps while frequent ones slow down.
 * <pre>
 *   g     = g + lambda theta                        (L2 weight decay, if lambda &gt; 0)
 *   gammaT = gamma / (1 + (t - 1) eta)             (learning-rate decay eta, t = 1, 2, ...)
 *   s     = s + g^2
 *   theta = theta - gammaT g / (sqrt(s) + eps)
 * </pre>
 * Because {@code s} only grows, the effective step shrinks forever: the weakness RMSprop and
 * Adam fix with running averages.
 */
public class Adagrad extends Optimizer {
    /**
     * The hyper-parameters, with PyTorch's defaults in {@link #DEFAULT}.
     *
     * @param lr          gamma (1e-2)
     * @param lrDecay     eta (0)
     * @param weightDecay lambda (0)
     * @param eps         added to sqrt(s) (1e-10)
     */
    public record Config(float lr, float lrDecay, float weightDecay, float eps) {
        public static final Config DEFAULT = new Config(1e-2f, 0f, 0f, 1e-10f);

        public Config {
            if (!(lrDecay >= 0) || !(weightDecay >= 0) || !(eps >= 0)) {
                throw new IllegalArgumentException("Adagrad: lrDecay, weightDecay and eps must be >= 0, got "
                        + lrDecay + ", " + weightDecay + ", " + eps);
            }
        }

        /** PyTorch's defaults: {@link #DEFAULT}. Change what differs with the {@code with...} methods. */
        public static Config defaults() {
            return DEFAULT;
        }

        /** The same config with another learning rate. */
        public Config withLr(float lr) {
            return new Config(lr, lrDecay(), weightDecay(), eps());
        }

        /** The same config with another learning-rate decay. */
        public Config withLrDecay(float lrDecay) {
            return new Config(lr(), lrDecay, weightDecay(), eps());
        }

        /** The same config with another weight decay. */
        public Config withWeightDecay(float weightDecay) {
            return new Config(lr(), lrDecay(), weightDecay, eps());
        }

        /** The same config with another epsilon. */
        public Config withEps(float eps) {
            return new Config(lr(), lrDecay(), weightDecay(), eps);
        }
    }

    private final Config config;

    public Adagrad(Map<String, Tensor> parameters, float lr) {
        this(parameters, Config.defaults().withLr(lr));
    }

    public Adagrad(Map<String, Tensor> parameters, Config config) {
        super(parameters, config.lr());
        this.config = config;
    }

    /** With parameters in groups, each with its own weight decay (replacing the config's). */
    public Adagrad(ParamGroups groups, Config config) {
        super(groups, config.lr());
        this.config = config;
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad) {
        float[] p = param.data();
        float[] g = grad.data();
        float[] s = slot("sum", name, param).data();
        float lr = (float) (learningRate() / (1 + (steps() - 1) * (double) config.lrDecay()));
        float lambda = weightDecay(name, config.weightDecay());
        float eps = config.eps();
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] + lambda * p[i];
            s[i] += gi * gi;
            p[i] -= lr * gi / ((float) Math.sqrt(s[i]) + eps);
        }
    }

    /** The class and the hyper-parameters it was built with, e.g. for a run's log. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + config;
    }
}
