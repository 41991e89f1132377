package dev.gradbook.examples.language;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TextPreprocessingChapterTest {
    @Test
    void tfIdfSpamFilterReachesNinetyFivePercentWithTellingTerms() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("text-preprocessing");
        Result r = run.result();
        // seed 42: TF-IDF 0.980, bag of words 0.965 on 400 held-out e-mails
        assertTrue(r.get("tfidf_accuracy") >= 0.95, "TF-IDF accuracy " + r.get("tfidf_accuracy"));
        assertTrue(r.get("bow_accuracy") >= 0.9, "bag-of-words accuracy " + r.get("bow_accuracy"));
        assertTrue(r.get("vocabulary") == 5000, "vocabulary " + r.get("vocabulary"));
        List<String> spam = List.of(r.notes().get("top_spam_terms").split(" "));
        List<String> ham = List.of(r.notes().get("top_ham_terms").split(" "));
        assertTrue(spam.contains("free") || spam.contains("click") || spam.contains("remov"), "spam terms " + spam);
        assertTrue(ham.contains("wrote") || ham.contains("re") || ham.contains("url"), "ham terms " + ham);
        assertTrue(run.output().contains("stems:"), "the pipeline is shown");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("terms.png")) > 3);
    }
}
