package dev.gradbook.examples.classical;

import dev.gradbook.core.Tensor;

/**
 * Distances between points, written once for the chapters that need them (k-means assigns
 * points to the nearest centre; t-SNE and PCA ask whether a picture keeps each point's
 * neighbours).
 */
final class Neighbourhoods {
    private Neighbourhoods() {
    }

    /**
     * All squared Euclidean distances between the rows of {@code a} (N, D) and of {@code b} (M, D)
     * as one (N, M) tensor, by expanding the square:
     * <pre>
     *   ||a_i - b_j||^2 = ||a_i||^2 + ||b_j||^2 - 2 a_i . b_j
     * </pre>
     * so the work is one matrix product {@code a b^T} instead of N*M loops over D. Rounding can
     * make a zero distance slightly negative; it is clamped at 0.
     */
    static Tensor squaredDistances(Tensor a, Tensor b) {
        Tensor aa = a.square().sum(1, true);          // (N, 1)
        Tensor bb = b.square().sum(1);                // (M), broadcast along rows
        Tensor ab = a.matmulT(b);                     // (N, M)
        return aa.add(bb).sub(ab.mul(2)).clamp(0f, Float.MAX_VALUE);
    }

    /**
     * For each point, the fraction of its {@code k} nearest other points (in the space of the
     * rows of {@code points}) that have its label, averaged over all points: 1 when every
     * neighbourhood is pure, about {@code 1 / classes} when labels are scattered at random.
     * Ties in distance go to the lower index, so the answer is deterministic.
     */
    static double sameLabelFraction(Tensor points, int[] labels, int k) {
        int n = points.size(0);
        if (labels.length != n || k >= n) {
            throw new IllegalArgumentException("sameLabelFraction: " + n + " points, " + labels.length
                    + " labels, k = " + k);
        }
        float[] d = squaredDistances(points, points).data();
        long same = 0;
        boolean[] taken = new boolean[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(taken, false);
            taken[i] = true;
            for (int found = 0; found < k; found++) {
                int best = -1;
                for (int j = 0; j < n; j++) {
                    if (!taken[j] && (best < 0 || d[i * n + j] < d[i * n + best])) {
                        best = j;
                    }
                }
                taken[best] = true;
                if (labels[best] == labels[i]) {
                    same++;
                }
            }
        }
        return same / (double) ((long) n * k);
    }

    /** Coordinate {@code j} of every point (row of {@code points}), for a scatter plot. */
    static double[] coordinate(Tensor points, int j) {
        double[] out = new double[points.size(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = points.get(i, j);
        }
        return out;
    }
}
