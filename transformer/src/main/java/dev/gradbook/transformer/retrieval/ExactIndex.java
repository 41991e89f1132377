package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Tensor;

/**
 * Exact ("flat", brute-force) nearest-neighbour search: each query is scored against all N
 * stored vectors and the k best are kept. Cost O(N d) per query; always right. This is the
 * reference an approximate index is measured against (FAISS calls it {@code IndexFlatIP}).
 */
public final class ExactIndex implements VectorIndex {
    private final Similarity similarity;
    private final float[] vectors;      // (N, d) row-major, unit rows for COSINE
    private final int n;
    private final int d;

    /** Stores a copy of the rows of {@code vectors (N, d)}. */
    public ExactIndex(Tensor vectors, Similarity similarity) {
        this.similarity = similarity;
        this.vectors = similarity.prepare(vectors, "ExactIndex");
        this.n = vectors.size(0);
        this.d = vectors.size(1);
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public Similarity similarity() {
        return similarity;
    }

    @Override
    public Neighbours search(Tensor queries, int k) {
        VectorIndex.checkQuery("ExactIndex", queries, k, d);
        float[] q = similarity.prepare(queries, "ExactIndex.search");
        int count = queries.size(0);
        int[] ids = new int[count * k];
        float[] scores = new float[count * k];
        BoundedHeap heap = new BoundedHeap(k);
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < n; j++) {
                heap.offer(j, Similarity.dot(q, i * d, vectors, j * d, d));
            }
            heap.drainInto(ids, scores, i);
        }
        return BoundedHeap.neighbours(ids, scores, count, k, (long) count * n);
    }
}
