package dev.gradbook.examples.neural;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferLearningChapterTest {
    @Test
    void pretrainedFeaturesReachTheThresholdInFewerSteps() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("transfer-learning");
        Result r = run.result();
        assertTrue(r.get("pretrain_accuracy_0_4") > 0.9, "pretraining " + r.get("pretrain_accuracy_0_4"));
        // seed 42: 15 steps for both pretrained models, 25 from scratch (61 would mean "not within 60")
        double scratch = r.get("from_scratch_steps_to_threshold");
        assertTrue(r.get("frozen_features_steps_to_threshold") < scratch,
                "frozen " + r.get("frozen_features_steps_to_threshold") + " vs scratch " + scratch);
        assertTrue(r.get("fine_tuned_steps_to_threshold") < scratch,
                "fine-tuned " + r.get("fine_tuned_steps_to_threshold") + " vs scratch " + scratch);
        assertTrue(r.get("frozen_features_steps_to_threshold") <= r.get("steps"), "frozen never got there");
        assertEquals(0.85, r.get("threshold"), 1e-6);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("transfer.png")) > 5, "transfer.png looks blank");
    }
}
