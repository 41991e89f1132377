package dev.gradbook.examples.language;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.language.translation.NumberWords;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Seq2seqTransformerChapterTest {
    @Test
    void quickRunTranslatesHeldOutNumbers() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("seq2seq-transformer");
        Result r = run.result();
        // ln 13 = 2.56 for a uniform guess; seed 42 quick: 0.95 exact match on 100 numbers never trained on
        assertTrue(r.get("initial_loss") > 2.0, "starts near a uniform guess");
        assertTrue(r.get("exact_match") > 0.8, "exact match " + r.get("exact_match"));
        assertTrue(r.get("teacher_forced_accuracy") >= r.get("exact_match") - 1e-9);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("cross-attention.png")) > 5);
    }

    @Test
    void numbersAreWrittenOutInWords() {
        assertEquals(List.of("forty", "two", "thousand", "seven", "hundred", "five"), NumberWords.words(42705));
        assertEquals(List.of("zero"), NumberWords.words(0));
        assertEquals(List.of("nineteen"), NumberWords.words(19));
        assertEquals(List.of("one", "hundred", "thousand").subList(0, 1), NumberWords.words(1).subList(0, 1));
        assertEquals(List.of("ninety", "nine", "thousand", "nine", "hundred", "ninety", "nine"), NumberWords.words(99999));
        assertEquals(List.of("ten", "thousand"), NumberWords.words(10000));
        assertArrayEquals(new int[] {4 + 3, 2 + 3, 7 + 3, 0 + 3, 5 + 3}, NumberWords.digits(42705));
        assertEquals("42705", NumberWords.text(NumberWords.digits(42705)));
        // about a tenth of the numbers are held out, and not just the multiples of ten
        int held = 0;
        int heldMultiplesOfTen = 0;
        for (int n = 0; n < NumberWords.LIMIT; n++) {
            if (NumberWords.heldOut(n)) {
                held++;
                heldMultiplesOfTen += n % 10 == 0 ? 1 : 0;
            }
        }
        assertEquals(0.1, held / (double) NumberWords.LIMIT, 0.01);
        assertEquals(0.1, heldMultiplesOfTen / (double) held, 0.02);
    }
}
