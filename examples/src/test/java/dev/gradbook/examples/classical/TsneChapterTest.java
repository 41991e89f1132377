package dev.gradbook.examples.classical;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TsneChapterTest {
    @Test
    void quickRunKeepsSameDigitNeighboursTogether() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("tsne");
        Result r = run.result();
        assertTrue(r.get("gradient_check_error") < 1e-4, "eq. 5 against autograd: " + r.get("gradient_check_error"));
        // 200 digits: the map keeps ~0.82 of the 10 nearest neighbours' digits, PCA ~0.56, 64-D ~0.79
        double map = r.get("neighbours_kept_map");
        assertTrue(map > 0.7, "same-digit neighbours in the map: " + map);
        assertTrue(map > r.get("neighbours_kept_pca") + 0.15, "t-SNE should keep far more than a linear 2-D map");
        assertTrue(r.get("final_kl") < 0.6, "final KL " + r.get("final_kl"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("tsne.png")) > 10);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("kl.png")) > 5);
    }

    @Test
    void calibratedAffinitiesAreAJointDistributionWithTheRightPerplexity() {
        Rng rng = new Rng(7);
        Tensor x = Tensor.randn(rng, 60, 5);
        double[] sigma = new double[60];
        Tensor p = TsneChapter.jointProbabilities(Neighbourhoods.squaredDistances(x, x), 10f, sigma);
        assertEquals(1.0, p.sum().item(), 1e-4, "P sums to 1");
        assertTrue(p.allClose(p.t(), 0f, 1e-9f), "P is symmetric");
        // row 0's conditional distribution, rebuilt from its sigma, has perplexity 10
        Tensor d = Neighbourhoods.squaredDistances(x, x);
        double sum = 0;
        double[] w = new double[60];
        for (int j = 1; j < 60; j++) {
            w[j] = Math.exp(-d.get(0, j) / (2 * sigma[0] * sigma[0]));
            sum += w[j];
        }
        double entropy = 0;
        for (int j = 1; j < 60; j++) {
            entropy -= w[j] / sum * Math.log(w[j] / sum);
        }
        assertEquals(10.0, Math.exp(entropy), 1e-3);
    }
}
