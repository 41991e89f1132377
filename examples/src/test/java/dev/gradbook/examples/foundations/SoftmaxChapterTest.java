package dev.gradbook.examples.foundations;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxChapterTest {
    @Test
    void naiveOverflowsStableDoesNot() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("softmax-and-logs");
        Result r = run.result();
        assertTrue(r.get("naive_non_finite") > 0, "the naive softmax of logits near 1000 has NaN or inf");
        assertEquals(0, r.get("stable_non_finite"), "the stable softmax has no NaN or inf");
        assertTrue(r.get("stable_sum_error") < 1e-6, "and sums to 1");
        assertTrue(r.get("logsumexp_identity_error") < 1e-5);
        assertEquals(Double.NEGATIVE_INFINITY, r.get("log_of_softmax_last"), "log(softmax) underflows to -inf");
        assertEquals(-200, r.get("log_softmax_last"), 1e-3, "log-softmax stays exact");
        assertEquals(0, r.get("log_softmax_grad_non_finite"));
        assertTrue(r.get("log_rule_max_error") < 1e-12);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("temperature.png")) > 10);
    }

    @Test
    void stableSoftmaxMatchesADoublePrecisionReference() {
        Tensor x = Tensor.randn(new Rng(5), 16).mul(300);   // logits up to about +-1000
        Tensor p = SoftmaxChapter.stableSoftmax(x);
        assertFalse(p.hasNonFinite());
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x.data()) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : x.data()) {
            sum += Math.exp(v - max);
        }
        for (int i = 0; i < x.numel(); i++) {
            assertEquals(Math.exp(x.get(i) - max) / sum, p.get(i), 1e-6);
        }
        assertTrue(SoftmaxChapter.naiveSoftmax(x).hasNonFinite());
    }
}
