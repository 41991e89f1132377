package dev.gradbook.examples.classical;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomForestChapterTest {
    @Test
    void theForestBeatsASingleTreeAndItsOutOfBagEstimateIsClose() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("random-forest");
        double tree = run.result().get("tree_test_accuracy");
        double forest = run.result().get("forest_test_accuracy");
        double oob = run.result().get("oob_accuracy");
        // quick run on breast cancer: tree ~0.94, forest ~0.96, OOB ~0.96
        assertTrue(forest >= tree, "forest " + forest + " vs single tree " + tree);
        assertTrue(forest >= 0.93, "forest accuracy " + forest);
        assertTrue(run.result().get("mean_member_test_accuracy") < forest, "the vote beats its average member");
        assertTrue(oob > 0.9 && oob <= 1, "OOB accuracy " + oob);
        assertEquals(forest, oob, 0.05, "the out-of-bag estimate is near the test accuracy");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("error-vs-trees.png")) > 10);
    }
}
