package dev.gradbook.examples.llm;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongContextChapterTest {
    @Test
    void quickRunMeasuresExtensionWindowsAndTheCache() throws Exception {
        Result r = ChapterRunner.quick("long-context").result();
        // the model learns something: a uniform guess over 65 characters is ln 65 = 4.17
        assertTrue(r.get("loss_at_L") < 3.3, "loss at L " + r.get("loss_at_L"));
        // interpolation squeezes the positions: at length L the model reads them worse than it was trained to
        assertTrue(r.get("loss_at_L_interpolation") > r.get("loss_at_L"), "interpolation costs at L");
        // fine-tuning at 2L repairs most of that
        assertTrue(r.get("loss_at_2L_finetuned") < r.get("loss_at_2L_interpolation"), "fine-tuning helps");
        // a window of L keeps every relative distance within the trained ones
        assertTrue(r.get("window_loss_" + 64) <= r.get("window_loss_full") + 0.01, "window L at 2L");
        // memory: the full cache grows with n (4 times the positions, 4 times the bytes), the rolling one does not
        double n0 = r.get("decode_first_context");
        double n1 = r.get("decode_last_context");
        assertEquals(r.get("cache_kib_full_cache_first") * n1 / n0, r.get("cache_kib_full_cache_last"), 1e-9);
        assertEquals(r.get("cache_kib_rolling_cache_first"), r.get("cache_kib_rolling_cache_last"), 0);
        // time: one cached step is cheaper than recomputing the whole context
        assertTrue(r.get("ms_per_token_full_cache_last") < r.get("ms_per_token_no_cache_last"), "cache beats recompute");
        assertTrue(r.get("ms_per_token_rolling_cache_last") < r.get("ms_per_token_no_cache_last"), "rolling too");
    }
}
