package dev.gradbook.examples.efficiency;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServingChapterTest {
    @Test
    void theServerAnswersBatchesRejectsBadRequestsAndStops() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("serving");
        Result r = run.result();
        assertEquals(600, r.get("answered"), "every request of both load tests was answered");
        assertTrue(r.get("served_accuracy") > 0.8, "the served model classifies: " + r.get("served_accuracy"));
        assertTrue(r.get("batched_requests_per_forward") > 1.5, "requests shared forward passes");
        assertEquals(5, r.get("bad_requests_rejected_4xx"), "each bad request gets a 4xx");
        assertTrue(r.get("batched_p50_ms") <= r.get("batched_p99_ms") && r.get("single_p50_ms") <= r.get("single_p99_ms"));
        assertTrue(run.output().contains("server stopped"));
    }
}
