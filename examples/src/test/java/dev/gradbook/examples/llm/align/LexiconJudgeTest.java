package dev.gradbook.examples.llm.align;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LexiconJudgeTest {
    @Test
    void wordsAreLowerCasedRunsOfLetters() {
        assertEquals(List.of("good", "night", "sweet", "prince"), LexiconJudge.words("Good-night, sweet prince!"));
        assertEquals(List.of("o", "er", "thee"), LexiconJudge.words("  o'er\nthee  "));
        assertEquals(List.of(), LexiconJudge.words(" 12 ,.; "));
    }

    @Test
    void scoresPositiveMinusNegativeOnTheShippedLexicon() throws Exception {
        LexiconJudge judge = LexiconJudge.load((java.nio.file.Path) null);
        // good, sweet: positive; death, poor: negative; the rest in neither list
        LexiconJudge.Verdict v = judge.judge("Good night, sweet lord: death of a poor good man");
        assertEquals(List.of("good", "sweet", "good"), v.positiveWords());
        assertEquals(List.of("death", "poor"), v.negativeWords());
        assertEquals(1, v.score());
        assertEquals(0, judge.score("the king and the queen"));
        assertEquals(-3, judge.score("Fear, FEAR and sorrow"));
        // on both lists: counted on both sides
        assertEquals(0, judge.score("envious"));
    }

    @Test
    void rejectsEmptyLists() {
        assertThrows(IllegalArgumentException.class, () -> new LexiconJudge(Set.of(), Set.of("bad")));
    }
}
