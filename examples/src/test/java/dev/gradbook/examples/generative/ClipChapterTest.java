package dev.gradbook.examples.generative;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipChapterTest {
    @Test
    void zeroShotFromUnseenPromptsPassesTheBar() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("clip");
        Result r = run.result();
        assertTrue(r.get("zero_shot_accuracy") >= 0.80, "zero-shot " + r.get("zero_shot_accuracy"));
        for (String png : new String[] {"similarity.png", "text-to-image.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png + " looks blank");
        }
    }

    @Test
    void theZeroShotTemplateIsNeverATrainingCaption() {
        for (String t : ClipChapter.TRAIN_TEMPLATES) {
            assertFalse(t.contains("handwritten"), t);
        }
        ClipChapter.Vocabulary v = new ClipChapter.Vocabulary();
        // "a handwritten seven": three known words, one count each; an unknown word adds nothing
        assertEquals(3f, v.encode(List.of("a handwritten seven")).sum().item());
        assertEquals(1f, v.encode(List.of("zebra seven")).sum().item());
    }
}
