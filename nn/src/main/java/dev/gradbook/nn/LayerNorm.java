package dev.gradbook.nn;

import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * Layer normalisation (Ba, Kiros and Hinton, 2016, eq. 4): normalise each position's feature
 * vector to zero mean and unit variance, then scale and shift it with learned {@code gamma}
 * (called weight, starts at 1) and {@code beta} (bias, starts at 0):
 * <pre>
 *   y = (x - mean(x)) / sqrt(var(x) + eps) * gamma + beta        (over the last dimension)
 * </pre>
 * Unlike BatchNorm it uses no batch statistics, so it behaves the same in training and eval and
 * for any batch size, which is why transformers use it. The variance is the biased one (÷ n).
 * Written from core ops, so its gradient comes from autograd.
 */
public class LayerNorm extends Layer {
    public final int normalizedShape;
    public final float eps;
    public final Tensor weight;
    public final Tensor bias;

    public LayerNorm(int normalizedShape) {
        this(normalizedShape, 1e-5f, true);
    }

    public LayerNorm(int normalizedShape, float eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape;
        this.eps = eps;
        this.weight = elementwiseAffine ? parameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine ? parameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != normalizedShape) {
            throw new IllegalArgumentException("LayerNorm(" + normalizedShape + "): input of shape "
                    + Shape.format(x.shape()) + " does not end in " + normalizedShape);
        }
        Tensor mean = x.mean(-1, true);                                  // (..., 1)
        Tensor centred = x.sub(mean);                                    // (..., C)
        Tensor variance = centred.square().mean(-1, true);               // (..., 1)
        Tensor normalised = centred.div(variance.add(eps).sqrt());       // (..., C)
        return weight == null ? normalised : normalised.mul(weight).add(bias);
    }

    @Override
    protected String describe() {
        return normalizedShape + ", eps=" + eps;
    }
}
