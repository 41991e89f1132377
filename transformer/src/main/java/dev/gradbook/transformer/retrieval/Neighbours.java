package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

/**
 * The answer of a {@link VectorIndex} to Q queries: for each, the ids of its k nearest stored
 * vectors, best first, and their scores, laid out like {@link Tensor#topk}'s values and indices.
 * Equal scores go to the lower id. An approximate index may find fewer than k candidates; the
 * missing places hold id {@code -1} and score {@code -Infinity}.
 *
 * @param scores           {@code (Q, k)} similarities, descending along each row
 * @param ids              {@code (Q, k)} row numbers of the stored vectors
 * @param vectorsCompared  how many vectors the queries were scored against in all (stored
 *                         vectors plus, for an inverted file, centroids): the work the search did
 */
public record Neighbours(Tensor scores, IntTensor ids, long vectorsCompared) {
    /** Query {@code q}'s ids, best first (without the {@code -1} padding). */
    public int[] ids(int q) {
        int k = ids.size(1);
        int[] row = java.util.Arrays.copyOfRange(ids.data(), q * k, (q + 1) * k);
        int found = 0;
        while (found < k && row[found] >= 0) {
            found++;
        }
        return java.util.Arrays.copyOf(row, found);
    }

    public int queries() {
        return ids.size(0);
    }
}
