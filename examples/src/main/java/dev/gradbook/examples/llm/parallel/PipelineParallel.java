package dev.gradbook.examples.llm.parallel;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Sequential;
import dev.gradbook.nn.Tanh;
import dev.gradbook.nn.loss.Losses;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pipeline parallelism with GPipe's schedule (Huang et al. 2019, section 2.2): the layers are cut
 * into {@code P} consecutive stages, one per worker (thread), and the batch into {@code m}
 * micro-batches. Stage {@code k} runs the forward pass of micro-batch {@code j} as soon as stage
 * {@code k-1} hands it the activations; after the last forward, the backward passes flow back the
 * same way, each stage handing the gradient of its input to the stage before. The gradients of the
 * {@code m} micro-batches accumulate, so the update equals one over the whole batch.
 *
 * <p>The cost is the <b>bubble</b>: while the pipeline fills and drains, some stages wait. With
 * equal stage times, each stage is busy {@code m} slots of {@code m + P - 1}, so the idle fraction is
 * <pre>  bubble = (P - 1) / (m + P - 1)</pre>
 * which shrinks as micro-batches are added (GPipe found it negligible for {@code m >= 4P}).
 */
public final class PipelineParallel {
    /** What a stage did and when: {@code forward} or not, micro-batch, start and end in nanoseconds. */
    public record Span(int stage, boolean forward, int microBatch, long start, long end) {
    }

    /** The spans of one pipelined pass and the gradients accumulated in each stage. */
    public record Schedule(List<Span> spans, int stages, int microBatches) {
        /** The measured idle fraction: {@code 1 - busy / (P * makespan)}. */
        public double bubble() {
            long first = spans.stream().mapToLong(Span::start).min().orElse(0);
            long last = spans.stream().mapToLong(Span::end).max().orElse(0);
            long busy = spans.stream().mapToLong(s -> s.end() - s.start()).sum();
            return 1 - (double) busy / ((double) stages * (last - first));
        }

        /** GPipe's formula for equal stage times. */
        public double formula() {
            return (stages - 1.0) / (microBatches + stages - 1.0);
        }
    }

    private PipelineParallel() {
    }

    /** {@code stages} stages of {@code Linear(width, width) -> Tanh}, twice each, from one seed. */
    public static List<Sequential> stages(int stages, int width, long seed) {
        Rng rng = new Rng(seed);
        List<Sequential> out = new ArrayList<>();
        for (int k = 0; k < stages; k++) {
            out.add(new Sequential(new Linear(width, width, rng), new Tanh(), new Linear(width, width, rng), new Tanh()));
        }
        return out;
    }

    /** The plain way: the whole batch through every stage on this thread, then backward. */
    public static void sequential(List<Sequential> stages, Tensor x, Tensor y) {
        Tensor h = x;
        for (Sequential stage : stages) {
            h = stage.forward(h);
        }
        Losses.mse(h, y).backward();
    }

    /** Runs forward and backward of {@code x -> y} through the stages on one thread each, in {@code m} micro-batches. */
    public static Schedule pipelined(List<Sequential> stages, Tensor x, Tensor y, int m) throws Exception {
        int p = stages.size();
        int rows = x.size(0);
        if (rows % m != 0) {
            throw new IllegalArgumentException("pipeline: batch " + rows + " is not divisible into " + m
                    + " micro-batches");
        }
        List<BlockingQueue<Tensor>> forwardInbox = queues(p, m);
        List<BlockingQueue<Tensor>> backwardInbox = queues(p, m);
        for (int j = 0; j < m; j++) {
            forwardInbox.get(0).put(x.narrow(0, j * rows / m, rows / m));
        }
        List<Span> spans = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(p);
        try {
            List<Future<List<Span>>> done = new ArrayList<>();
            for (int k = 0; k < p; k++) {
                int stage = k;
                done.add(pool.submit(() -> runStage(stage, stages, y, m, forwardInbox, backwardInbox)));
            }
            for (Future<List<Span>> f : done) {
                spans.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return new Schedule(spans, p, m);
    }

    private static List<Span> runStage(int k, List<Sequential> stages, Tensor y, int m,
                                       List<BlockingQueue<Tensor>> forwardInbox,
                                       List<BlockingQueue<Tensor>> backwardInbox) throws InterruptedException {
        int p = stages.size();
        Sequential stage = stages.get(k);
        int rows = y.size(0) / m;
        List<Span> spans = new ArrayList<>();
        Tensor[] inputs = new Tensor[m];
        Tensor[] outputs = new Tensor[m];
        for (int j = 0; j < m; j++) {                                  // fill: forwards in order
            Tensor in = forwardInbox.get(k).take();
            long start = System.nanoTime();
            inputs[j] = in.detach().requiresGrad(k > 0);               // stage 0's input needs no gradient
            outputs[j] = stage.forward(inputs[j]);
            if (k == p - 1) {
                // the mean over the whole batch = the mean over micro-batches of their means
                outputs[j] = Losses.mse(outputs[j], y.narrow(0, j * rows, rows)).mul(1f / m);
            }
            spans.add(new Span(k, true, j, start, System.nanoTime()));
            if (k < p - 1) {
                forwardInbox.get(k + 1).put(outputs[j].detach());
            }
        }
        for (int j = m - 1; j >= 0; j--) {                              // drain: backwards in reverse
            Tensor gradOut = k == p - 1 ? null : backwardInbox.get(k).take();
            long start = System.nanoTime();
            if (gradOut == null) {
                outputs[j].backward();
            } else {
                outputs[j].backward(gradOut);
            }
            spans.add(new Span(k, false, j, start, System.nanoTime()));
            if (k > 0) {
                backwardInbox.get(k - 1).put(inputs[j].grad());
            }
        }
        return spans;
    }

    private static List<BlockingQueue<Tensor>> queues(int p, int m) {
        List<BlockingQueue<Tensor>> out = new ArrayList<>();
        for (int k = 0; k < p; k++) {
            out.add(new ArrayBlockingQueue<>(m));
        }
        return out;
    }
}
