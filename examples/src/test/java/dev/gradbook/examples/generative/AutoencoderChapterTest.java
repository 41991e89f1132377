package dev.gradbook.examples.generative;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoencoderChapterTest {
    @Test
    void theCodeBeatsTheMeanImageAndTheDenoiserRemovesNoise() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("autoencoder");
        Result r = run.result();
        assertTrue(r.get("reconstruction_mse") < 0.6 * r.get("mean_image_mse"), "reconstruction " + r.get("reconstruction_mse"));
        assertTrue(r.get("denoised_mse") < 0.5 * r.get("noisy_mse"), "denoised " + r.get("denoised_mse"));
        assertTrue(r.get("denoised_mse") < r.get("plain_on_noisy_mse"), "the denoiser beats the plain autoencoder on noise");
        assertTrue(r.get("latent_centroid_accuracy") > 0.25, "2-D map separation " + r.get("latent_centroid_accuracy"));
        for (String png : new String[] {"reconstructions.png", "denoised.png", "latent-map.png", "interpolation.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png + " looks blank");
        }
    }

    @Test
    void interpolationIncludesBothEndsAndTheCentroidRuleIsExactOnSeparatedClusters() {
        Tensor path = LatentPlane.interpolate(Tensor.vector(0f, 2f), Tensor.vector(4f, -2f), 5);
        assertEquals(0f, path.get(0, 0));
        assertEquals(2f, path.get(2, 0), 1e-6);
        assertEquals(-2f, path.get(4, 1), 1e-6);
        double acc = LatentPlane.centroidAccuracy(new double[] {0, 0.1, 5, 5.1}, new double[] {0, 0, 5, 5}, new int[] {0, 0, 1, 1});
        assertEquals(1.0, acc);
    }
}
