package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanChapterTest {
    @Test
    void theToyGanCoversModesAndDigitSamplesBeatNoise() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("gan");
        Result r = run.result();
        assertTrue(r.get("toy_mean_modes") >= 4, "modes " + r.get("toy_mean_modes"));
        // Spread evenly round the ring, samples would score about 0.19 (the 3-std discs cover a fifth of it).
        assertTrue(r.get("toy_high_quality") > 0.3, "high quality " + r.get("toy_high_quality"));
        assertTrue(r.get("real_fid") < r.get("fid") && r.get("fid") < r.get("noise_fid"), "FID " + r.get("fid"));
        for (String png : new String[] {"toy-samples.png", "toy-modes.png", "digits-over-training.png", "samples.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 2, png + " looks blank");
        }
    }

    @Test
    void realToyPointsCoverEveryModeAndACollapsedSetDoesNot() {
        EightGaussians.Coverage real = EightGaussians.coverage(EightGaussians.sample(new Rng(1), 4_000));
        assertEquals(8, real.modes());
        assertTrue(real.highQuality() > 0.98, "3 std holds 98.9% of a 2-D Gaussian: " + real.highQuality());
        Tensor oneMode = Tensor.randn(new Rng(2), 1_000, 2).mul(0.05f).add(Tensor.vector(2f, 0f));
        assertEquals(1, EightGaussians.coverage(oneMode).modes());
    }
}
