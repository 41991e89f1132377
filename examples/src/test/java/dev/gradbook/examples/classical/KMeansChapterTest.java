package dev.gradbook.examples.classical;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansChapterTest {
    @Test
    void quickRunFindsTheBlobsAndTheIrisSpecies() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("k-means");
        Result r = run.result();
        for (String data : new String[] {"blobs", "iris"}) {
            for (int k = 2; k <= 8; k++) {
                double before = r.get(data + "_inertia_k" + (k - 1));
                double now = r.get(data + "_inertia_k" + k);
                assertTrue(now < before, data + ": inertia should fall from k = " + (k - 1) + " to " + k
                        + " (" + before + " -> " + now + ")");
            }
        }
        // six well-separated blobs: the elbow is at 6 and the clusters are the blobs
        assertEquals(6, r.get("blobs_elbow"));
        assertTrue(r.get("blobs_purity") > 0.99, "blob purity " + r.get("blobs_purity"));
        // iris with k = 3: setosa alone, versicolor/virginica mostly apart (0.89 is the known optimum)
        assertTrue(r.get("iris_purity") > 0.85, "iris purity " + r.get("iris_purity"));
        assertEquals(2, r.get("iris_elbow"), "setosa against the rest is the sharpest bend on iris");
        assertTrue(r.get("plusplus_mean_inertia") < r.get("random_init_mean_inertia"),
                "k-means++ seeding should end lower on average than random points");
        for (String png : new String[] {"elbow.png", "blobs-clusters.png", "iris-clusters.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png + " looks blank");
        }
    }

    @Test
    void purityCountsTheMajorityLabelOfEachCluster() {
        int[] clusters = {0, 0, 0, 1, 1, 1};
        int[] labels = {0, 0, 1, 1, 1, 1};
        assertEquals(5 / 6.0, KMeans.purity(clusters, labels, 2, 2), 1e-12);
        assertEquals(3, KMeansChapter.elbowOf(new double[] {100, 60, 10, 9, 8.5, 8}));
    }
}
