package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

import java.util.Map;

/**
 * RMSprop (Tieleman &amp; Hinton 2012, Coursera "Neural Networks for Machine Learning", lecture
 * 6e): divide the gradient by a running root-mean-square of its recent values, as in PyTorch's
 * {@code torch.optim.RMSprop} (not centred):
 * <pre>
 *   g     = g + lambda theta                     (L2 weight decay, if lambda &gt; 0)
 *   v     = alpha v + (1 - alpha) g^2
 *   if mu &gt; 0:  b = mu b + g / (sqrt(v) + eps);   theta = theta - gamma b
 *   else:       theta = theta - gamma g / (sqrt(v) + eps)
 * </pre>
 * Unlike Adam there is no bias correction, so the first steps are larger than {@code gamma}
 * ({@code v} starts at 0 and is at first only {@code (1 - alpha) g^2}).
 */
public class RMSprop extends Optimizer {
    /**
     * The hyper-parameters, with PyTorch's defaults in {@link #DEFAULT}.
     *
     * @param lr          gamma (1e-2)
     * @param alpha       decay of the running mean of g^2 (0.99)
     * @param eps         added to the root mean square (1e-8)
     * @param weightDecay lambda, L2 coefficient (0)
     * @param momentum    mu in [0, 1) (0: none)
     */
    public record Config(float lr, float alpha, float eps, float weightDecay, float momentum) {
        public static final Config DEFAULT = new Config(1e-2f, 0.99f, 1e-8f, 0f, 0f);

        public Config {
            if (!(alpha >= 0 && alpha < 1)) {
                throw new IllegalArgumentException("RMSprop: alpha must be in [0, 1), got " + alpha);
            }
            if (!(eps >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("RMSprop: eps and weight decay must be >= 0, got " + eps + ", "
                        + weightDecay);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("RMSprop: momentum must be in [0, 1), got " + momentum);
            }
        }

        /** PyTorch's defaults: {@link #DEFAULT}. Change what differs with the {@code with...} methods. */
        public static Config defaults() {
            return DEFAULT;
        }

        /** The same config with another learning rate. */
        public Config withLr(float lr) {
            return new Config(lr, alpha(), eps(), weightDecay(), momentum());
        }

        /** The same config with another alpha. */
        public Config withAlpha(float alpha) {
            return new Config(lr(), alpha, eps(), weightDecay(), momentum());
        }

        /** The same config with another epsilon. */
        public Config withEps(float eps) {
            return new Config(lr(), alpha(), eps, weightDecay(), momentum());
        }

        /** The same config with another weight decay. */
        public Config withWeightDecay(float weightDecay) {
            return new Config(lr(), alpha(), eps(), weightDecay, momentum());
        }

        /** The same config with another momentum. */
        public Config withMomentum(float momentum) {
            return new Config(lr(), alpha(), eps(), weightDecay(), momentum);
        }
    }

    private final Config config;

    public RMSprop(Map<String, Tensor> parameters, float lr) {
        this(parameters, Config.defaults().withLr(lr));
    }

    public RMSprop(Map<String, Tensor> parameters, Config config) {
        super(parameters, config.lr());
        this.config = config;
    }

    /** With parameters in groups, each with its own weight decay (replacing the config's). */
    public RMSprop(ParamGroups groups, Config config) {
        super(groups, config.lr());
        this.config = config;
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad) {
        float[] p = param.data();
        float[] g = grad.data();
        float[] v = slot("square_avg", name, param).data();
        float lr = learningRate();
        float alpha = config.alpha();
        float eps = config.eps();
        float lambda = weightDecay(name, config.weightDecay());
        float mu = config.momentum();
        float[] b = mu > 0 ? slot("momentum_buffer", name, param).data() : null;
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] + lambda * p[i];
            v[i] = alpha * v[i] + (1 - alpha) * gi * gi;
            float scaled = gi / ((float) Math.sqrt(v[i]) + eps);
            if (b != null) {
                b[i] = mu * b[i] + scaled;
                p[i] -= lr * b[i];
            } else {
                p[i] -= lr * scaled;
            }
        }
    }

    /** The class and the hyper-parameters it was built with, e.g. for a run's log. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + config;
    }
}
