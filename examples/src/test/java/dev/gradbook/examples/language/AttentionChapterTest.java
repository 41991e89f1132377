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

class AttentionChapterTest {
    @Test
    void quickRunReversesSequencesAndMasksTheFuture() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("attention");
        Result r = run.result();
        assertTrue(r.get("loops_vs_batched_max_diff") < 1e-5, "loops " + r.get("loops_vs_batched_max_diff"));
        assertEquals(0.0, r.get("max_masked_weight"), "a blocked key gets exactly zero weight");
        assertEquals(0.0, r.get("nonzero_masked_weights"));
        // 250 steps: seed 42 reaches 1.000; a model that cannot move tokens between positions gets ~0.1 per token
        assertTrue(r.get("reverse_exact_match") > 0.9, "exact match " + r.get("reverse_exact_match"));
        // uniform attention would put 1/8 on the anti-diagonal
        assertTrue(r.get("anti_diagonal_weight") > 0.5, "anti-diagonal " + r.get("anti_diagonal_weight"));
        assertTrue(run.output().contains("\"sat\""), "worked example printed");
        for (String png : new String[] {"causal.png", "attention.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png + " looks blank");
        }
    }

    @Test
    void reversalTargetsAreTheInputsBackwards() {
        IntTensor[] batch = AttentionChapter.reversalBatch(new Rng(3), 5, 6);
        for (int b = 0; b < 5; b++) {
            for (int i = 0; i < 6; i++) {
                assertEquals(batch[0].get(b, i), batch[1].get(b, 5 - i));
            }
        }
    }
}
