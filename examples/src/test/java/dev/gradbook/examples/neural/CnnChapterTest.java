package dev.gradbook.examples.neural;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CnnChapterTest {
    @Test
    void theCnnBeatsTheMlpAtTheSameBudget() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("cnn");
        Result r = run.result();
        // 10,000 images seen by each, 5,000 test images: 94.5% against 91.9% at seed 42
        assertTrue(r.get("cnn_test_accuracy") > r.get("mlp_test_accuracy") + 0.01,
                "CNN " + r.get("cnn_test_accuracy") + " vs MLP " + r.get("mlp_test_accuracy"));
        assertTrue(r.get("cnn_test_accuracy") > 0.92, "CNN accuracy " + r.get("cnn_test_accuracy"));
        assertEquals(r.get("steps") * 32, r.get("images_seen"));
        assertTrue(r.get("cnn_parameters") * 30 < r.get("mlp_parameters"), "the CNN is the much smaller model");
        for (String png : new String[] {"loss.png", "accuracy.png", "filters.png", "feature-maps.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png + " looks blank");
        }
    }

    @Test
    void featureShapesFollowTheOutputSizeFormula() {
        // Hout = H - k + 1 for each 5x5 convolution, then halved by each pooling: 28 -> 24 -> 12 -> 8 -> 4
        Tensor out = CnnChapter.features(new Rng(1)).forward(Tensor.zeros(3, 1, 28, 28));
        assertArrayEquals(new int[] {3, 16 * 4 * 4}, out.shape());
        assertEquals(CnnChapter.FEATURES, out.size(1));
        // weights 6*1*5*5 + 6 and 16*6*5*5 + 16, then the head 256*10 + 10
        assertEquals(156 + 2416 + 2570, CnnChapter.lenet(10, new Rng(1)).parameterCount());
    }
}
