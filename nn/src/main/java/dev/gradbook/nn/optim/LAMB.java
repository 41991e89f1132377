package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

import java.util.Map;

/**
 * LAMB, layer-wise adaptive moments (You et al. 2020, "Large Batch Optimization for Deep
 * Learning: Training BERT in 76 Minutes", Algorithm 2, with phi the identity): Adam's
 * direction plus decoupled weight decay, rescaled per parameter tensor so that its length is
 * proportional to the tensor's own norm. That lets very large batches use a large learning
 * rate without any one layer taking a step out of proportion to its weights.
 * <pre>
 *   m, v, mHat, vHat as in Adam (with bias correction, from the raw gradient g)
 *   u     = mHat / (sqrt(vHat) + eps) + lambda theta           the AdamW direction
 *   r     = ||theta|| / ||u||      (1 if either norm is 0)    the trust ratio, per tensor
 *   theta = theta - gamma r u
 * </pre>
 * The update is computed twice per tensor, once for its norm and once to apply it, rather
 * than stored: two cheap passes instead of a scratch buffer the size of the parameter.
 */
public class LAMB extends Optimizer {
    /**
     * The hyper-parameters. Defaults in {@link #DEFAULT} follow common implementations of the
     * paper (which tunes them per task).
     *
     * @param lr          gamma (1e-3)
     * @param beta1       first-moment decay (0.9)
     * @param beta2       second-moment decay (0.999)
     * @param eps         (1e-6)
     * @param weightDecay lambda (0.01)
     */
    public record Config(float lr, float beta1, float beta2, float eps, float weightDecay) {
        public static final Config DEFAULT = new Config(1e-3f, 0.9f, 0.999f, 1e-6f, 0.01f);

        public Config {
            Adam.checkMoments("LAMB", beta1, beta2, eps, weightDecay);
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

    private final Config config;
    private double lastTrustRatio = Double.NaN;

    public LAMB(Map<String, Tensor> parameters, float lr) {
        this(parameters, Config.defaults().withLr(lr));
    }

    public LAMB(Map<String, Tensor> parameters, Config config) {
        super(parameters, config.lr());
        this.config = config;
    }

    /** With parameters in groups, each with its own weight decay (replacing the config's). */
    public LAMB(ParamGroups groups, Config config) {
        super(groups, config.lr());
        this.config = config;
    }

    /** The trust ratio r of the most recently updated parameter tensor (for inspection and tests). */
    public double lastTrustRatio() {
        return lastTrustRatio;
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad) {
        float[] p = param.data();
        float[] g = grad.data();
        float[] m = slot("exp_avg", name, param).data();
        float[] v = slot("exp_avg_sq", name, param).data();
        long t = steps();
        float beta1 = config.beta1();
        float beta2 = config.beta2();
        float eps = config.eps();
        float lambda = weightDecay(name, config.weightDecay());
        float invBc1 = (float) (1 / (1 - Math.pow(beta1, t)));
        float invBc2 = (float) (1 / (1 - Math.pow(beta2, t)));

        // pass 1: moments, and the norms of theta and of the direction u
        double paramSq = 0;
        double updateSq = 0;
        for (int i = 0; i < p.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            float u = direction(m[i], v[i], p[i], invBc1, invBc2, eps, lambda);
            paramSq += (double) p[i] * p[i];
            updateSq += (double) u * u;
        }
        double ratio = paramSq > 0 && updateSq > 0 ? Math.sqrt(paramSq) / Math.sqrt(updateSq) : 1.0;
        lastTrustRatio = ratio;

        // pass 2: the same u, scaled
        float step = (float) (learningRate() * ratio);
        for (int i = 0; i < p.length; i++) {
            p[i] -= step * direction(m[i], v[i], p[i], invBc1, invBc2, eps, lambda);
        }
    }

    /** {@code u = mHat / (sqrt(vHat) + eps) + lambda theta} for one coordinate. */
    private static float direction(float m, float v, float p, float invBc1, float invBc2, float eps, float lambda) {
        return m * invBc1 / ((float) Math.sqrt(v * invBc2) + eps) + lambda * p;
    }

    /** The class and the hyper-parameters it was built with, e.g. for a run's log. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + config;
    }
}
