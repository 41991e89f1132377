package dev.gradbook.transformer.serving;

import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Dynamic batching: single requests go into a queue; one worker thread takes the first, waits up
 * to {@code maxWaitMillis} for up to {@code maxBatch - 1} more, runs the model once on the stacked
 * {@code (n, D)} input and hands each request its row of the {@code (n, K)} output.
 */
final class Batcher implements AutoCloseable {
    private record Pending(float[] input, CompletableFuture<float[]> result) {
    }

    private final UnaryOperator<Tensor> model;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean running = true;

    Batcher(UnaryOperator<Tensor> model, int maxBatch, long maxWaitMillis) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.worker = new Thread(this::loop, "gradbook-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    CompletableFuture<float[]> submit(float[] input) {
        CompletableFuture<float[]> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("batcher stopped"));
        } else {
            queue.add(new Pending(input, f));
        }
        return f;
    }

    long batches() {
        return batches.get();
    }

    long requests() {
        return requests.get();
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>(List.of(first));
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    Pending next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                break;
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("batcher stopped"));
        }
    }

    private void run(List<Pending> batch) {
        int d = batch.get(0).input().length;
        float[] stacked = new float[batch.size() * d];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).input(), 0, stacked, i * d, d);
        }
        try {
            Tensor out = model.apply(Tensor.of(stacked, batch.size(), d));                 // (n, K)
            int k = out.size(1);
            float[] y = out.data();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(java.util.Arrays.copyOfRange(y, i * k, (i + 1) * k));
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
        batches.incrementAndGet();
        requests.addAndGet(batch.size());
    }

    /** Answers what is queued, then stops the worker. */
    @Override
    public void close() {
        running = false;
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
