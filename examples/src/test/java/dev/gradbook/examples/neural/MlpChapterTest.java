package dev.gradbook.examples.neural;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import dev.gradbook.nn.Linear;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MlpChapterTest {
    @Test
    void quickRunSeparatesTheMoonsAndRanksTheActivations() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("mlp");
        Result r = run.result();
        assertTrue(r.get("neuron_vs_layer_gap") < 1e-5, "the loop neuron and the Linear layer agree");
        // the quick run reaches ~0.98 on fresh moons
        assertTrue(r.get("moons_test_accuracy") > 0.95, "two-moons test accuracy " + r.get("moons_test_accuracy"));
        for (String act : new String[] {"tanh", "relu", "gelu"}) {
            assertTrue(r.get("spiral_test_accuracy_" + act) > 0.9, act + " on the spiral");
            // sigmoid needs ~250 steps to reach loss 0.1, the others fewer than 100
            assertTrue(r.get("spiral_steps_to_0.1_sigmoid") > 1.5 * r.get("spiral_steps_to_0.1_" + act),
                    "sigmoid should learn more slowly than " + act);
        }
        for (String png : new String[] {"activations.png", "derivatives.png", "moons.png", "spiral-relu.png",
            "spiral-tanh.png", "activations-loss.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png + " looks blank");
        }
    }

    @Test
    void neuronsWrittenOutEqualTheLayer() {
        Rng rng = new Rng(3);
        Linear layer = new Linear(5, 3, rng);
        Tensor x = Tensor.randn(rng, 4, 5);
        assertTrue(layer.forward(x).tanh().allClose(MlpChapter.neuronsByHand(layer, x), 1e-5f, 1e-6f));
    }
}
