package dev.gradbook.nn.optim;

import dev.gradbook.core.Tensor;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
 * exactly as in PyTorch's {@code torch.optim.SGD} algorithm box. For each parameter
 * {@code theta} with gradient {@code g}, learning rate {@code gamma}, momentum {@code mu},
 * dampening {@code tau} and weight decay {@code lambda}:
 * <pre>
 *   g     = g + lambda theta                       (L2 penalty lambda/2 ||theta||^2, folded into g)
 *   if mu != 0:
 *     b   = g                       on the first step
 *     b   = mu b + (1 - tau) g      afterwards      (heavy ball: Polyak 1964)
 *     g   = g + mu b                if Nesterov     (Sutskever et al. 2013, eq. 3-4, in the form of
 *     g   = b                       otherwise        Bengio et al. 2013's reformulation)
 *   theta = theta - gamma g
 * </pre>
 * Momentum makes {@code b} a running sum of past gradients, so steps grow along directions
 * that keep the same sign and cancel along directions that oscillate.
 */
public class SGD extends Optimizer {
    /**
     * The hyper-parameters.
     *
     * @param lr          gamma, the learning rate (PyTorch's default 1e-3)
     * @param momentum    mu in [0, 1): 0 is plain SGD, 0.9 is the usual choice
     * @param dampening   tau in [0, 1]: scales new gradients into the buffer (0: none)
     * @param weightDecay lambda >= 0: L2 penalty coefficient
     * @param nesterov    look-ahead momentum; needs momentum > 0 and dampening 0
     */
    public record Config(float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        public static final Config DEFAULT = new Config(1e-3f, 0f, 0f, 0f, false);

        public Config {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
            }
            if (!(dampening >= 0 && dampening <= 1)) {
                throw new IllegalArgumentException("SGD: dampening must be in [0, 1], got " + dampening);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("SGD: weight decay must be >= 0, got " + weightDecay);
            }
            if (nesterov && (momentum == 0 || dampening != 0)) {
                throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and dampening 0, got "
                        + "momentum " + momentum + ", dampening " + dampening);
            }
        }

        /** PyTorch's defaults: {@link #DEFAULT}. Change what differs with the {@code with...} methods. */
        public static Config defaults() {
            return DEFAULT;
        }

        /** The same config with another learning rate. */
        public Config withLr(float lr) {
            return new Config(lr, momentum(), dampening(), weightDecay(), nesterov());
        }

        /** The same config with another momentum. */
        public Config withMomentum(float momentum) {
            return new Config(lr(), momentum, dampening(), weightDecay(), nesterov());
        }

        /** The same config with another dampening. */
        public Config withDampening(float dampening) {
            return new Config(lr(), momentum(), dampening, weightDecay(), nesterov());
        }

        /** The same config with another weight decay. */
        public Config withWeightDecay(float weightDecay) {
            return new Config(lr(), momentum(), dampening(), weightDecay, nesterov());
        }

        /** The same config with Nesterov momentum on or off. */
        public Config withNesterov(boolean nesterov) {
            return new Config(lr(), momentum(), dampening(), weightDecay(), nesterov);
        }

        /** Momentum {@code mu}, no dampening, no decay: the classic "SGD with momentum". */
        public static Config withMomentum(float lr, float momentum) {
            return new Config(lr, momentum, 0f, 0f, false);
        }
    }

    private final Config config;
    /** Parameters whose momentum buffer holds a value (the first step copies g instead of averaging). */
    private final Set<String> buffered = new HashSet<>();

    /** Plain SGD: {@code theta -= lr * g}. */
    public SGD(Map<String, Tensor> parameters, float lr) {
        this(parameters, Config.defaults().withLr(lr));
    }

    public SGD(Map<String, Tensor> parameters, Config config) {
        super(parameters, config.lr());
        this.config = config;
    }

    /** With parameters in groups, each with its own weight decay (replacing the config's). */
    public SGD(ParamGroups groups, Config config) {
        super(groups, config.lr());
        this.config = config;
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad) {
        float[] p = param.data();
        float[] g = grad.data();
        float lr = learningRate();
        float lambda = weightDecay(name, config.weightDecay());
        float mu = config.momentum();
        if (mu == 0) {
            for (int i = 0; i < p.length; i++) {
                p[i] -= lr * (g[i] + lambda * p[i]);
            }
            return;
        }
        float[] b = slot("momentum_buffer", name, param).data();
        boolean first = buffered.add(name);
        float keep = 1 - config.dampening();
        boolean nesterov = config.nesterov();
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] + lambda * p[i];
            b[i] = first ? gi : mu * b[i] + keep * gi;
            p[i] -= lr * (nesterov ? gi + mu * b[i] : b[i]);
        }
    }

    @Override
    public void loadStateDict(State saved) {
        super.loadStateDict(saved);
        buffered.clear();
        String prefix = "momentum_buffer.";
        for (String key : saved.slots().keySet()) {
            if (key.startsWith(prefix)) {
                buffered.add(key.substring(prefix.length()));
            }
        }
    }

    /** The class and the hyper-parameters it was built with, e.g. for a run's log. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + config;
    }
}
