package dev.gradbook.examples.llm;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureOfExpertsChapterTest {
    @Test
    void balancingLossEvensOutTheRouting() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("mixture-of-experts");
        Result r = run.result();
        // seed 42, 150 steps: balance 0.881 without the loss, 0.942 with it
        assertTrue(r.get("balanced_balance") > r.get("plain_balance") + 0.03,
                "balance " + r.get("plain_balance") + " -> " + r.get("balanced_balance"));
        assertTrue(r.get("balanced_max_share") < r.get("plain_max_share"));
        assertTrue(r.get("plain_max_share") > 1.5 * r.get("uniform_share"), "the plain router drifts");
        // both learn: a uniform guess over 65 characters is ln 65 = 4.17
        assertTrue(r.get("plain_val_loss") < 2.6 && r.get("balanced_val_loss") < 2.6);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("utilisation.png")) > 3);
    }

    @Test
    void windowsPairContextWithTheNextCharacter() {
        int[] text = new int[50];
        for (int i = 0; i < text.length; i++) {
            text[i] = i;
        }
        IntTensor[] w = MixtureOfExpertsChapter.windows(IntTensor.of(text, 50), 20, new Rng(1));
        for (int b = 0; b < 20; b++) {
            int next = w[1].get(b);
            for (int c = 0; c < 4; c++) {
                assertEquals(next - 4 + c, w[0].get(b, c));
            }
        }
    }
}
