package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

/**
 * Keeps the k best (id, score) pairs seen so far, in primitive arrays: a min-heap whose root is
 * the weakest kept pair, so a new pair costs one comparison unless it beats the root (then
 * O(log k)). "Better" means a higher score, or the same score and a lower id, so the result does
 * not depend on the order in which candidates arrive: an inverted file that probes every list
 * returns exactly what the exact index returns.
 */
final class BoundedHeap {
    private final int[] ids;
    private final float[] scores;
    private int size;

    BoundedHeap(int k) {
        ids = new int[k];
        scores = new float[k];
    }

    void clear() {
        size = 0;
    }

    void offer(int id, float score) {
        if (size < ids.length) {
            ids[size] = id;
            scores[size] = score;
            siftUp(size++);
        } else if (better(id, score, ids[0], scores[0])) {
            ids[0] = id;
            scores[0] = score;
            siftDown(0);
        }
    }

    /** Writes the kept pairs best first into row {@code row} of {@code (Q, k)} arrays, padding with -1 / -inf; empties the heap. */
    void drainInto(int[] outIds, float[] outScores, int row) {
        int k = ids.length;
        for (int j = size; j < k; j++) {
            outIds[row * k + j] = -1;
            outScores[row * k + j] = Float.NEGATIVE_INFINITY;
        }
        for (int j = size - 1; j >= 0; j--) {      // the root is the weakest: it goes last
            outIds[row * k + j] = ids[0];
            outScores[row * k + j] = scores[0];
            size--;
            ids[0] = ids[size];
            scores[0] = scores[size];
            siftDown(0);
        }
    }

    static Neighbours neighbours(int[] ids, float[] scores, int queries, int k, long compared) {
        return new Neighbours(Tensor.wrap(scores, queries, k), IntTensor.wrap(ids, queries, k), compared);
    }

    private static boolean better(int idA, float a, int idB, float b) {
        return a > b || (a == b && idA < idB);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(ids[parent], scores[parent], ids[i], scores[i])) {
                break;
            }
            swap(i, parent);              // the parent beat the child: the weaker one moves up
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int weakest = i;
            for (int c = 2 * i + 1; c <= 2 * i + 2 && c < size; c++) {
                if (better(ids[weakest], scores[weakest], ids[c], scores[c])) {
                    weakest = c;
                }
            }
            if (weakest == i) {
                return;
            }
            swap(i, weakest);
            i = weakest;
        }
    }

    private void swap(int a, int b) {
        int id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }
}
