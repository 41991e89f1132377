package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * A fully connected layer: {@code y = x Wᵀ + b}.
 *
 * <p>Shapes: input {@code (..., in)}, weight {@code W (out, in)}, bias {@code b (out)}, output
 * {@code (..., out)}. The weight is stored as {@code (out, in)}, as in PyTorch, so that row
 * {@code j} of W holds the input weights of output unit {@code j} and checkpoints are
 * interchangeable; the product uses {@link Tensor#matmulT}, which never copies the transpose.
 * Both W and b start as {@code U(-1/sqrt(in), 1/sqrt(in))} (PyTorch's default).
 */
public class Linear extends Layer {
    public final int inFeatures;
    public final int outFeatures;
    public final Tensor weight;
    /** Null when the layer was built without a bias. */
    public final Tensor bias;

    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + inFeatures
                    + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", Init.pytorchDefault(rng, inFeatures, outFeatures, inFeatures));
        this.bias = bias ? parameter("bias", Init.pytorchDefault(rng, inFeatures, outFeatures)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear(in=" + inFeatures + ", out=" + outFeatures
                    + "): input of shape " + Shape.format(x.shape()) + " does not end in " + inFeatures);
        }
        if (x.dim() == 1) {
            return forward(x.reshape(1, inFeatures)).reshape(outFeatures); // (in) -> (1, in) -> (out)
        }
        Tensor y = x.matmulT(weight); // (..., out)
        return bias == null ? y : y.add(bias);
    }

    @Override
    protected String describe() {
        return "in=" + inFeatures + ", out=" + outFeatures + (bias == null ? ", bias=false" : "");
    }
}
