package dev.gradbook.examples.llm;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinetuneDataChapterTest {
    @Test
    void everyFilterRemovesSomethingAndNoWrongAnswerSurvives() throws Exception {
        Result r = ChapterRunner.quick("finetune-data", Map.of("threshold", "0.7")).result();
        assertEquals(400, r.get("after_generated"));
        assertTrue(r.get("after_length") < r.get("after_generated"));
        assertTrue(r.get("after_charset") < r.get("after_length"));
        assertTrue(r.get("after_verify") < r.get("after_charset"));
        assertTrue(r.get("after_dedup") < r.get("after_verify"));
        assertEquals(0, r.get("wrong_answers_left"));
        assertTrue(r.get("pair_exact_jaccard") >= 0.5, "a real near-duplicate was caught: " + r.get("pair_exact_jaccard"));
        assertEquals(r.get("pair_exact_jaccard"), r.get("pair_estimated_jaccard"), 0.25);
    }
}
