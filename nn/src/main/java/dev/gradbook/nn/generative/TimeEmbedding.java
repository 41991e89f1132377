package dev.gradbook.nn.generative;

import dev.gradbook.core.Tensor;

/**
 * The sinusoidal embedding of a diffusion step, as the Transformer's position encoding
 * (Vaswani et al., "Attention Is All You Need", NeurIPS 2017, section 3.5; used for the step by
 * Ho et al. 2020, appendix B): {@code d/2} frequencies {@code w_k = 10000^(-2k/d)} and
 * <pre>
 *   emb(t) = [ sin(t w_0), ..., sin(t w_(d/2-1)), cos(t w_0), ..., cos(t w_(d/2-1)) ]
 * </pre>
 * so that nearby steps get similar vectors and the network can tell far-apart ones. It has no
 * parameters and needs no gradient.
 */
public final class TimeEmbedding {
    private TimeEmbedding() {
    }

    /** The embeddings {@code (B, dim)} of steps {@code t (B)}; dim must be even. */
    public static Tensor of(int[] t, int dim) {
        if (dim <= 0 || dim % 2 != 0) {
            throw new IllegalArgumentException("TimeEmbedding: dim must be positive and even, got " + dim);
        }
        int half = dim / 2;
        float[] out = new float[t.length * dim];
        for (int b = 0; b < t.length; b++) {
            for (int k = 0; k < half; k++) {
                double w = Math.pow(10000, -2.0 * k / dim);
                out[b * dim + k] = (float) Math.sin(t[b] * w);
                out[b * dim + half + k] = (float) Math.cos(t[b] * w);
            }
        }
        return Tensor.wrap(out, t.length, dim);
    }

    /** The same step for a whole batch of n. */
    public static Tensor of(int t, int n, int dim) {
        int[] steps = new int[n];
        java.util.Arrays.fill(steps, t);
        return of(steps, dim);
    }
}
