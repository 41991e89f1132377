package dev.gradbook.examples.llm;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.llm.eval.CountModel;
import dev.gradbook.examples.llm.eval.Scores;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationChapterTest {
    @Test
    void knownCasesHoldAndTheModelsAreOrdered() throws Exception {
        Result r = ChapterRunner.quick("evaluation").result();
        assertEquals(65.0, r.get("check_uniform_perplexity"), 1e-9);
        assertEquals(0.5045666840058485, r.get("check_paper_bleu"), 1e-12);
        assertEquals(1.0, r.get("check_exact_match"));
        assertTrue(r.get("uniform_perplexity") > r.get("unigram_perplexity"));
        assertTrue(r.get("unigram_perplexity") > r.get("bigram_perplexity"));
        assertTrue(r.get("bigram_perplexity") > r.get("mlp_perplexity"), "the trained MLP beats bigram counts");
        assertTrue(r.get("mlp_accuracy") > r.get("bigram_accuracy"));
        assertTrue(r.get("bigram_accuracy") > r.get("unigram_accuracy"));
        assertTrue(r.get("mlp_bleu1") > r.get("unigram_bleu1"));
    }

    @Test
    void bigramCountsGivePerplexityByHand() {
        // text "abab" over {a, b}: bigram counts a->b twice (ab, ab), b->a once. With add-one
        // smoothing p(b|a) = (2+1)/(2+2) = 3/4 and p(a|b) = (1+1)/(1+2) = 2/3.
        int[] text = {0, 1, 0, 1};
        CountModel bigram = new CountModel(2, 2, text);
        double expected = Math.exp(-(Math.log(0.75) + Math.log(2.0 / 3.0) + Math.log(0.75)) / 3);
        assertEquals(expected, Scores.perplexity(bigram, text, new int[] {1, 2, 3}), 1e-12);
    }
}
