package dev.gradbook.examples.efficiency;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillationChapterTest {
    @Test
    void theDistilledStudentBeatsTheSameStudentTrainedAlone() throws Exception {
        Result r = ChapterRunner.quick("distillation").result();
        assertTrue(r.get("student_distilled_accuracy") > r.get("student_alone_accuracy") + 0.005,
                "distilled " + r.get("student_distilled_accuracy") + " vs alone " + r.get("student_alone_accuracy"));
        assertTrue(r.get("teacher_accuracy") > r.get("student_distilled_accuracy"), "the teacher stays ahead");
    }
}
