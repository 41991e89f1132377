package dev.gradbook.examples.neural;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesChapterTest {
    @Test
    void crossEntropyKeepsItsGradientWhenConfidentlyWrongAndTrainsFaster() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("losses");
        Result r = run.result();
        // logit -8 for a positive example: BCE' = s - 1 = -0.99966, MSE' = 2 (s - 1) s (1 - s) = -6.7e-4
        double s = 1 / (1 + Math.exp(8));
        assertEquals(1 - s, r.get("bce_grad_wrong"), 1e-5);
        assertEquals(2 * (1 - s) * s * (1 - s), r.get("mse_sigmoid_grad_wrong"), 1e-6);
        assertTrue(r.get("binary_closed_form_gap") < 1e-5, "autograd matches the binary formulas");
        // 10 classes, logits (8, 0, ..., 0), true class 1: CE' = p_1 - 1
        double p1 = 1 / (Math.exp(8) + 9);
        assertEquals(1 - p1, r.get("ce_grad_wrong"), 1e-5);
        assertTrue(r.get("mse_softmax_grad_wrong") < 0.01,
                "MSE through softmax vanishes: " + r.get("mse_softmax_grad_wrong"));
        assertTrue(r.get("softmax_closed_form_gap") < 1e-5, "autograd matches the softmax formulas");
        // trained the same way, CE ends ahead of MSE (quick: ~0.90 against ~0.48)
        assertTrue(r.get("ce_val_accuracy") > 0.85, "CE accuracy " + r.get("ce_val_accuracy"));
        assertTrue(r.get("ce_val_accuracy") >= r.get("mse_val_accuracy") + 0.1,
                "CE " + r.get("ce_val_accuracy") + " vs MSE " + r.get("mse_val_accuracy"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("accuracy.png")) > 5);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("loss.png")) > 5);
    }
}
