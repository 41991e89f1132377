package dev.gradbook.nn;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

/**
 * A lookup table: token id {@code i} maps to row {@code i} of a learned {@code (numEmbeddings, dim)}
 * matrix. Equivalent to multiplying a one-hot vector by the matrix, without building the one-hot.
 * Gradients flow only to the rows that were looked up. Rows start as N(0, 1), as in PyTorch.
 *
 * <p>It reads token ids, an {@link IntTensor}, not activations: so it is a {@link Module} whose
 * {@code forward} takes ids, not a {@link Layer} mapping one float tensor to another.
 */
public class Embedding extends Module {
    public final int numEmbeddings;
    public final int embeddingDim;
    public final Tensor weight;

    public Embedding(int numEmbeddings, int embeddingDim, Rng rng) {
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.weight = parameter("weight", Tensor.randn(rng, numEmbeddings, embeddingDim));
    }

    /** {@code ids} of any shape {@code (...)}, each in {@code [0, numEmbeddings)}; returns {@code (..., dim)}. */
    public Tensor forward(IntTensor ids) {
        ids.checkRange("embedding", numEmbeddings);
        int[] outShape = java.util.Arrays.copyOf(ids.shape(), ids.dim() + 1);
        outShape[ids.dim()] = embeddingDim;
        return weight.indexSelect(0, ids.data()).reshape(outShape);
    }

    @Override
    protected String describe() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
