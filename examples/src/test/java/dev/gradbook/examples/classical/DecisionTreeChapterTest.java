package dev.gradbook.examples.classical;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Datasets;
import dev.gradbook.examples.plot.PlotTest;
import dev.gradbook.nn.data.Csv;
import dev.gradbook.nn.data.LabeledData;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionTreeChapterTest {
    @Test
    void cartClassifiesIrisAndAsksAboutAPetalFirst() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("decision-tree");
        double gini = run.result().get("gini_test_accuracy");
        assertTrue(gini >= 0.9, "Gini tree " + gini);
        assertTrue(run.result().get("entropy_test_accuracy") >= 0.9);
        assertTrue(run.result().get("petal_plane_test_accuracy") >= 0.9);

        int feature = (int) run.result().get("root_feature");
        assertTrue(feature == 2 || feature == 3, "the root question is about a petal, not feature " + feature);
        String question = run.result().notes().get("root_question");
        assertTrue(question.startsWith("petal_"), question);
        assertTrue(run.output().contains(question + " ?"), "the printed tree starts with its root question");

        // independently: on the whole data set, the root threshold puts exactly the 50 setosa on the yes side
        LabeledData iris;
        try (InputStream in = Datasets.open(null, "tabular/iris.csv")) {
            iris = Csv.readSklearn(in, "iris.csv");
        }
        double threshold = run.result().get("root_threshold");
        for (int i = 0; i < iris.size(); i++) {
            boolean yes = iris.features().get(i, feature) <= threshold;
            assertEquals(iris.labels()[i] == 0, yes, "flower " + i);
        }
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("regions.png")) > 10);
    }
}
