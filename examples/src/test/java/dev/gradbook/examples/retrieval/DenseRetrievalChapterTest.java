package dev.gradbook.examples.retrieval;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseRetrievalChapterTest {
    @Test
    void denseRetrievalLearnsAndTheInvertedFileTradesRecallForSpeed() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("dense-retrieval");
        Result r = run.result();
        assertEquals(300, r.get("questions"));
        // BM25 on the same questions as its own chapter, reported beside the dense retriever
        assertTrue(r.get("bm25_recall_at_1") > 0.6, "bm25 recall@1 " + r.get("bm25_recall_at_1"));
        // the dense retriever is far above chance (10 / 1045 = 0.01 for recall@10) and ordered in k
        assertTrue(r.get("dense_recall_at_10") > 0.15, "dense recall@10 " + r.get("dense_recall_at_10"));
        assertTrue(r.get("dense_recall_at_1") <= r.get("dense_recall_at_5")
                && r.get("dense_recall_at_5") <= r.get("dense_recall_at_10"));
        // probing every list is exact search; probing 8 of 32 finds most of it with less work, faster
        assertEquals(1.0, r.get("full_probe_overlap_with_exact"), 1e-12);
        assertTrue(r.get("ivf_overlap_with_exact") > 0.6, "IVF overlap " + r.get("ivf_overlap_with_exact"));
        assertTrue(r.get("ivf_recall_at_10") > 0.6 * r.get("dense_recall_at_10"), "IVF recall@10 " + r.get("ivf_recall_at_10"));
        assertTrue(r.get("ivf_compared_fraction") < 0.5, "compared " + r.get("ivf_compared_fraction"));
        assertTrue(r.get("ivf_speedup") > 1, "speed-up " + r.get("ivf_speedup"));
        for (String png : new String[] {"recall.png", "ivf-tradeoff.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png + " looks blank");
        }
    }
}
