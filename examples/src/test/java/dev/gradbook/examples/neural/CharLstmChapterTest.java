package dev.gradbook.examples.neural;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Datasets;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import dev.gradbook.nn.data.OneHot;
import dev.gradbook.nn.recurrent.LSTMCell;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharLstmChapterTest {
    @Test
    void quickRunLearnsFarBetterThanAUniformGuess() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("char-lstm");
        Result r = run.result();
        // the vocabulary counted independently: distinct characters of the shipped file
        String text;
        try (InputStream in = Datasets.open(null, "text/shakespeare_sonnets.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        double uniform = Math.log(text.codePoints().distinct().count());
        assertEquals(uniform, r.get("uniform_loss"), 1e-9);
        assertEquals(uniform, r.get("initial_loss"), 0.2, "an untrained model is about a uniform guess");
        // seed 42: validation 2.29 after 100 quick steps, against ln 61 = 4.11
        assertTrue(r.get("val_loss") < 2.8, "validation loss " + r.get("val_loss"));
        assertEquals(Math.exp(r.get("val_loss")), r.get("val_perplexity"), 1e-9);
        assertTrue(run.output().contains("sample at temperature 0.5"), "no sample printed");
        assertTrue(r.notes().get("sample_t1.0").startsWith("Shall I compare thee"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("loss.png")) > 5, "loss.png looks blank");
    }

    /** Sampling steps the LSTM cell by hand; training runs the LSTM layer: both must give the same logits. */
    @Test
    void cellByCellEqualsTheWholeSequence() {
        int vocab = 7;
        CharLstmChapter.CharModel model = new CharLstmChapter.CharModel(vocab, 5, new Rng(2));
        int[] ids = {3, 1, 4, 1, 5, 6, 2, 0};
        try (var noGrad = Autograd.noGrad()) {
            Tensor whole = model.logits(IntTensor.of(ids, 1, ids.length)); // (T, V)
            LSTMCell cell = model.lstm.cell(0);
            LSTMCell.State state = null;
            for (int t = 0; t < ids.length; t++) {
                state = cell.forward(OneHot.encode(new int[] {ids[t]}, vocab), state);
                Tensor step = model.head.forward(state.h()); // (1, V)
                assertTrue(step.allClose(whole.narrow(0, t, 1), 1e-5f, 1e-6f), "step " + t);
            }
        }
    }
}
