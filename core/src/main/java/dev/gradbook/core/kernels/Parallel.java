package dev.gradbook.core.kernels;

/**
 * Runs the work around the matrix products (layer norm, softmax, activations, batches of small
 * products) on the threads of the matrix-multiply kernel ({@link MatmulKernel#threads()}), in
 * blocks whose boundaries do not depend on the number of threads.
 *
 * <p>The items {@code [0, count)} (rows of a tensor, matrices of a batch) are cut into blocks of
 * {@code block} items; {@code body.run(b, from, to)} is called once for each block {@code b}
 * covering {@code [from, to)}. The blocks are shared out in contiguous groups, one per thread,
 * the caller's included; with one thread, or when the whole job is smaller than
 * {@value #MIN_WORK} units of work (handing work to another thread costs microseconds), the
 * caller runs every block itself. Either way each block is computed the same way, so a body
 * that writes only its own items, and keeps any sum over items per block (to be added up in
 * block order afterwards), gives the same bits on 1 thread as on 8. Called from inside a block,
 * it runs on the calling thread alone (the other threads are busy with the outer loop).
 */
public final class Parallel {
    /** Below this much work (items x work per item, roughly float operations) everything runs on the caller. */
    static final long MIN_WORK = 1L << 16;

    /** The body of a parallel loop: block number {@code b} covers items {@code [from, to)}. */
    @FunctionalInterface
    public interface Block {
        void run(int b, int from, int to);
    }

    private Parallel() {
    }

    /** The number of blocks of {@code block} items that cover {@code count} items. */
    public static int blocks(int count, int block) {
        return count == 0 ? 0 : (count - 1) / block + 1;
    }

    /**
     * Calls {@code body} for every block of {@code block} items in {@code [0, count)}, spread over
     * the kernel's threads when {@code count * workPerItem} is worth it; returns when all are done.
     */
    public static void forEachBlock(int count, int block, long workPerItem, Block body) {
        if (block <= 0 || count < 0) {
            throw new IllegalArgumentException("Parallel: block " + block + " and count " + count
                    + " must be positive and non-negative");
        }
        int blocks = blocks(count, block);
        int threads = Math.min(blocks, Kernels.defaultKernel().threads());
        if (threads <= 1 || (long) count * workPerItem < MIN_WORK || WorkerPool.insideShare()) {
            runBlocks(0, blocks, count, block, body);
            return;
        }
        Runnable[] shares = new Runnable[threads];
        for (int t = 0; t < threads; t++) {
            int first = (int) ((long) blocks * t / threads);
            int last = (int) ((long) blocks * (t + 1) / threads);
            shares[t] = () -> runBlocks(first, last, count, block, body);
        }
        WorkerPool.runAll(shares);
    }

    private static void runBlocks(int first, int last, int count, int block, Block body) {
        for (int b = first; b < last; b++) {
            body.run(b, b * block, Math.min(count, (b + 1) * block));
        }
    }
}
