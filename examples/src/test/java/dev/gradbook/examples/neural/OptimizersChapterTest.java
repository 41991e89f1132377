package dev.gradbook.examples.neural;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizersChapterTest {
    @Test
    void adamWinsBothRacesAgainstPlainDescent() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("optimizers");
        Result r = run.result();
        // quick spiral race: Adam ~0.03, SGD ~0.42, GD ~0.7
        assertTrue(r.get("spiral_loss_Adam") < 0.5 * r.get("spiral_loss_SGD"),
                "Adam " + r.get("spiral_loss_Adam") + " vs SGD " + r.get("spiral_loss_SGD"));
        assertTrue(r.get("spiral_loss_SGD") < r.get("spiral_loss_GD"), "more steps per pass beat full batches");
        assertTrue(r.get("spiral_loss_momentum") < r.get("spiral_loss_SGD"), "momentum helps SGD");
        // Rosenbrock, 1000 steps from (-1.2, 1): Adam ends ~0.1 from (1, 1), GD ~1.1
        assertTrue(r.get("rosenbrock_distance_Adam") < 0.2, "Adam distance " + r.get("rosenbrock_distance_Adam"));
        assertTrue(r.get("rosenbrock_distance_GD") > 3 * r.get("rosenbrock_distance_Adam"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("race.png")) > 7);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("rosenbrock.png")) > 10);
    }

    @Test
    void rosenbrockHasItsMinimumAtOneOne() {
        assertEquals(0, OptimizersChapter.rosenbrock(1, 1));
        assertEquals(24.2, OptimizersChapter.rosenbrock(-1.2, 1), 1e-9);
    }
}
