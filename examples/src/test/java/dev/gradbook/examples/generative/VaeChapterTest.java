package dev.gradbook.examples.generative;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class VaeChapterTest {
    @Test
    void samplesScoreBetweenRealDigitsAndNoise() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("vae");
        Result r = run.result();
        // an untrained decoder gives about 543 nats (784 ln 2); the quick run gets well below 200
        assertTrue(r.get("test_neg_elbo") < 200, "negative ELBO " + r.get("test_neg_elbo"));
        assertTrue(r.get("test_kl") > 1, "the code carries information: KL " + r.get("test_kl"));
        assertTrue(r.get("real_fid") < r.get("fid") && r.get("fid") < r.get("noise_fid") / 4, "FID order " + r.get("fid"));
        assertTrue(r.get("inception_score") > 2.5, "IS " + r.get("inception_score"));
        for (String png : new String[] {"samples.png", "interpolation.png", "loss.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png + " looks blank");
        }
    }
}
