package dev.gradbook.examples.generative;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DiffusionChapterTest {
    @Test
    void ddimIsFasterAndBothSamplersBeatNoise() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("diffusion");
        Result r = run.result();
        // 1,000 toy steps: samples gathered on the circle (the modes' fine width comes later, see the default run)
        assertTrue(r.get("toy_ddpm_ring_error") < 0.5 * r.get("toy_noise_ring_error"), "DDPM " + r.get("toy_ddpm_ring_error"));
        assertTrue(r.get("toy_ddim_ring_error") < 0.5 * r.get("toy_noise_ring_error"), "DDIM " + r.get("toy_ddim_ring_error"));
        assertTrue(r.get("ddim_ms_per_sample") * 4 < r.get("ddpm_ms_per_sample"), "20 of 200 steps is much faster");
        assertTrue(r.get("fid") < r.get("noise_fid") && r.get("ddim_fid") < r.get("noise_fid"),
                "FID " + r.get("fid") + ", " + r.get("ddim_fid") + " vs noise " + r.get("noise_fid"));
        for (String png : new String[] {"toy-samples.png", "forward-process.png", "ddpm-samples.png", "ddim-samples.png",
                "reverse-process.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 2, png + " looks blank");
        }
    }
}
