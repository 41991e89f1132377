package dev.gradbook.examples.llm;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.llm.pretrain.LossScaling;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainingChapterTest {
    @Test
    void quickRunChecksEachTechnique() throws Exception {
        Result r = ChapterRunner.quick("pretraining").result();
        for (int i = 0; i < 4; i++) {
            // every recipe learns: a uniform guess over 65 characters is ln 65 = 4.17
            assertTrue(r.get("val_loss_" + i) < 3.4, "recipe " + i + ": " + r.get("val_loss_" + i));
        }
        assertTrue(r.get("accumulation_max_diff") < 1e-6, "accumulation " + r.get("accumulation_max_diff"));
        assertTrue(r.get("checkpoint_graph_ratio") < 0.5, "checkpointing keeps " + r.get("checkpoint_graph_ratio"));
        assertEquals(0.0, r.get("checkpoint_max_grad_diff"), "recomputation is the same computation");
        assertTrue(r.get("zeroed_scale_2^0") > 0, "some gradients underflow in float16");
        assertTrue(r.get("zeroed_scale_2^16") < r.get("zeroed_scale_2^0"), "scaling rescues them");
        assertEquals(0.0, r.get("overflowed_scale_2^10"));
        assertTrue(r.get("overflowed_scale_2^24") > 0, "too large a scale overflows");
    }

    @Test
    void float16RoundTripLosesWhatIsBelowTwoToMinus24() {
        float tiny = (float) Math.pow(2, -26);
        LossScaling.Damage plain = LossScaling.roundTrip(new float[] {tiny, 1f, 0f}, 1f);
        assertEquals(2, plain.nonZero());
        assertEquals(1, plain.zeroed());
        LossScaling.Damage scaled = LossScaling.roundTrip(new float[] {tiny, 1f}, 1024f);
        assertEquals(0, scaled.zeroed());
        assertEquals(0.0, scaled.relativeError(), 0.0);   // powers of two survive exactly
        assertEquals(1, LossScaling.roundTrip(new float[] {1f}, 1e5f).overflowed());
    }
}
