package dev.gradbook.transformer.retrieval;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorIndexTest {
    private static final int N = 300;
    private static final int D = 16;

    /** The top k of a brute-force search computed in doubles from the raw floats: ids, best first. */
    private static int[] bruteForce(float[] x, float[] q, int n, int d, int qi, int k, boolean cosine) {
        double[] score = new double[n];
        double qNorm = 0;
        for (int j = 0; j < d; j++) {
            qNorm += (double) q[qi * d + j] * q[qi * d + j];
        }
        for (int i = 0; i < n; i++) {
            double dot = 0;
            double xNorm = 0;
            for (int j = 0; j < d; j++) {
                dot += (double) x[i * d + j] * q[qi * d + j];
                xNorm += (double) x[i * d + j] * x[i * d + j];
            }
            score[i] = cosine ? dot / Math.sqrt(xNorm * qNorm) : dot;
        }
        return IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble((Integer i) -> -score[i]))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static double score(float[] x, float[] q, int d, int i, int qi, boolean cosine) {
        double dot = 0, xn = 0, qn = 0;
        for (int j = 0; j < d; j++) {
            dot += (double) x[i * d + j] * q[qi * d + j];
            xn += (double) x[i * d + j] * x[i * d + j];
            qn += (double) q[qi * d + j] * q[qi * d + j];
        }
        return cosine ? dot / Math.sqrt(xn * qn) : dot;
    }

    @Test
    void exactSearchMatchesBruteForceInDoubles() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, N, D).mul(Tensor.uniform(rng, 0.5f, 2f, N, 1)); // lengths differ: IP != cosine
        Tensor q = Tensor.randn(rng, 20, D);
        for (Similarity sim : Similarity.values()) {
            boolean cosine = sim == Similarity.COSINE;
            Neighbours found = new ExactIndex(x, sim).search(q, 7);
            assertArrayEquals(new int[] {20, 7}, found.ids().shape());
            assertEquals(20L * N, found.vectorsCompared());
            for (int qi = 0; qi < 20; qi++) {
                assertArrayEquals(bruteForce(x.data(), q.data(), N, D, qi, 7, cosine), found.ids(qi), sim + " query " + qi);
                for (int r = 0; r < 7; r++) {
                    assertEquals(score(x.data(), q.data(), D, found.ids(qi)[r], qi, cosine), found.scores().get(qi, r), 1e-4);
                }
            }
        }
    }

    @Test
    void tiesGoToTheLowerIdAndShortResultsArePadded() {
        Tensor x = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0.5f, 0}});
        Neighbours n = new ExactIndex(x, Similarity.INNER_PRODUCT).search(Tensor.of(new float[][] {{1, 0}}), 6);
        assertArrayEquals(new int[] {0, 2, 3, 1, -1, -1}, n.ids().data());
        assertEquals(Float.NEGATIVE_INFINITY, n.scores().get(0, 5));
        assertArrayEquals(new int[] {0, 2, 3, 1}, n.ids(0));
    }

    @Test
    void ivfProbingEveryListIsExactSearch() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, N, D);
        Tensor q = Tensor.randn(rng, 40, D);
        for (Similarity sim : Similarity.values()) {
            IvfIndex ivf = new IvfIndex(x, sim, 12, 8, 12, new Rng(1));
            Neighbours exact = new ExactIndex(x, sim).search(q, 10);
            Neighbours all = ivf.search(q, 10);
            assertArrayEquals(exact.ids().data(), all.ids().data(), sim.toString());
            assertArrayEquals(exact.scores().data(), all.scores().data(), 0f);
            assertEquals(40L * (N + 12), all.vectorsCompared());      // every vector plus the centroids
            assertEquals(N, Arrays.stream(ivf.listSizes()).sum());
        }
    }

    @Test
    void ivfRecallGrowsWithNprobeAndWorkShrinks() {
        // clustered data, as embeddings are: 20 blobs
        Rng rng = new Rng(9);
        Tensor centres = Tensor.randn(rng, 20, D).mul(3f);
        int[] blob = new int[N];
        for (int i = 0; i < N; i++) {
            blob[i] = rng.nextInt(20);
        }
        Tensor x = centres.indexSelect(0, blob).add(Tensor.randn(rng, N, D));
        Tensor q = centres.indexSelect(0, 0, 5, 10, 15).add(Tensor.randn(rng, 4, D));
        IvfIndex ivf = new IvfIndex(x, Similarity.COSINE, 16, 10, 1, new Rng(2));
        Neighbours exact = new ExactIndex(x, Similarity.COSINE).search(q, 5);
        double previous = -1;
        long previousWork = 0;
        for (int nprobe = 1; nprobe <= 16; nprobe *= 2) {
            Neighbours found = ivf.withNprobe(nprobe).search(q, 5);
            double recall = 0;
            for (int i = 0; i < 4; i++) {
                int[] want = exact.ids(i);
                recall += Arrays.stream(found.ids(i)).filter(id -> Arrays.stream(want).anyMatch(w -> w == id)).count() / 5.0 / 4;
            }
            assertTrue(recall >= previous, "nprobe " + nprobe + ": recall " + recall + " < " + previous);
            assertTrue(found.vectorsCompared() > previousWork);
            previous = recall;
            previousWork = found.vectorsCompared();
            if (nprobe == 1) {
                assertTrue(found.vectorsCompared() < 4L * N / 2, "one list of 16 should cost far less than N");
            }
        }
        assertEquals(1.0, previous, 1e-12);
    }

    @Test
    void kMeansMovesCentroidsToTheMeansOfTheirVectors() {
        // two well-separated pairs of points: the centroids are the pairs' means, computed by hand
        float[] x = {0, 0, 0, 2, 10, 10, 10, 12};
        float[] c = KMeans.fit(x, 4, 2, 2, 5, Similarity.INNER_PRODUCT, new Rng(0));
        float[][] centroids = {{c[0], c[1]}, {c[2], c[3]}};
        Arrays.sort(centroids, Comparator.comparingDouble(v -> v[0]));
        assertArrayEquals(new float[] {0, 1}, centroids[0], 1e-6f);
        assertArrayEquals(new float[] {10, 11}, centroids[1], 1e-6f);
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = Tensor.randn(new Rng(0), 10, 4);
        ExactIndex exact = new ExactIndex(x, Similarity.COSINE);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> exact.search(Tensor.zeros(2, 3), 1))
                .getMessage().contains("(Q, 4)"));
        assertThrows(IllegalArgumentException.class, () -> exact.search(Tensor.zeros(2, 4), 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IvfIndex(x, Similarity.COSINE, 11, 5, 1, new Rng(0)))
                .getMessage().contains("lists"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IvfIndex(x, Similarity.COSINE, 4, 5, 5, new Rng(0)))
                .getMessage().contains("nprobe"));
        assertThrows(IllegalArgumentException.class, () -> new ExactIndex(Tensor.of(new float[][] {{Float.NaN, 0}}), Similarity.COSINE));
    }
}
