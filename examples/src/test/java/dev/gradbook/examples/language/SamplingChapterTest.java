package dev.gradbook.examples.language;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplingChapterTest {
    @Test
    void theKvCacheGivesTheSameTokensFaster() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("sampling");
        Result r = run.result();
        assertEquals(1, r.get("kv_identical"), "cached and recomputed greedy outputs agree token for token");
        assertEquals(128, r.get("kv_tokens"));
        // recomputation does ~64 times the token-passes at 128 tokens; 3x leaves room for a loaded machine
        assertTrue(r.get("kv_speedup") > 3, "speed-up " + r.get("kv_speedup"));
        for (String rule : new String[] {"-- greedy", "-- tau 0.5", "-- top-k 5", "-- top-p 0.9"}) {
            assertTrue(run.output().contains(rule), rule);
        }
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("next-token.png")) > 5);
    }
}
