package dev.gradbook.examples.architectures;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RetNetChapterTest {
    @Test
    void bothFormsAgreeAndRetentionLearnsSomeRecall() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("retnet");
        Result r = run.result();
        assertTrue(r.get("max_diff_random") < 1e-5, "parallel vs recurrent " + r.get("max_diff_random"));
        assertTrue(r.get("max_diff_trained") < 1e-5, "trained: parallel vs recurrent " + r.get("max_diff_trained"));
        // chance is 1/8
        assertTrue(r.get("recall_accuracy") > 0.2, "recall accuracy " + r.get("recall_accuracy"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("generation.png")) > 5);
    }
}
