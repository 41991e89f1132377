package dev.gradbook.examples.llm;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingLawsChapterTest {
    @Test
    void largerModelsAndMoreDataLowerTheLoss() throws Exception {
        Result r = ChapterRunner.quick("scaling-laws").result();
        assertTrue(r.get("loss_width_128") < r.get("loss_width_8"), "width 128 beats width 8");
        assertTrue(r.get("loss_data_2.0") < r.get("loss_data_0.25"), "more data lowers the loss");
        assertTrue(r.get("alpha") > 0, "loss falls with size: alpha " + r.get("alpha"));
    }
}
