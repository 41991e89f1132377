package dev.gradbook.examples.efficiency;

import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplainabilityChapterTest {
    @Test
    void integratedGradientsAreCompleteAndExplanationsDependOnTheModel() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("explainability");
        Result r = run.result();
        assertTrue(r.get("max_completeness_error") < 0.01, "completeness " + r.get("max_completeness_error"));
        assertTrue(Math.abs(r.get("saliency_trained_vs_random_correlation")) < 0.5,
                "saliency of a random model must differ: " + r.get("saliency_trained_vs_random_correlation"));
        assertTrue(r.get("trained_vs_random_correlation") < 0.9, "IG maps must not be the same");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("attributions.png")) > 20);
    }

    @Test
    void pearsonIsOneForAnAffineCopyAndMinusOneReversed() {
        Tensor a = Tensor.vector(1, 2, 3, 5);
        assertEquals(1.0, ExplainabilityChapter.pearson(a, a.mul(2).add(1)), 1e-9);
        assertEquals(-1.0, ExplainabilityChapter.pearson(a, a.neg()), 1e-9);
    }
}
