package dev.gradbook.examples.neural;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackpropChapterTest {
    @Test
    void handWrittenBackwardEqualsAutogradAndCostsTwoForwards() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("backprop");
        Result r = run.result();
        assertTrue(r.get("grad_max_difference") < 1e-5, "hand vs autograd: " + r.get("grad_max_difference"));
        assertEquals(2.0, r.get("flop_ratio_matmul"), 1e-12, "two products per forward product");
        assertEquals(2.0, r.get("flop_ratio"), 0.05, "backward about twice the forward");
        assertTrue(r.get("flop_ratio_first_layer") < r.get("flop_ratio"), "the first layer skips dX");
        assertTrue(r.get("final_loss") < 0.3 * r.get("initial_loss"), "training with the hand backward works");
        assertTrue(r.get("train_accuracy") > 0.9, "accuracy " + r.get("train_accuracy"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("backprop-loss.png")) > 5);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("backprop-boundary.png")) > 5);
    }

    @Test
    void flopsAreCountedFromTheShapes() {
        // N=2, D=3, H=4, C=5: forward products 2*2*3*4 + 2*2*4*5 = 48 + 80
        BackpropCost.Flops f = BackpropCost.Flops.of(2, 3, 4, 5);
        assertEquals(128, f.forwardMatmul());
        assertEquals(80 + 80 + 48, f.backwardMatmul());
        assertEquals(48, f.inputGradient());
    }
}
