package dev.gradbook.examples.language;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VisionTransformerChapterTest {
    @Test
    void quickRunLearnsDigitsFromPatches() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("vision-transformer");
        Result r = run.result();
        // 150 steps of 64 images: far above the 0.1 of chance, far from done
        assertTrue(r.get("test_accuracy") > 0.5, "test accuracy " + r.get("test_accuracy"));
        assertEquals(150, r.get("steps"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("positions.png")) > 10);
    }
}
