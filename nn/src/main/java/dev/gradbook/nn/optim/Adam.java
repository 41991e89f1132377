package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1), with
 * PyTorch's options: L2 weight decay folded into the gradient and AMSGrad. For each parameter
 * {@code theta} with gradient {@code g} at step {@code t = 1, 2, ...}:
 * <pre>
 *   g     = g + lambda theta                         (L2 weight decay, if lambda &gt; 0)
 *   m     = beta1 m + (1 - beta1) g                  first moment: a running mean of g
 *   v     = beta2 v + (1 - beta2) g^2                second moment: a running mean of g^2
 *   v     = max(vMax, v)  (kept as vMax)             AMSGrad only (Reddi et al. 2018, Algorithm 2)
 *   mHat  = m / (1 - beta1^t),  vHat = v / (1 - beta2^t)   undo the bias toward the zero start
 *   theta = theta - alpha mHat / (sqrt(vHat) + eps)
 * </pre>
 * Each coordinate moves by about {@code alpha} whatever the scale of its gradient: the step is
 * a signal-to-noise ratio. The L2 decay here passes through that normalisation, which is why
 * {@link AdamW} decouples it. The step count {@code t} is the optimizer's {@link #steps()},
 * which equals PyTorch's per-parameter count when every parameter gets a gradient every step.
 */
public class Adam extends Optimizer {
    /**
     * The hyper-parameters, with PyTorch's defaults in {@link #DEFAULT}.
     *
     * @param lr          alpha, the step size (1e-3)
     * @param beta1       decay of the first moment (0.9)
     * @param beta2       decay of the second moment (0.999)
     * @param eps         added to sqrt(vHat) so the division is safe (1e-8)
     * @param weightDecay lambda, the L2 coefficient added to the gradient (0)
     * @param amsgrad     divide by the largest second moment seen so far (false)
     */
    public record Config(float lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad) {
        public static final Config DEFAULT = new Config(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false);

        public Config {
            checkMoments("Adam", beta1, beta2, eps, weightDecay);
        }

        /** PyTorch's defaults: {@link #DEFAULT}. Change what differs with the {@code with...} methods. */
        public static Config defaults() {
            return DEFAULT;
        }

        /** The same config with another learning rate. */
        public Config withLr(float lr) {
            return new Config(lr, beta1(), beta2(), eps(), weightDecay(), amsgrad());
        }

        /** The same config with the moment decays beta1 and beta2. */
        public Config withBetas(float beta1, float beta2) {
            return new Config(lr(), beta1, beta2, eps(), weightDecay(), amsgrad());
        }

        /** The same config with another epsilon. */
        public Config withEps(float eps) {
            return new Config(lr(), beta1(), beta2(), eps, weightDecay(), amsgrad());
        }

        /** The same config with another weight decay. */
        public Config withWeightDecay(float weightDecay) {
            return new Config(lr(), beta1(), beta2(), eps(), weightDecay, amsgrad());
        }

        /** The same config with AMSGrad on or off. */
        public Config withAmsgrad(boolean amsgrad) {
            return new Config(lr(), beta1(), beta2(), eps(), weightDecay(), amsgrad);
        }
    }

    private final Config config;
    private final boolean decoupledWeightDecay;

    public Adam(Map<String, Tensor> parameters, float lr) {
        this(parameters, Config.defaults().withLr(lr));
    }

    public Adam(Map<String, Tensor> parameters, Config config) {
        this(parameters, config, false);
    }

    /** With parameters in groups, each with its own weight decay (replacing the config's). */
    public Adam(ParamGroups groups, Config config) {
        this(groups, config, false);
    }

    /** For {@link AdamW}: the same moments, with the weight decay applied to theta directly. */
    Adam(Map<String, Tensor> parameters, Config config, boolean decoupledWeightDecay) {
        super(parameters, config.lr());
        this.config = config;
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    Adam(ParamGroups groups, Config config, boolean decoupledWeightDecay) {
        super(groups, config.lr());
        this.config = config;
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad) {
        float[] p = param.data();
        float[] g = grad.data();
        float[] m = slot("exp_avg", name, param).data();
        float[] v = slot("exp_avg_sq", name, param).data();
        float beta1 = config.beta1();
        float beta2 = config.beta2();
        float eps = config.eps();
        float weightDecay = weightDecay(name, config.weightDecay());
        float[] vMax = config.amsgrad() ? slot("max_exp_avg_sq", name, param).data() : null;

        long t = steps();
        float lr = learningRate();
        // alpha mHat / (sqrt(vHat) + eps) = (alpha / bc1) m / (sqrt(v) / sqrt(bc2) + eps)
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        float shrink = decoupledWeightDecay ? 1 - lr * weightDecay : 1f;    // AdamW: theta *= 1 - alpha lambda
        float l2 = decoupledWeightDecay ? 0f : weightDecay;                 // Adam: g += lambda theta
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] + l2 * p[i];
            m[i] = beta1 * m[i] + oneMinusBeta1 * gi;
            v[i] = beta2 * v[i] + oneMinusBeta2 * gi * gi;
            float second = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], second);
                second = vMax[i];
            }
            p[i] = shrink * p[i] - stepSize * m[i] / ((float) Math.sqrt(second) * invSqrtBc2 + eps);
        }
    }

    /** The class and the hyper-parameters it was built with, e.g. for a run's log. */
    @Override
    public String toString() {
        return "Adam " + config;
    }

    static void checkMoments(String op, float beta1, float beta2, float eps, float weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(op + ": betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException(op + ": eps must be >= 0, got " + eps);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException(op + ": weight decay must be >= 0, got " + weightDecay);
        }
    }
}
