package dev.gradbook.examples.retrieval;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RagChapterTest {
    @Test
    void retrievalLetsTheReaderAnswerWhatClosedBookCannot() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("rag");
        Result r = run.result();
        assertEquals(200, r.get("test_questions"));
        // held-out passages: the closed-book reader can only guess; with BM25's passage it mostly answers
        assertTrue(r.get("closed_book_accuracy") < 0.1, "closed book " + r.get("closed_book_accuracy"));
        assertTrue(r.get("rag_top1_accuracy") > r.get("closed_book_accuracy") + 0.5, "RAG top 1 " + r.get("rag_top1_accuracy"));
        assertTrue(r.get("rag_topk_accuracy") >= r.get("rag_top1_accuracy"), "reading 3 passages " + r.get("rag_topk_accuracy"));
        // the gold passage is the upper bound, and the reader nearly reaches it
        assertTrue(r.get("gold_passage_accuracy") > 0.9 && r.get("gold_passage_accuracy") >= r.get("rag_topk_accuracy"),
                "gold " + r.get("gold_passage_accuracy"));
        assertTrue(r.get("retrieval_recall_at_k") >= r.get("retrieval_recall_at_1"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("accuracy.png")) > 3, "accuracy.png looks blank");
    }
}
