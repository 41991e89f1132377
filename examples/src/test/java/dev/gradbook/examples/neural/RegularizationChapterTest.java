package dev.gradbook.examples.neural;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegularizationChapterTest {
    @Test
    void everyTechniqueBeatsThePlainNetworkThatOverfits() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("regularization");
        Result r = run.result();
        double plain = r.get("none_final_val_accuracy");
        // the plain run overfits: its validation loss ends well above its minimum (quick: 0.81 vs 0.68)
        assertTrue(r.get("plain_final_val_loss") > 1.1 * r.get("plain_min_val_loss"), "no overfitting to fight");
        // quick: plain ~0.74 at the end, each technique ~0.77-0.79
        for (String setting : new String[] {"l2", "l1", "dropout", "augmentation"}) {
            assertTrue(r.get(setting + "_final_val_accuracy") >= plain + 0.01,
                    setting + " " + r.get(setting + "_final_val_accuracy") + " vs plain " + plain);
        }
        // early stopping restores the weights of the best epoch, and they beat the last epoch's
        assertEquals(r.get("early_stopping_recorded_val_accuracy"), r.get("early_stopping_restored_val_accuracy"),
                1e-9);
        assertTrue(r.get("early_stopping_restored_val_accuracy") > plain);
        for (String png : new String[] {"l2.png", "l1.png", "dropout.png", "augmentation.png", "early-stopping.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png + " looks blank");
        }
    }

    @Test
    void shiftingMovesPixelsAndKeepsShape() {
        float[] image = new float[64];
        image[3 * 8 + 3] = 1f;
        Tensor shifted = RegularizationChapter.shift(Tensor.of(image, 1, 64), new Rng(1));
        assertEquals(64, shifted.numel());
        assertEquals(1f, shifted.sum().item(), 0f, "an interior pixel moves but is not lost");
    }
}
