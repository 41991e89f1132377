package dev.gradbook.examples.generative;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionalChaptersTest {
    @Test
    void theConditionalVaeDrawsTheDigitAskedFor() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("conditional-vae");
        Result r = run.result();
        // 500 quick steps: 44% at seed 42 (chance is 10%); the default run passes the 80% bar
        assertTrue(r.get("recognised") > 0.3, "recognised " + r.get("recognised"));
        assertTrue(r.get("fid") < r.get("noise_fid") / 4, "FID " + r.get("fid"));
        for (String png : new String[] {"chosen-digits.png", "style-transfer.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png + " looks blank");
        }
    }

    @Test
    void theConditionalGanDrawsTheDigitAskedFor() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("conditional-gan");
        Result r = run.result();
        // the label is obeyed only after about 2,000 steps (67% at the default 2,500, seed 42); the quick run's
        // 600 steps make digit-like samples, recognised at about chance, so only quality is asserted here
        assertTrue(r.get("recognised") >= 0 && r.get("recognised") <= 1);
        assertTrue(r.get("fid") < r.get("noise_fid") / 2, "FID " + r.get("fid"));
        for (String png : new String[] {"chosen-digits.png", "digits-over-training.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 2, png + " looks blank");
        }
    }
}
