package dev.gradbook.nn.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BleuTest {
    private static List<String> words(String s) {
        return Arrays.asList(s.split(" "));
    }

    // The worked example of Papineni et al. (2002), section 2.1 (Example 1, Candidate 1 and the
    // three references), as used in NLTK's documentation; its published sentence BLEU is
    // 0.5045666840058485.
    private static final List<String> CANDIDATE = words(
            "It is a guide to action which ensures that the military always obeys the commands of the party");
    private static final List<List<String>> REFERENCES = List.of(
            words("It is a guide to action that ensures that the military will forever heed Party commands"),
            words("It is the guiding principle which guarantees the military forces always being under the command of the Party"),
            words("It is the practical guide for the army always to heed the directions of the party"));

    @Test
    void paperExampleMatchesPublishedValue() {
        assertEquals(0.5045666840058485, Bleu.sentence(REFERENCES, CANDIDATE), 1e-12);
    }

    @Test
    void clippingStopsRepetitionFromScoring() {
        // Papineni et al. section 2.1, Example 2: "the the the the the the the" has unigram
        // precision 7/7 unclipped but 2/7 clipped (the first reference has "the" twice). The
        // closest reference has the candidate's length 7, so there is no brevity penalty.
        List<List<String>> refs = List.of(words("the cat is on the mat"), words("there is a cat on the mat"));
        List<String> candidate = words("the the the the the the the");
        assertEquals(2.0 / 7.0, Bleu.corpus(List.of(refs), List.of(candidate), 1), 1e-12);
    }

    @Test
    void identicalTextScoresOneAndShortCandidateIsPenalised() {
        List<String> ref = words("a b c d e f g h");
        assertEquals(1.0, Bleu.sentence(List.of(ref), ref), 1e-12);
        // 4 of 8 tokens, all matching: precisions 1, penalty exp(1 - 8/4).
        assertEquals(Math.exp(-1), Bleu.sentence(List.of(ref), words("a b c d")), 1e-12);
    }

    @Test
    void noMatchingFourGramGivesZero() {
        assertEquals(0.0, Bleu.sentence(List.of(words("a b c d e")), words("a b x c d")), 0.0);
    }

    @Test
    void mismatchedListsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Bleu.corpus(List.of(REFERENCES), List.of(CANDIDATE, CANDIDATE)));
        assertEquals("Bleu: 2 candidates but 1 reference lists", e.getMessage());
    }
}
