package dev.gradbook.examples.architectures;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MambaChapterTest {
    @Test
    void selectionBeatsTimeInvarianceOnSelectiveCopy() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("mamba");
        Result r = run.result();
        assertTrue(r.get("selective_accuracy") > r.get("invariant_accuracy") + 0.05,
                "selective " + r.get("selective_accuracy") + " vs time-invariant " + r.get("invariant_accuracy"));
        assertTrue(r.get("selective_accuracy") > 0.25, "chance is 0.125");
        assertTrue(r.get("max_diff") < 1e-5, "scan vs steps " + r.get("max_diff"));
        assertEquals(r.get("state_floats_first"), r.get("state_floats_last"), "fixed-size state");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("loss.png")) > 5);
    }

    @Test
    void selectiveCopyTargetsAreTheDataTokensInOrder() {
        MemoryTask task = MemoryTask.selectiveCopy(8, 16, 4);
        MemoryTask.Batch b = task.batch(3, new dev.gradbook.core.Rng(5));
        for (int s = 0; s < 3; s++) {
            java.util.List<Integer> data = new java.util.ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int token = b.input().select(0, s).select(0, t).argmax();
                if (token < 8) {
                    data.add(token);
                }
            }
            assertEquals(4, data.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(9, b.input().select(0, s).select(0, 16 + i).argmax(), "marker");
                assertEquals((int) data.get(i), b.target().select(0, s).select(0, 16 + i).argmax());
            }
        }
    }
}
