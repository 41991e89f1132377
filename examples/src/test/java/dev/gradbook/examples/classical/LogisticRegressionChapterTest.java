package dev.gradbook.examples.classical;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class LogisticRegressionChapterTest {
    @Test
    void bothModelsClassifyTheirTestSetsAndTheGradientMatchesTheFormula() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("logistic-regression");
        double cancer = run.result().get("breast_cancer_test_accuracy");
        double iris = run.result().get("iris_test_accuracy");
        // the quick run reaches about 0.98 on both; a majority-class guess gets 0.63 and 0.38
        assertTrue(cancer >= 0.93, "breast cancer test accuracy " + cancer);
        assertTrue(iris >= 0.9, "iris test accuracy " + iris);
        for (String name : new String[] {"breast_cancer", "iris"}) {
            assertTrue(run.result().get(name + "_gradient_check_difference") < 1e-5,
                    name + ": autograd gradient = (P - Y)^T X / N");
            assertTrue(run.result().get(name + "_final_loss") < 0.25, name + " loss falls");
            assertTrue(PlotTest.distinctColours(run.outDir().resolve("confusion-" + name + ".png")) > 5);
        }
        assertTrue(run.output().contains("true \\ predicted"), "the confusion matrix is printed");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("loss.png")) > 10);
    }
}
