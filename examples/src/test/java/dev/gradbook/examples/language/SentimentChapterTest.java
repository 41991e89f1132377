package dev.gradbook.examples.language;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.language.sentiment.Sentences;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentimentChapterTest {
    @Test
    void theLstmWinsOnNegatedSentencesWhereTheBagOfWordsFails() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("sentiment");
        Result r = run.result();
        // seed 42: bag of words 0.92 plain but 0.07 negated; LSTM 1.00 plain, 0.98 negated
        assertTrue(r.get("bow_plain") > 0.8, "the bag of words reads plain opinions " + r.get("bow_plain"));
        assertTrue(r.get("bow_negated_accuracy") < 0.3, "and gets negations backwards " + r.get("bow_negated_accuracy"));
        assertTrue(r.get("lstm_negated_accuracy") > 0.9, "the LSTM reads them in order " + r.get("lstm_negated_accuracy"));
        assertTrue(r.get("lstm_negated_accuracy") > r.get("bow_negated_accuracy") + 0.5);
        assertTrue(r.get("lstm_accuracy") > r.get("bow_accuracy"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("accuracy.png")) > 3);
    }

    @Test
    void negationFlipsTheOpinionWord() {
        Sentences s = new Sentences(List.of("good", "great", "fine"), List.of("bad", "awful", "poor"), 3, new Rng(1));
        for (Sentences.Sentence sentence : s.generate(200, new Rng(2))) {
            String opinion = sentence.words().get(sentence.words().size() - 1);
            boolean wordPositive = List.of("good", "great", "fine").contains(opinion);
            boolean negated = sentence.kind() == Sentences.Kind.NEGATED || sentence.kind() == Sentences.Kind.NEGATED_FAR;
            assertEquals(wordPositive != negated, sentence.positive(), sentence.text());
        }
    }
}
