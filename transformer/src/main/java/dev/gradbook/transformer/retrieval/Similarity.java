package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Tensor;

/**
 * How a vector index scores a stored vector {@code x} against a query {@code q}. Both are "larger
 * is closer", so one top-k serves both.
 * <ul>
 *   <li>{@link #INNER_PRODUCT}: {@code q . x}, the score of a dual encoder trained with dot
 *       products (DPR, Karpukhin et al. 2020, section 3.1, eq. 1: {@code sim(q, p) = E_Q(q)^T E_P(p)}).</li>
 *   <li>{@link #COSINE}: {@code q . x / (|q| |x|)}. The index divides every vector and every query
 *       by its length once, after which cosine is an inner product.</li>
 * </ul>
 */
public enum Similarity {
    INNER_PRODUCT,
    COSINE;

    /** The rows of a {@code (N, d)} tensor as they will be scored: a copy, unit length for {@link #COSINE}. */
    float[] prepare(Tensor rows, String who) {
        if (rows.dim() != 2 || rows.size(0) == 0 || rows.size(1) == 0) {
            throw new IllegalArgumentException(who + ": vectors must be a non-empty (N, d) tensor, got shape "
                    + java.util.Arrays.toString(rows.shape()));
        }
        if (rows.hasNonFinite()) {
            throw new IllegalArgumentException(who + ": vectors contain NaN or infinity");
        }
        float[] out = rows.toArray();
        if (this == COSINE) {
            int d = rows.size(1);
            for (int i = 0; i < rows.size(0); i++) {
                normalize(out, i * d, d);
            }
        }
        return out;
    }

    /** Divides {@code x[from .. from + d)} by its Euclidean length (a zero vector stays zero). */
    static void normalize(float[] x, int from, int d) {
        double sq = 0;
        for (int j = 0; j < d; j++) {
            sq += (double) x[from + j] * x[from + j];
        }
        if (sq > 0) {
            float inv = (float) (1 / Math.sqrt(sq));
            for (int j = 0; j < d; j++) {
                x[from + j] *= inv;
            }
        }
    }

    /** {@code a[ia .. ia + d) . b[ib .. ib + d)}: the one loop every search in this package spends its time in. */
    static float dot(float[] a, int ia, float[] b, int ib, int d) {
        float s = 0;
        for (int j = 0; j < d; j++) {
            s += a[ia + j] * b[ib + j];
        }
        return s;
    }
}
