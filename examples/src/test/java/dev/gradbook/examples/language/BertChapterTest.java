package dev.gradbook.examples.language;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BertChapterTest {
    @Test
    void preTrainingTeachesThePolarityOfWordsNoLabelShowed() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("bert");
        Result r = run.result();
        assertTrue(r.get("mlm_final_loss") < r.get("mlm_initial_loss") / 2, "the masked-LM loss falls");
        // seed 42, quick: fine-tuned 0.63 against 0.46 from scratch on opinion words without labels
        assertTrue(r.get("finetuned_accuracy") > r.get("scratch_accuracy") + 0.08,
                "fine-tuned " + r.get("finetuned_accuracy") + " vs scratch " + r.get("scratch_accuracy"));
        assertTrue(r.get("scratch_accuracy") < 0.6, "from scratch the unseen words are a coin toss");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("mlm.png")) > 3);
    }
}
