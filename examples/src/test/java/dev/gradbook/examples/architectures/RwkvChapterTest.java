package dev.gradbook.examples.architectures;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RwkvChapterTest {
    @Test
    void rwkvLearnsRecallWithAStateThatDoesNotGrow() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("rwkv");
        Result r = run.result();
        assertTrue(r.get("max_diff") < 1e-5, "eq. 14 vs RNN mode " + r.get("max_diff"));
        assertTrue(r.get("recall_accuracy") > 0.2, "recall accuracy " + r.get("recall_accuracy")); // chance 1/8
        assertEquals(3 * 32, r.get("rwkv_state_floats_first"));
        assertEquals(r.get("rwkv_state_floats_first"), r.get("rwkv_state_floats_last"), "constant memory per token");
        assertEquals(2 * 32 * 256, r.get("kv_cache_floats_last"), "the KV cache grows with every token");
        for (String png : new String[] {"memory.png", "time.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png);
        }
    }

    @Test
    void associativeRecallAnswersAreTheValuesThatFollowedTheKeys() {
        MemoryTask task = MemoryTask.associativeRecall(8, 8, 3, 2);
        MemoryTask.Batch b = task.batch(4, new dev.gradbook.core.Rng(1));
        assertEquals(8.0, b.target().sum().item(), "4 sequences x 2 queries");
        for (int s = 0; s < 4; s++) {
            for (int q = 6; q < 8; q++) {
                int key = b.input().select(0, s).select(0, q).argmax();
                int answer = b.target().select(0, s).select(0, q).argmax();
                boolean found = false;
                for (int i = 0; i < 3; i++) {
                    found |= b.input().select(0, s).select(0, 2 * i).argmax() == key
                            && b.input().select(0, s).select(0, 2 * i + 1).argmax() == answer;
                }
                assertTrue(found, "sequence " + s + " query " + q);
            }
        }
    }
}
