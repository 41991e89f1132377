package dev.gradbook.examples.llm.parallel;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Ring all-reduce among {@code W} workers (threads here, GPUs or machines in practice): at the end
 * every worker holds the element-wise sum of all workers' buffers.
 *
 * <p>The buffer is cut into {@code W} chunks and the workers stand in a ring, each receiving only
 * from its left neighbour. Two phases of {@code W - 1} steps each (Patarasuk and Yuan 2009; the
 * scheme Horovod and NCCL use):
 * <ol>
 *   <li><b>reduce-scatter</b>: at step {@code s} worker {@code r} adds its neighbour's chunk
 *       {@code (r - 1 - s) mod W} into its own. After {@code W - 1} steps worker {@code r} holds the
 *       complete sum of chunk {@code (r + 1) mod W};</li>
 *   <li><b>all-gather</b>: at step {@code s} worker {@code r} copies the finished chunk
 *       {@code (r - s) mod W} from its neighbour, so the finished chunks travel once round the ring.</li>
 * </ol>
 * Each worker sends {@code 2 (W - 1) / W} times its buffer in all, whatever {@code W} is: this is
 * why the ring scales, where "everyone sends everything to one parameter server" does not.
 *
 * <p>Here the workers share memory, so "receiving" is reading the neighbour's array; a barrier
 * after every step stands in for waiting on the network. At each step a worker reads a chunk that
 * its neighbour finished in the previous step and writes a different one, so one barrier per step
 * is enough.
 */
public final class RingAllReduce {
    private final int workers;
    private final float[][] buffers;
    private final CyclicBarrier barrier;

    /** A ring of {@code workers} members; each must call {@link #allReduce} once per reduction. */
    public RingAllReduce(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("RingAllReduce: need at least one worker, got " + workers);
        }
        this.workers = workers;
        this.buffers = new float[workers][];
        this.barrier = new CyclicBarrier(workers);
    }

    /** Floats each worker sends for a buffer of {@code n}: {@code 2 (W - 1) / W * n}. */
    public static long floatsSentPerWorker(int workers, long n) {
        return 2L * (workers - 1) * n / workers;
    }

    /**
     * Called by worker {@code rank} with its buffer (every worker's of the same length); returns when
     * every buffer holds the sum over all workers.
     */
    public void allReduce(int rank, float[] data) throws InterruptedException {
        buffers[rank] = data;
        await();
        int n = data.length;
        for (int r = 0; r < workers; r++) {
            if (buffers[r].length != n) {
                throw new IllegalArgumentException("RingAllReduce: worker " + r + " has " + buffers[r].length
                        + " floats, worker " + rank + " has " + n);
            }
        }
        float[] left = buffers[(rank - 1 + workers) % workers];
        for (int s = 0; s < workers - 1; s++) {           // reduce-scatter
            int chunk = Math.floorMod(rank - 1 - s, workers);
            for (int i = start(chunk, n); i < start(chunk + 1, n); i++) {
                data[i] += left[i];
            }
            await();
        }
        for (int s = 0; s < workers - 1; s++) {           // all-gather
            int chunk = Math.floorMod(rank - s, workers);
            System.arraycopy(left, start(chunk, n), data, start(chunk, n), start(chunk + 1, n) - start(chunk, n));
            await();
        }
    }

    private int start(int chunk, int n) {
        return (int) ((long) chunk * n / workers);
    }

    private void await() throws InterruptedException {
        try {
            barrier.await();
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("RingAllReduce: another worker failed", e);
        }
    }
}
