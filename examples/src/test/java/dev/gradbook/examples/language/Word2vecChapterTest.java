package dev.gradbook.examples.language;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Word2vecChapterTest {
    @Test
    void gloveAnswersKingMinusManPlusWomanAndMostOtherAnalogies() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("word2vec");
        Result r = run.result();
        assertEquals(1, r.get("glove_king_queen"), "king - man + woman = queen");
        assertTrue(r.get("glove_analogies") >= 21, "king-queen and at least 20 more");
        // 31 of 37 at seed 42 (GloVe does not depend on the seed)
        assertTrue(r.get("glove_analogy_accuracy") >= 0.75, "GloVe accuracy " + r.get("glove_analogy_accuracy"));
        // skip-gram learned something: the loss per pair fell well below 6 ln 2 = 4.16
        assertTrue(r.get("skipgram_loss") < 3.2, "skip-gram loss " + r.get("skipgram_loss"));
        assertTrue(run.output().contains("elizabeth "), run.output());
        for (String png : new String[] {"neighbours.png", "glove-gender.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png + " looks blank");
        }
    }
}
