package dev.gradbook.examples.architectures;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureOfDepthsChapterTest {
    @Test
    void lowerCapacityCostsFewerFlopsAndHalfCapacityLearnsAlmostAsWell() throws Exception {
        Result r = ChapterRunner.quick("mixture-of-depths").result();
        assertTrue(r.get("flops_last") < r.get("flops_first") / 4, "flops " + r.get("flops_first") + " -> " + r.get("flops_last"));
        assertTrue(r.get("loss_second") < r.get("loss_first") + 0.5,
                "capacity 0.5 loss " + r.get("loss_second") + " vs full " + r.get("loss_first"));
    }
}
