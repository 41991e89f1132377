package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * Dropout (Srivastava et al., JMLR 2014): in training, zero each element with probability
 * {@code p} and scale the survivors by {@code 1 / (1 - p)} ("inverted dropout"), so that the
 * expected value is unchanged and evaluation needs no rescaling. In eval mode it is the identity.
 * The mask comes from the layer's own seeded generator.
 */
public class Dropout extends Layer {
    public final float p;
    private final Rng rng;

    public Dropout(float p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        Tensor keep = Tensor.bernoulli(rng, 1 - p, x.shape()).mul(1 / (1 - p));
        return x.mul(keep);
    }

    @Override
    protected String describe() {
        return "p=" + p;
    }
}
