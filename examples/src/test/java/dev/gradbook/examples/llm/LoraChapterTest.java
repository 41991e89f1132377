package dev.gradbook.examples.llm;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoraChapterTest {
    @Test
    void quickRunTunesFewNumbersAndMergesExactly() throws Exception {
        Result r = ChapterRunner.quick("lora").result();
        // a few steps cannot teach the task (the default run does); they must lower the loss through A and B alone
        assertTrue(r.get("last_loss_r4") < r.get("first_loss_r4") - 0.3,
                "LoRA lowers the loss: " + r.get("first_loss_r4") + " -> " + r.get("last_loss_r4"));
        // attention projections of 4 blocks at r = 4: 4 blocks x 4 matrices x 4 (128 + 128), against ~0.8 M
        assertEquals(4 * 4 * 4 * (128 + 128), r.get("trainable_r4"));
        assertTrue(r.get("trainable_ratio_r4") < 0.03, "ratio " + r.get("trainable_ratio_r4"));
        assertEquals(4 * r.get("trainable_r1"), r.get("trainable_r4"));
        // W + BA summed once in float32 instead of x W + (x A) B: rounding only. Logits of about 10 carry
        // an ulp near 1e-6, and four blocks of it reach ~2e-5 on the shipped base; a wrong merge is off by O(1)
        assertTrue(r.get("merge_max_abs_diff") < 1e-4, "merged logits differ by " + r.get("merge_max_abs_diff"));
        assertEquals(0.0, r.get("reload_max_abs_diff"), "the saved merged model reloads bit for bit");
        assertTrue(r.get("adapter_file_bytes") * 20 < r.get("merged_file_bytes"));
    }
}
