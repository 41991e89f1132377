package dev.gradbook.examples.neural;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.micrograd.Value;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MicrogradChapterTest {
    @Test
    void scalarAndTensorEnginesAgreeAndTheNetworkLearns() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("micrograd");
        Result r = run.result();
        assertTrue(r.get("expression_grad_difference") < 1e-5, "Value vs Tensor on the expression: "
                + r.get("expression_grad_difference"));
        assertTrue(r.get("mlp_grad_difference") < 1e-5, "Value vs Tensor on the MLP: " + r.get("mlp_grad_difference"));
        assertTrue(r.get("final_loss_difference") < 1e-4, "trained side by side, the two stay together");
        assertTrue(r.get("final_loss") < r.get("initial_loss") / 4, "the loss falls");
        assertTrue(r.get("train_accuracy") >= 0.9, "accuracy " + r.get("train_accuracy"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("micrograd-loss.png")) > 10);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("micrograd-boundary.png")) > 5);
    }

    @Test
    void gradientsAccumulateOverEveryUse() {
        Value a = new Value(3);
        Value y = a.mul(a).add(a);      // y = a^2 + a, dy/da = 2a + 1 = 7
        y.backward();
        assertEquals(7, a.grad, 1e-12);
        y.backward();                   // backward resets the graph's gradients first
        assertEquals(7, a.grad, 1e-12);
    }

    @Test
    void everyOperationMatchesACentralDifference() {
        double x0 = 0.37;
        double h = 1e-6;
        java.util.function.DoubleUnaryOperator f = x -> {
            Value v = new Value(x);
            return v.pow(3).sub(v.exp()).div(v.tanh().add(2)).neg().data;
        };
        Value v = new Value(x0);
        v.pow(3).sub(v.exp()).div(v.tanh().add(2)).neg().backward();
        assertEquals((f.applyAsDouble(x0 + h) - f.applyAsDouble(x0 - h)) / (2 * h), v.grad, 1e-8);
    }
}
