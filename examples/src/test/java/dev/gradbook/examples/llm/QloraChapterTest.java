package dev.gradbook.examples.llm;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QloraChapterTest {
    @Test
    void quickRunStoresTheBaseInFourBitsAndStillLearns() throws Exception {
        Result r = ChapterRunner.quick("qlora").result();
        // 4 blocks of q, k, v, proj (128 x 128) and the MLP's fc and proj (128 x 512, 512 x 128)
        double weights = 4 * (4 * 128 * 128 + 2 * 128 * 512);
        assertEquals(4 * weights, r.get("bytes_fp32"));
        assertEquals(weights + 4 * 4 * (4 * 128 + 512 + 128), r.get("bytes_int8"), "a byte each + a scale per row");
        assertEquals(weights / 2 + 4 * weights / 64, r.get("bytes_nf4"), "half a byte each + a scale per 64");
        assertTrue(r.get("bytes_nf4") < r.get("bytes_fp32") / 6, "NF4 is over 6x smaller");
        assertTrue(r.get("bytes_nf4_dq") < r.get("bytes_nf4"), "double quantisation saves more");
        assertTrue(r.get("val_loss_nf4_dq") - r.get("val_loss_fp32") < 0.1,
                "4 bits cost little: " + r.get("val_loss_nf4_dq") + " vs " + r.get("val_loss_fp32"));
        // a few steps cannot teach the task (the default run does): the 4-bit base must train like the float one
        assertTrue(r.get("last_loss_nf4") < r.get("first_loss_nf4") - 0.3, "QLoRA lowers the loss");
        assertEquals(r.get("last_loss_lora_fp32"), r.get("last_loss_nf4"), 0.1, "and about as far as LoRA");
        assertEquals(r.get("trainable_lora_fp32"), r.get("trainable_nf4"), "the same adapters");
        assertTrue(r.get("merge_max_abs_diff") < 1e-4, "merged: " + r.get("merge_max_abs_diff"));
    }
}
