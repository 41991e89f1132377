package dev.gradbook.examples.retrieval;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Bm25ChapterTest {
    @Test
    void bm25FindsTheSourcePassageAndTheGridMatters() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("bm25");
        Result r = run.result();
        assertEquals(300, r.get("questions"));
        assertTrue(r.get("passages") > 1000, "passages " + r.get("passages"));
        // recall@k can only grow with k; the source passage is almost always in the top 10
        assertTrue(r.get("recall_at_1") > 0.6 && r.get("recall_at_1") < r.get("recall_at_5"), "recall@1 " + r.get("recall_at_1"));
        assertTrue(r.get("recall_at_5") <= r.get("recall_at_10") && r.get("recall_at_10") > 0.95, "recall@10 " + r.get("recall_at_10"));
        // the grid's best cell uses some length normalisation, and beats the harshest setting
        assertTrue(r.get("best_b") > 0 && r.get("best_b") < 1, "best b " + r.get("best_b"));
        assertTrue(r.get("best_recall_at_1") > r.get("recall_at_1_k1_4_b_1") + 0.05);
        for (String png : new String[] {"recall.png", "k1-b.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png + " looks blank");
        }
    }

    @Test
    void passagesAreWholeParagraphsOfAtLeastTheMinimumLength() {
        String text = "one two three\n\nfour five\n\nChapter 2\n\nsix seven eight nine";
        assertEquals(java.util.List.of("one two three four five", "six seven eight nine"), Book.passages(text, 4));
    }
}
