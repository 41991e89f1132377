package dev.gradbook.nn;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;

/**
 * A lookup table: token id {@code i} maps to row {@code i} of a learned {@code (numEmbeddings, dim)}
 * matrix. Equivalent to multiplying a one-hot vector by the matrix, without building the one-hot.
 * Gradients flow only to the rows that were looked up. Rows start as N(0, 1), as in PyTorch.
 */
public class Embedding extends Layer {
    public final int numEmbeddings;
    public final int embeddingDim;
    public final Tensor weight;

    public Embedding(int numEmbeddings, int embeddingDim, Rng rng) {
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.weight = parameter("weight", Tensor.randn(rng, numEmbeddings, embeddingDim));
    }

    /** {@code ids} of any shape {@code (...)}, holding whole numbers; returns {@code (..., dim)}. */
    @Override
    public Tensor forward(Tensor ids) {
        float[] raw = ids.data();
        int[] rows = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            rows[i] = (int) raw[i];
            if (rows[i] != raw[i] || rows[i] < 0 || rows[i] >= numEmbeddings) {
                throw new IllegalArgumentException("Embedding(" + numEmbeddings + ", " + embeddingDim + "): id "
                        + raw[i] + " at position " + i + " of input " + Shape.format(ids.shape())
                        + " is not in [0, " + numEmbeddings + ")");
            }
        }
        int[] outShape = java.util.Arrays.copyOf(ids.shape(), ids.dim() + 1);
        outShape[ids.dim()] = embeddingDim;
        return weight.indexSelect(0, rows).reshape(outShape);
    }

    @Override
    protected String describe() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
