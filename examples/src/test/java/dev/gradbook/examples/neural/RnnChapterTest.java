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

class RnnChapterTest {
    @Test
    void gatedLayersRememberLongerThanThePlainRnn() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("rnn");
        Result r = run.result();
        // at a short delay the task is easy for all three
        for (String kind : new String[] {"rnn", "lstm", "gru"}) {
            assertTrue(r.get(kind + "_accuracy_k5") > 0.9, kind + " at k = 5: " + r.get(kind + "_accuracy_k5"));
        }
        // seed 42, k = 20: RNN 29%, LSTM 87%, GRU 100% (chance 25%)
        assertEquals(20, r.get("longest_delay"));
        double gated = Math.max(r.get("lstm_accuracy_k20"), r.get("gru_accuracy_k20"));
        assertTrue(gated > r.get("rnn_accuracy_k20") + 0.2, "gated " + gated + " vs RNN " + r.get("rnn_accuracy_k20"));
        assertTrue(r.get("rnn_accuracy_k20") < 0.6, "the plain RNN should not solve k = 20 in the quick budget");
        for (String png : new String[] {"memory.png", "loss.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png + " looks blank");
        }
    }

    @Test
    void recallSequencesMarkTheSymbolToRemember() {
        int delay = 7;
        RnnChapter.Recall batch = RnnChapter.recallBatch(50, delay, new Rng(5));
        int t = RnnChapter.LEAD + 1 + delay;
        assertArrayEquals(new int[] {50, t, RnnChapter.INPUTS}, batch.inputs().shape());
        float[] x = batch.inputs().data();
        for (int i = 0; i < 50; i++) {
            for (int step = 0; step < t; step++) {
                int base = (i * t + step) * RnnChapter.INPUTS;
                int symbols = 0;
                int symbol = -1;
                for (int s = 0; s < RnnChapter.SYMBOLS; s++) {
                    symbols += (int) x[base + s];
                    symbol = x[base + s] == 1 ? s : symbol;
                }
                assertEquals(1, symbols, "one symbol per step");
                boolean marked = x[base + RnnChapter.SYMBOLS] == 1;
                assertEquals(step == RnnChapter.LEAD, marked, "the marker sits at step LEAD only");
                if (marked) {
                    assertEquals(symbol, batch.symbols().get(i), "the target is the marked symbol");
                }
            }
        }
    }
}
