package dev.gradbook.examples.architectures;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyenaChapterTest {
    @Test
    void hyenaRecallsAndItsCostGrowsMoreSlowlyThanAttentions() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("hyena");
        Result r = run.result();
        assertTrue(r.get("max_diff_forms") < 1e-4, "FFT vs direct " + r.get("max_diff_forms"));
        assertTrue(r.get("hyena_accuracy") > 0.18, "recall " + r.get("hyena_accuracy") + ", chance is 0.125");
        assertTrue(r.get("attention_accuracy") > 0.18, "recall " + r.get("attention_accuracy") + ", chance is 0.125");
        assertTrue(r.get("hyena_slope") < r.get("attention_slope"),
                "growth exponents: Hyena " + r.get("hyena_slope") + ", attention " + r.get("attention_slope"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("loss.png")) > 5);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("cost.png")) > 5);
    }

    @Test
    void lengthsDoubleFrom256() {
        assertEquals(6, HyenaChapter.lengths(8192).length);
        assertEquals(8192, HyenaChapter.lengths(8192)[5]);
        assertEquals(2, HyenaChapter.lengths(600).length);
    }
}
