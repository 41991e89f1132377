package dev.gradbook.nn;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Root-mean-square normalisation (Zhang and Sennrich, NeurIPS 2019, eq. 4): LayerNorm without
 * the mean subtraction and the bias, cheaper and just as good in practice (LLaMA uses it):
 * <pre>
 *   y = x / sqrt(mean(x^2) + eps) * gamma                         (over the last dimension)
 * </pre>
 */
public class RMSNorm extends Layer {
    public final int dim;
    public final float eps;
    public final Tensor weight;

    public RMSNorm(int dim) {
        this(dim, 1e-6f);
    }

    public RMSNorm(int dim, float eps) {
        this.dim = dim;
        this.eps = eps;
        this.weight = parameter("weight", Tensor.ones(dim));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != dim) {
            throw new IllegalArgumentException("RMSNorm(" + dim + "): input of shape " + Shape.format(x.shape())
                    + " does not end in " + dim);
        }
        Tensor rms = x.square().mean(-1, true).add(eps).sqrt();   // (..., 1)
        return x.div(rms).mul(weight);
    }

    @Override
    protected String describe() {
        return dim + ", eps=" + eps;
    }
}
