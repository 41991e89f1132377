package dev.gradbook.examples.language;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerBpeChapterTest {
    @Test
    void bpeRoundTripsUnseenTextAndCompressesWithMoreMerges() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("tokenizer-bpe");
        Result r = run.result();
        assertEquals(1, r.get("bpe_round_trip_exact"), "byte-level BPE gives back the exact text");
        assertEquals(0, r.get("wordpiece_round_trip_exact"), "WordPiece lower-cases and loses unknown characters");
        assertTrue(r.get("wordpiece_unknowns") >= 3, "東京, 🙂 and the accented words are [UNK]");
        assertEquals(1, r.get("bpe_tokens_per_char_256"), 1e-12, "no merges: one token per byte of ASCII text");
        // 512 tokens learned on 180,000 characters: about 0.55 tokens per character
        assertTrue(r.get("bpe_tokens_per_char_max_vocab") < 0.65, "" + r.get("bpe_tokens_per_char_max_vocab"));
        assertTrue(run.output().contains("-> \" the\""), "the word \" the\" is among the first merges");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("compression.png")) > 5);
    }
}
