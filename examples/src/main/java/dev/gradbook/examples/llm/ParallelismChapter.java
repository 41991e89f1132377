package dev.gradbook.examples.llm;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.llm.parallel.DataParallel;
import dev.gradbook.examples.llm.parallel.PipelineParallel;
import dev.gradbook.examples.llm.parallel.PipelineParallel.Schedule;
import dev.gradbook.examples.llm.parallel.PipelineParallel.Span;
import dev.gradbook.examples.llm.parallel.RingAllReduce;
import dev.gradbook.examples.llm.parallel.TensorParallel;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.examples.plot.HeatMap;
import dev.gradbook.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * <h2>parallelism: one model, many workers — data, tensor and pipeline parallelism</h2>
 *
 * <p>A large language model is trained on hundreds or thousands of accelerators at once. There
 * are three ways to share the work, usually combined ("3-D parallelism", Narayanan et al. 2021):
 * <ol>
 *   <li><b>Data parallelism</b>: every worker holds the whole model and a slice of each batch. After
 *       the backward pass the gradients are averaged with an <i>all-reduce</i>,
 *       <pre>  g = 1/W sum_r g_r</pre>
 *       so all replicas take the same step. Here {@code W} threads train replicas of an MLP with a
 *       ring all-reduce written out in {@link RingAllReduce}, and the result is compared with one
 *       thread training on whole batches: the replicas stay identical to the bit, and they equal the
 *       single-thread model up to float rounding (the additions happen in another order).</li>
 *   <li><b>Tensor (model) parallelism</b>: one layer's matrices are split across workers. Megatron-LM
 *       (Shoeybi et al. 2019, section 3) splits the MLP block {@code GELU(X A) B} with {@code A} by
 *       columns and {@code B} by rows, so that each worker computes a partial output and one
 *       all-reduce sums them ({@link TensorParallel}). The chapter checks that outputs and
 *       gradients equal the unsplit block's.</li>
 *   <li><b>Pipeline parallelism</b>: consecutive layers live on different workers; the batch is cut
 *       into {@code m} micro-batches that flow through the stages like cars through a car wash
 *       (GPipe, Huang et al. 2019, section 2.2). While the pipeline fills and drains some stages
 *       idle: the <b>bubble</b>, {@code (P - 1) / (m + P - 1)} of the time for {@code P} stages. The
 *       chapter runs {@code P = 2} stages on two threads, measures the bubble for several {@code m},
 *       and checks that the accumulated gradients equal the whole batch's.</li>
 * </ol>
 *
 * <h3>What changes across machines</h3>
 * Here the workers are threads sharing memory, so an all-reduce costs a few memory copies and the
 * timings mostly show thread hand-offs. Between GPUs the all-reduce crosses NVLink (hundreds of
 * GB/s) inside a machine and InfiniBand or Ethernet (tens of GB/s) between machines: a ring sends
 * {@code 2 (W - 1) / W} times the gradient size per worker whatever {@code W} is, so data parallelism
 * scales until that traffic takes longer than the backward pass it overlaps with. Tensor parallelism
 * needs an all-reduce inside every layer, forward and backward, so it is kept within one machine's
 * fast links (Megatron uses 8-way); pipeline parallelism sends only activations between
 * neighbours and so spans machines, paying the bubble instead. None of this changes the numbers a
 * model computes, only where and when: which is exactly what this chapter checks.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Data parallel: {@code replicas differ by 0} (every replica receives the same averaged
 *       gradient, bit for bit) and the data-parallel model differs from the single-thread one by
 *       about 1e-7..1e-6 after the default 60 AdamW steps (seed 42: see the printed table).</li>
 *   <li>Tensor parallel: outputs and gradients equal to about 1e-6 (float rounding of sums of 4
 *       partial products).</li>
 *   <li>Pipeline: accumulated gradients equal to about 1e-7; the measured bubble falls as
 *       {@code m} grows, like the formula, though thread scheduling on a busy machine adds noise;
 *       {@code pipeline.png} shows the schedule (forward in one colour, backward in another, idle
 *       dark) and {@code bubble.png} measured against the formula.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --workers 8}: more data-parallel replicas and tensor-parallel shards. Does the
 *       agreement with one thread change? Why are the replicas still identical to each other?</li>
 *   <li>{@code --micro-batches 1,2,4,8,16}: where does the bubble stop paying for the extra,
 *       smaller matrix products?</li>
 *   <li>{@code --width 1024}: with more work per stage, do the measured bubbles come closer to the
 *       formula? (Fixed costs such as thread hand-offs matter less.)</li>
 * </ol>
 */
public final class ParallelismChapter implements Chapter {
    private static final int[] SIZES = {16, 64, 64, 4};
    private static final int BATCH = 64;

    @Override
    public String id() {
        return "parallelism";
    }

    @Override
    public Part part() {
        return Part.LLMS;
    }

    @Override
    public String summary() {
        return "data, tensor and pipeline parallelism on real threads: same numbers as one worker, and the bubble";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.intInRange("workers", "4", 1, 16, "data-parallel replicas and tensor-parallel shards"),
                Option.positiveInts("micro-batches", "1,2,4,8", false, "micro-batch counts to pipeline"),
                Option.positiveInt("width", "512", "width of each pipeline stage's layers"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Result result = new Result();
        int workers = ctx.intOption("workers");
        dataParallelism(ctx, result, workers);
        tensorParallelism(ctx, result, workers);
        pipelineParallelism(ctx, result);
        return result;
    }

    /** Replicas on threads with a ring all-reduce, against one thread on whole batches. */
    private static void dataParallelism(ChapterContext ctx, Result result, int workers) throws Exception {
        int steps = ctx.steps(60, 10);
        ctx.section("data parallelism: " + workers + " replicas, batch " + BATCH + " split " + workers + " ways, "
                + steps + " AdamW steps");
        DataParallel.Batches data = DataParallel.Batches.teacher(SIZES, steps, BATCH, ctx.seed());
        long seed = ctx.seed() + 1;
        DataParallel.Outcome single = DataParallel.single(SIZES, seed, data, 1e-2f);
        DataParallel.Outcome parallel = DataParallel.parallel(SIZES, seed, data, 1e-2f, workers);
        double replicaSpread = 0;
        for (float[] replica : parallel.replicaParameters()) {
            replicaSpread = Math.max(replicaSpread, maxAbsDiff(replica, parallel.replicaParameters().get(0)));
        }
        double vsSingle = maxAbsDiff(parallel.replicaParameters().get(0), single.replicaParameters().get(0));
        int n = single.replicaParameters().get(0).length;
        ctx.table(List.of("", "first loss", "last loss"), List.of(
                List.of("one thread", fmt(single.losses().get(0)), fmt(single.losses().get(steps - 1))),
                List.of(workers + " replicas", fmt(parallel.losses().get(0)), fmt(parallel.losses().get(steps - 1)))));
        ctx.printf("replicas differ by %.3g; data parallel vs one thread: max |difference| %.3g over %,d weights%n",
                replicaSpread, vsSingle, n);
        ctx.printf("the ring sends %,d floats per worker per step (2 (W-1)/W of the %,d gradients)%n",
                RingAllReduce.floatsSentPerWorker(workers, n), n);
        result.metric("dp_replica_max_diff", replicaSpread);
        result.metric("dp_vs_single_max_diff", vsSingle);
        result.metric("dp_first_loss", single.losses().get(0));
        result.metric("dp_last_loss", parallel.losses().get(steps - 1));
    }

    /** Megatron's split of the MLP block, against the unsplit block. */
    private static void tensorParallelism(ChapterContext ctx, Result result, int workers) throws Exception {
        ctx.section("tensor parallelism: GELU(X A) B with A split by columns, B by rows, over " + workers + " shards");
        TensorParallel.Block block = TensorParallel.Block.random(32, 64, 64 * workers, ctx.seed() + 2);
        TensorParallel.Pass whole = TensorParallel.unsplit(block);
        TensorParallel.Pass split = TensorParallel.split(block, workers);
        double out = maxAbsDiff(whole.y(), split.y());
        double grads = Math.max(maxAbsDiff(whole.gradX(), split.gradX()),
                Math.max(maxAbsDiff(whole.gradA(), split.gradA()), maxAbsDiff(whole.gradB(), split.gradB())));
        ctx.printf("each shard holds %d of %d hidden units; output max |difference| %.3g, gradients %.3g%n",
                block.a().size(1) / workers, block.a().size(1), out, grads);
        result.metric("tp_output_max_diff", out);
        result.metric("tp_grad_max_diff", grads);
    }

    /** Two stages on two threads, for each micro-batch count: gradients, bubble, and pictures. */
    private static void pipelineParallelism(ChapterContext ctx, Result result) throws Exception {
        int width = ctx.quick() ? 128 : ctx.intOption("width");
        int[] counts = ctx.quick() ? new int[] {1, 4} : java.util.Arrays.stream(ctx.option("micro-batches").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        int stages = 2;
        int multiple = lcm(counts);
        int rows = (64 + multiple - 1) / multiple * multiple;           // divisible by every m
        ctx.section("pipeline parallelism: " + stages + " stages on 2 threads, " + rows + " rows, width " + width);
        Rng rng = new Rng(ctx.seed() + 3);
        Tensor x = Tensor.randn(rng, rows, width);
        Tensor y = Tensor.randn(rng, rows, width);
        List<Sequential> reference = PipelineParallel.stages(stages, width, ctx.seed() + 4);
        PipelineParallel.sequential(reference, x, y);
        List<List<String>> table = new ArrayList<>();
        double[] measured = new double[counts.length];
        double[] formula = new double[counts.length];
        double worstGrad = 0;
        Schedule shown = null;
        for (int i = 0; i < counts.length; i++) {
            Schedule best = null;
            for (int attempt = 0; attempt < 3; attempt++) {    // keep the least disturbed of three runs
                List<Sequential> pipelined = PipelineParallel.stages(stages, width, ctx.seed() + 4);
                Schedule s = PipelineParallel.pipelined(pipelined, x, y, counts[i]);
                worstGrad = Math.max(worstGrad, maxGradDiff(reference, pipelined));
                if (best == null || s.bubble() < best.bubble()) {
                    best = s;
                }
            }
            measured[i] = best.bubble();
            formula[i] = best.formula();
            table.add(List.of(String.valueOf(counts[i]), String.format("%.2f", formula[i]),
                    String.format("%.2f", measured[i])));
            if (shown == null || counts[i] == 4) {
                shown = best;
            }
        }
        ctx.table(List.of("micro-batches m", "bubble (P-1)/(m+P-1)", "measured"), table);
        ctx.printf("accumulated micro-batch gradients vs the whole batch's: max |difference| %.3g%n", worstGrad);
        ctx.println("the schedule with m = " + shown.microBatches() + " (F forward, B backward, . idle):");
        ctx.println(timeline(shown, 60));
        drawSchedule(ctx, shown);
        drawBubbles(ctx, counts, formula, measured);
        result.metric("pp_grad_max_diff", worstGrad);
        result.metric("pp_bubble_first", measured[0]);
        result.metric("pp_bubble_last", measured[counts.length - 1]);
        result.metric("pp_formula_first", formula[0]);
        result.metric("pp_formula_last", formula[counts.length - 1]);
        ctx.println("pictures: pipeline.png, bubble.png in " + ctx.outDir());
    }

    /** One character per time slot and stage: F forward, B backward, '.' idle. */
    static String timeline(Schedule s, int columns) {
        char[][] cells = cells(s, columns);
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < cells.length; k++) {
            out.append("  stage ").append(k).append(": ").append(cells[k]).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private static char[][] cells(Schedule s, int columns) {
        long first = s.spans().stream().mapToLong(Span::start).min().orElse(0);
        long last = s.spans().stream().mapToLong(Span::end).max().orElse(1);
        char[][] cells = new char[s.stages()][columns];
        for (char[] row : cells) {
            java.util.Arrays.fill(row, '.');
        }
        double perColumn = (double) (last - first) / columns;
        for (Span span : s.spans()) {
            int from = (int) ((span.start() - first) / perColumn);
            int to = (int) Math.ceil((span.end() - first) / perColumn);
            for (int c = from; c < Math.min(columns, to); c++) {
                cells[span.stage()][c] = span.forward() ? 'F' : 'B';
            }
        }
        return cells;
    }

    private static void drawSchedule(ChapterContext ctx, Schedule s) {
        char[][] cells = cells(s, 48);
        double[][] values = new double[cells.length][cells[0].length];
        List<String> rows = new ArrayList<>();
        for (int k = 0; k < cells.length; k++) {
            rows.add("stage " + k);
            for (int c = 0; c < cells[k].length; c++) {
                values[k][c] = cells[k][c] == 'F' ? 1 : cells[k][c] == 'B' ? 2 : 0;
            }
        }
        new HeatMap("GPipe schedule, m = " + s.microBatches() + " (1 forward, 2 backward, 0 idle)", values)
                .labels(rows, List.of()).axes("stage", "time").save(ctx.outFile("pipeline.png"));
    }

    private static void drawBubbles(ChapterContext ctx, int[] counts, double[] formula, double[] measured) {
        List<String> names = new ArrayList<>();
        for (int m : counts) {
            names.add("m = " + m);
        }
        new BarChart("Pipeline bubble with 2 stages", "micro-batches", "idle fraction").categories(names)
                .series("(P-1)/(m+P-1)", formula).series("measured", measured).save(ctx.outFile("bubble.png"));
    }

    private static double maxGradDiff(List<Sequential> a, List<Sequential> b) {
        double worst = 0;
        for (int k = 0; k < a.size(); k++) {
            List<Tensor> pa = a.get(k).parameters();
            List<Tensor> pb = b.get(k).parameters();
            for (int i = 0; i < pa.size(); i++) {
                worst = Math.max(worst, maxAbsDiff(pa.get(i).grad(), pb.get(i).grad()));
            }
        }
        return worst;
    }

    private static int lcm(int[] counts) {
        int l = 1;
        for (int c : counts) {
            l = l / gcd(l, c) * c;
        }
        return l;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        return maxAbsDiff(a.data(), b.data());
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    private static String fmt(double v) {
        return String.format("%.4f", v);
    }
}
