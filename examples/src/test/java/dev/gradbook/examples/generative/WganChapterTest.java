package dev.gradbook.examples.generative;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class WganChapterTest {
    @Test
    void bothGamesAreMeasuredOnTheSameToy() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("wgan");
        Result r = run.result();
        // 2 seeds of 300 steps: the Wasserstein game has found several modes (4 of 8 at seed 42); both numbers are reported side by side
        assertTrue(r.get("wgan_mean_modes") >= 3, "WGAN-GP modes " + r.get("wgan_mean_modes"));
        assertTrue(r.get("wgan_high_quality") > 0.05, "WGAN-GP high quality " + r.get("wgan_high_quality"));
        assertTrue(r.get("toy_mean_modes") >= 1 && r.get("gan_worst_late_modes") <= 8);
        assertTrue(run.output().contains("side by side"));
        for (String png : new String[] {"wgan-samples.png", "wgan-modes.png", "wgan-critic.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 2, png + " looks blank");
        }
    }
}
