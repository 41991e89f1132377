package dev.gradbook.examples.language;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionalEncodingChapterTest {
    @Test
    void everySchemeSolvesTheShiftTaskAndNoPositionsCannot() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("positional-encoding");
        Result r = run.result();
        assertTrue(r.get("sinusoidal_distance_max_diff") < 1e-5);
        assertTrue(r.get("rope_same_offset_max_diff") < 1e-5, "RoPE depends only on m - n");
        assertTrue(r.get("rope_other_offset_min_diff") > 0.05, "and it does depend on m - n");
        // seed 42, 200 steps: none 0.19, sinusoidal 0.97, learned 0.98, rope 1.00
        assertTrue(r.get("accuracy_none") < 0.35, "no positions " + r.get("accuracy_none"));
        for (String kind : new String[] {"sinusoidal", "learned", "rope"}) {
            assertTrue(r.get("accuracy_" + kind) > 0.9, kind + " " + r.get("accuracy_" + kind));
        }
        for (String png : new String[] {"sinusoidal.png", "learned-similarity.png", "accuracy.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png + " looks blank");
        }
    }

    @Test
    void shiftTargetsLookBackAndSkipTheFirstPositions() {
        IntTensor[] batch = PositionalEncodingChapter.shiftBatch(new Rng(9), 3, 8, 2);
        for (int b = 0; b < 3; b++) {
            assertEquals(-100, batch[1].get(b, 0));
            assertEquals(-100, batch[1].get(b, 1));
            for (int i = 2; i < 8; i++) {
                assertEquals(batch[0].get(b, i - 2), batch[1].get(b, i));
            }
        }
    }
}
