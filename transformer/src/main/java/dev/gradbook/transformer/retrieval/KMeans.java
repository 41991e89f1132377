package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Rng;

/**
 * Lloyd's k-means (Lloyd 1982), the coarse quantiser of an inverted file: k centroids such that
 * each vector is near its own. Repeat: assign every vector to its nearest centroid, then move each
 * centroid to the mean of its vectors. The centroids start at k distinct vectors picked with the
 * seed; a centroid left with no vector jumps to a random vector.
 *
 * <p>"Nearest" follows the index's {@link Similarity}: the smallest Euclidean distance for
 * {@link Similarity#INNER_PRODUCT}, the largest cosine for {@link Similarity#COSINE}, where the
 * vectors are unit length and the means are scaled back to unit length (spherical k-means,
 * Dhillon and Modha 2001, section 3). On unit vectors the two agree:
 * {@code |x - c|^2 = 2 - 2 x . c}.
 */
final class KMeans {
    private KMeans() {
    }

    /** The centroids {@code (k, d)} of the rows of {@code x (n, d)}, after {@code iterations} rounds. */
    static float[] fit(float[] x, int n, int d, int k, int iterations, Similarity similarity, Rng rng) {
        float[] centroids = new float[k * d];
        int[] start = rng.permutation(n);
        for (int c = 0; c < k; c++) {
            System.arraycopy(x, start[c] * d, centroids, c * d, d);
        }
        int[] assignment = new int[n];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                assignment[i] = nearest(x, i, centroids, k, d, similarity);
            }
            update(x, n, d, k, assignment, centroids, similarity, rng);
        }
        return centroids;
    }

    /** The centroid nearest to row {@code i} of {@code x}; ties to the lower centroid. */
    static int nearest(float[] x, int i, float[] centroids, int k, int d, Similarity similarity) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double score = similarity == Similarity.COSINE
                    ? Similarity.dot(x, i * d, centroids, c * d, d)
                    : -squaredDistance(x, i * d, centroids, c * d, d);
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    private static void update(float[] x, int n, int d, int k, int[] assignment, float[] centroids,
                               Similarity similarity, Rng rng) {
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int c = assignment[i];
            counts[c]++;
            for (int j = 0; j < d; j++) {
                sums[c * d + j] += x[i * d + j];
            }
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {                      // an empty cluster restarts at a random vector
                System.arraycopy(x, rng.nextInt(n) * d, centroids, c * d, d);
                continue;
            }
            for (int j = 0; j < d; j++) {
                centroids[c * d + j] = (float) (sums[c * d + j] / counts[c]);
            }
            if (similarity == Similarity.COSINE) {
                Similarity.normalize(centroids, c * d, d);
            }
        }
    }

    private static double squaredDistance(float[] a, int ia, float[] b, int ib, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double diff = a[ia + j] - b[ib + j];
            s += diff * diff;
        }
        return s;
    }
}
