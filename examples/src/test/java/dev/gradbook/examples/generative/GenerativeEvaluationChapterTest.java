package dev.gradbook.examples.generative;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerativeEvaluationChapterTest {
    @Test
    void everyModelScoresBetweenRealDigitsAndNoise() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("generative-evaluation");
        Result r = run.result();
        assertEquals(5, r.get("models"));
        assertEquals(5, r.get("fid_ordered"), "FID: real < every model < noise");
        // quick budgets: the quick GAN's IS can fall to the noise's (1.04 against 1.12 at seed 42)
        assertTrue(r.get("is_ordered") >= 3, "IS order " + r.get("is_ordered"));
        assertTrue(r.get("real_test_digits_is") > 8, "real IS " + r.get("real_test_digits_is"));
        assertTrue(r.get("bleu_candidate1") > r.get("bleu_candidate2") && r.get("bleu_candidate1") > r.get("bleu_shuffled"),
                "BLEU-2: the paper's better candidate scores highest");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("fid.png")) > 3);
    }
}
