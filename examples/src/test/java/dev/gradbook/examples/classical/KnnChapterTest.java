package dev.gradbook.examples.classical;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnnChapterTest {
    @Test
    void nearestNeighboursReadTheDigits() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("knn");
        // about 0.99 at k = 1; a guess gets 0.1
        assertTrue(run.result().get("best_accuracy") >= 0.95, "best k accuracy " + run.result().get("best_accuracy"));
        assertTrue(run.result().get("chosen_k_test_accuracy") >= 0.95, "k chosen by leave-one-out");
        assertTrue(run.result().get("accuracy_k1") >= run.result().get("accuracy_k15") - 0.01,
                "large k does not help on these clean digits");
        assertEquals(0, run.result().get("distance_relative_error"), 1e-6, "whole-number pixels: exact");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("accuracy-vs-k.png")) > 10);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("misclassified.png")) > 5);
    }

    @Test
    void matmulDistancesEqualTheDefinitionOnRealValuedPoints() {
        Rng rng = new Rng(7);
        Tensor a = Tensor.randn(rng, 5, 16);
        Tensor b = Tensor.randn(rng, 9, 16).add(0.5f);
        Tensor d = Neighbourhoods.squaredDistances(a, b);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 9; j++) {
                double expected = 0;
                for (int f = 0; f < 16; f++) {
                    double diff = a.get(i, f) - b.get(j, f);
                    expected += diff * diff;
                }
                assertEquals(expected, d.get(i, j), 1e-4 * expected, "(" + i + ", " + j + ")");
            }
        }
    }
}
