package dev.gradbook.examples.efficiency;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruningChapterTest {
    @Test
    void smallWeightsCanGoNeuronsCostMore() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("pruning");
        Result r = run.result();
        assertEquals(r.get("dense_accuracy"), r.get("unstructured_00"), 1e-12);
        assertTrue(r.get("unstructured_30") > r.get("dense_accuracy") - 0.02, "a third of the weights go almost for free");
        assertTrue(r.get("unstructured_50") > r.get("structured_50"), "neurons cost more than scattered weights");
        assertTrue(r.get("unstructured_98") < r.get("dense_accuracy") - 0.3, "at 98% the model breaks");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("accuracy-vs-sparsity.png")) > 3);
    }
}
