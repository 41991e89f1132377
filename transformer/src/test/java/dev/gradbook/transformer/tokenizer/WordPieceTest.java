package dev.gradbook.transformer.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordPieceTest {
    private static WordPieceTokenizer withPieces(String... pieces) {
        List<String> vocab = new ArrayList<>(WordPieceTokenizer.SPECIALS);
        vocab.addAll(List.of(pieces));
        return new WordPieceTokenizer(vocab);
    }

    @Test
    void splitsLongestMatchFirstAsInTheBertPaper() {
        WordPieceTokenizer wp = withPieces("un", "##aff", "##able", "u", "##n", "##a", "##f", "##b", "##l", "##e", ",");
        int[] ids = wp.encode("Unaffable,");
        assertEquals(List.of("un", "##aff", "##able", ","), pieces(wp, ids));
        assertEquals("unaffable ,", wp.decode(ids));
        // "unable" reuses "##able"; "unbe" has no "##be" piece, so the split falls back to single letters
        assertEquals(List.of("un", "##able"), pieces(wp, wp.encode("unable")));
        assertEquals(List.of("un", "##b", "##e"), pieces(wp, wp.encode("unbe")));
    }

    @Test
    void aWordThatCannotBeCoveredIsOneUnknown() {
        WordPieceTokenizer wp = withPieces("a", "##b");
        assertArrayEquals(new int[] {5, 6, WordPieceTokenizer.UNK, 5}, wp.encode("ab abx a"));
        assertArrayEquals(new int[] {WordPieceTokenizer.UNK}, wp.encode("東京"));
    }

    @Test
    void wordsAreLowerCasedAndPunctuationStandsAlone() {
        assertEquals(List.of("don", "'", "t", "stop", "!", "42"), WordPieceTokenizer.words("Don't  STOP!\n42"));
    }

    @Test
    void trainingMergesByLikelihoodScoreNotByFrequency() {
        // words ab x2, ac, cb; pieces a(3) c(1) ##b(3) ##c(1)
        // score(a, ##b) = 2 / (3 * 3) = 0.22, score(a, ##c) = 1 / (3 * 1) = 0.33, score(c, ##b) = 1 / (1 * 3) = 0.33:
        // BPE would merge the frequent "ab"; WordPiece merges "ac" (tie with "cb", broken by order)
        String corpus = "ab ab ac cb";
        WordPieceTokenizer first = WordPieceTrainer.train(corpus, 10);
        assertEquals(10, first.vocabSize());
        assertEquals("ac", first.piece(9));
        // then a(2) ##b(3) ac(1) c(1): score(a, ##b) = 2 / 6 = 0.33 = score(c, ##b), "ab" sorts first
        WordPieceTokenizer second = WordPieceTrainer.train(corpus, 11);
        assertEquals("ab", second.piece(10));
        assertEquals(List.of("ab", "ab", "ac", "c", "##b"), pieces(second, second.encode(corpus)));
        // with a minimum count of 2 only (a, ##b) may merge, and nothing after it
        WordPieceTokenizer frequent = WordPieceTrainer.train(corpus, 20, 2);
        assertEquals(10, frequent.vocabSize());
        assertEquals("ab", frequent.piece(9));
    }

    @Test
    void aTrainedVocabularyCoversItsCorpus() {
        String corpus = "the theme of the thesis is that these themes are theirs";
        WordPieceTokenizer wp = WordPieceTrainer.train(corpus, 40);
        assertTrue(wp.vocabSize() <= 40);
        assertEquals(corpus, wp.decode(wp.encode(corpus)));
        for (int id : wp.encode(corpus)) {
            assertTrue(id != WordPieceTokenizer.UNK);
        }
        assertTrue(wp.encode(corpus).length < corpus.replace(" ", "").length(), "merges shorten the text");
    }

    @Test
    void badVocabulariesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WordPieceTokenizer(List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> withPieces("a", "a"));
        var e = assertThrows(IllegalArgumentException.class, () -> WordPieceTrainer.train("abc", 6));
        assertTrue(e.getMessage().contains("vocabSize 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> withPieces("a").piece(99));
        assertThrows(IllegalArgumentException.class, () -> WordPieceTrainer.train("abc", 20, 0));
    }

    private static List<String> pieces(WordPieceTokenizer wp, int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(wp.piece(id));
        }
        return out;
    }
}
