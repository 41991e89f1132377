package dev.gradbook.nn;

import dev.gradbook.core.Tensor;

/** Softmax along {@code dim}: {@code exp(x_i) / sum_j exp(x_j)}, computed stably (see {@link Tensor#softmax}). */
public class Softmax extends Layer {
    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.softmax(dim);
    }

    @Override
    protected String describe() {
        return "dim=" + dim;
    }
}
