package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Tensor;

/**
 * Nearest-neighbour search over a fixed set of N vectors of dimension d: for each query, the k
 * stored vectors of highest {@link Similarity}. {@link ExactIndex} compares a query with every
 * vector; {@link IvfIndex} compares it with a few clusters' worth and may miss some.
 */
public interface VectorIndex {
    /** N, the number of stored vectors; their ids are 0 .. N-1 in the order they were given. */
    int size();

    /** d, the length of each vector. */
    int dim();

    Similarity similarity();

    /** The {@code k} nearest stored vectors to each row of {@code queries (Q, d)}. */
    Neighbours search(Tensor queries, int k);

    /** Checks a search's arguments, naming the index and the problem. */
    static void checkQuery(String who, Tensor queries, int k, int dim) {
        if (queries.dim() != 2 || queries.size(1) != dim) {
            throw new IllegalArgumentException(who + ".search: queries must be (Q, " + dim + "), got shape "
                    + java.util.Arrays.toString(queries.shape()));
        }
        if (k < 1) {
            throw new IllegalArgumentException(who + ".search: k must be >= 1, got " + k);
        }
    }
}
