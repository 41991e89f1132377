package dev.gradbook.examples.llm;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.llm.parallel.RingAllReduce;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelismChapterTest {
    @Test
    void quickRunAgreesWithOneWorkerAndMeasuresTheBubble() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("parallelism");
        Result r = run.result();
        assertEquals(0.0, r.get("dp_replica_max_diff"), "replicas apply the same averaged gradient");
        assertTrue(r.get("dp_vs_single_max_diff") < 1e-4, "data parallel vs one thread " + r.get("dp_vs_single_max_diff"));
        assertTrue(r.get("dp_last_loss") < r.get("dp_first_loss"), "training lowers the loss");
        assertTrue(r.get("tp_output_max_diff") < 1e-4, "tensor parallel output " + r.get("tp_output_max_diff"));
        assertTrue(r.get("tp_grad_max_diff") < 1e-4, "tensor parallel gradients " + r.get("tp_grad_max_diff"));
        assertTrue(r.get("pp_grad_max_diff") < 1e-5, "pipeline gradients " + r.get("pp_grad_max_diff"));
        // quick run: m = 1 then m = 4 with two stages; the formula gives 1/2 and 1/5
        assertEquals(0.5, r.get("pp_formula_first"), 1e-12);
        assertEquals(0.2, r.get("pp_formula_last"), 1e-12);
        assertTrue(r.get("pp_bubble_first") > 0.25, "one micro-batch: a stage idles while the other works, "
                + r.get("pp_bubble_first"));
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("bubble.png")) > 3, "bubble.png looks blank");
        assertTrue(run.output().contains("stage 1: "), "schedule printed");
    }

    @Test
    void ringAllReduceSumsEveryBufferForAnyWorkerCountAndLength() throws Exception {
        for (int workers : new int[] {1, 2, 3, 5}) {
            for (int n : new int[] {1, 4, 7, 100}) {
                float[][] buffers = new float[workers][n];
                double[] expected = new double[n];
                for (int r = 0; r < workers; r++) {
                    for (int i = 0; i < n; i++) {
                        buffers[r][i] = (r + 1) * 1000 + i;   // exact in float
                        expected[i] += buffers[r][i];
                    }
                }
                RingAllReduce ring = new RingAllReduce(workers);
                ExecutorService pool = Executors.newFixedThreadPool(workers);
                List<Future<?>> done = new ArrayList<>();
                for (int r = 0; r < workers; r++) {
                    int rank = r;
                    done.add(pool.submit(() -> {
                        ring.allReduce(rank, buffers[rank]);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                pool.shutdown();
                for (int r = 0; r < workers; r++) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(expected[i], buffers[r][i], 0.0, "workers " + workers + " n " + n);
                    }
                    assertArrayEquals(buffers[0], buffers[r]);
                }
            }
        }
        assertEquals(150, RingAllReduce.floatsSentPerWorker(4, 100));
    }
}
