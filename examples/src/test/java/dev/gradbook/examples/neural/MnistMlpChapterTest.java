package dev.gradbook.examples.neural;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistMlpChapterTest {
    @Test
    void quickRunLearnsTheDigits() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("mnist-mlp");
        Result r = run.result();
        // 10,000 training images seen twice: about 92.5% at seed 42 (chance is 10%)
        assertTrue(r.get("test_accuracy") > 0.9, "quick test accuracy " + r.get("test_accuracy"));
        assertTrue(r.get("final_epoch_train_loss") < 0.5, "train loss " + r.get("final_epoch_train_loss"));
        assertEquals(235_146, r.get("parameters"), "784*256+256 + 256*128+128 + 128*10+10");
        assertWrongCountMatchesAccuracy(run.output(), r.get("test_accuracy"));
        assertPictures(run);
    }

    /**
     * The roadmap's claim, on the real default run (3 epochs over all 60,000 images; about 5 s on
     * two idle cores, 97.8% at seed 42).
     */
    @Test
    void defaultRunReaches97PercentSlowTest() throws Exception {
        ChapterRunner.Run run = ChapterRunner.defaultRun("mnist-mlp");
        Result r = run.result();
        assertTrue(r.get("test_accuracy") >= 0.97, "default-run test accuracy " + r.get("test_accuracy"));
        assertEquals(60_000, r.get("training_images"));
        assertWrongCountMatchesAccuracy(run.output(), r.get("test_accuracy"));
        assertPictures(run);
    }

    /** The printed count of wrong test digits agrees with the accuracy on the 10,000 test images. */
    private static void assertWrongCountMatchesAccuracy(String output, double accuracy) {
        Matcher m = Pattern.compile("the (\\d+) test digits it gets wrong").matcher(output);
        assertTrue(m.find(), "no count of wrong digits in the output");
        assertEquals(Math.round((1 - accuracy) * 10_000), Long.parseLong(m.group(1)));
    }

    private static void assertPictures(ChapterRunner.Run run) throws Exception {
        for (String png : new String[] {"loss.png", "confusion.png", "misclassified.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png + " looks blank");
        }
    }
}
