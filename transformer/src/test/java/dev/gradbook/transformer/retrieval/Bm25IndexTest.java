package dev.gradbook.transformer.retrieval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Bm25IndexTest {
    private static final List<String> DOCS = List.of(
            "the cat sat on the mat",                // 0: cat, sat, mat           (3 terms)
            "the dog chased the cat and the cat ran", // 1: dog, chased, cat, cat, ran (5 terms)
            "a bird sang");                          // 2: bird, sang              (2 terms)
    private static final TextAnalyzer ANALYZER = new TextAnalyzer(Set.of("the", "on", "and", "a"));

    @Test
    void analyzerLowercasesSplitsAndDropsStopWords() {
        assertEquals(List.of("cat", "sat", "mat", "42"), ANALYZER.terms("The CAT, sat; on-the mat 42!"));
    }

    @Test
    void scoresMatchTheFormulaWrittenOutByHand() {
        Bm25Index index = new Bm25Index(DOCS, ANALYZER);
        double k1 = 1.5;
        double b = 0.6;
        double avgdl = (3 + 5 + 2) / 3.0;
        double idfCat = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
        double idfDog = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
        double doc0 = idfCat * 1 * (k1 + 1) / (1 + k1 * (1 - b + b * 3 / avgdl));
        double doc1 = idfCat * 2 * (k1 + 1) / (2 + k1 * (1 - b + b * 5 / avgdl))
                + idfDog * 1 * (k1 + 1) / (1 + k1 * (1 - b + b * 5 / avgdl));
        double[] scores = index.scores("cat dog", new Bm25Index.Params(k1, b));
        assertArrayEquals(new double[] {doc0, doc1, 0}, scores, 1e-12);
        assertEquals(avgdl, index.averageLength(), 1e-12);
        assertEquals(2, index.documentFrequency("cat"));
    }

    @Test
    void searchRanksBestFirstAndKeepsOnlyK() {
        Bm25Index index = new Bm25Index(DOCS, ANALYZER);
        List<Bm25Index.Hit> hits = index.search("dog cat", 2);
        assertEquals(1, hits.get(0).doc());
        assertEquals(0, hits.get(1).doc());
        assertEquals(2, hits.size());
        assertEquals(2, index.search("bird", 1).get(0).doc());
    }

    @Test
    void k1ZeroCountsOnlyPresenceAndBZeroIgnoresLength() {
        Bm25Index index = new Bm25Index(DOCS, ANALYZER);
        double[] s = index.scores("cat", new Bm25Index.Params(0, 0.75));
        assertEquals(s[0], s[1], 1e-12, "with k1 = 0 two occurrences score like one");
        double[] noLength = index.scores("cat", new Bm25Index.Params(1.2, 0));
        double[] withLength = index.scores("cat", new Bm25Index.Params(1.2, 1));
        assertTrue(withLength[1] / withLength[0] < noLength[1] / noLength[0], "b penalises the longer doc 1");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new Bm25Index.Params(1.2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new Bm25Index(List.of(), ANALYZER));
        assertThrows(IllegalArgumentException.class, () -> new Bm25Index(DOCS, ANALYZER).search("cat", 0));
    }

    @Test
    void topKAndRecall() {
        assertArrayEquals(new int[] {2, 0, 3}, TopK.indices(new double[] {3, 1, 5, 3}, 3));
        List<int[]> ranked = List.of(new int[] {4, 1, 2}, new int[] {0, 3, 9});
        assertEquals(0.5, RecallAtK.of(ranked, new int[] {1, 7}, 2), 1e-12);
        assertEquals(0.0, RecallAtK.of(ranked, new int[] {1, 7}, 1), 1e-12);
    }
}
