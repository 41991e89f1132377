package dev.gradbook.core.kernels;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of {@link SimdKernel}: one process-wide pool of daemon threads, created on
 * the first multithreaded product and grown when a kernel asks for more threads than it has.
 *
 * <p>Not {@link java.util.concurrent.ForkJoinPool#commonPool()}: its parallelism is one less than
 * the number of processors, which on a 2-core machine leaves a single worker, and anything else
 * the program runs there would compete with the product. The caller always runs one share itself,
 * so a product on {@code t} threads uses {@code t - 1} workers.
 */
final class WorkerPool {

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** Whether this thread is running a share: a share that asked for the pool again could wait for itself. */
    private static final ThreadLocal<Boolean> IN_SHARE = ThreadLocal.withInitial(() -> false);
    private static ThreadPoolExecutor pool;

    private WorkerPool() {
    }

    /**
     * Runs {@code shares[0]} on the calling thread and the others on the pool; returns when all
     * have finished. The first failure is rethrown after every share has stopped, so no worker is
     * still writing to the output when the caller sees the exception. An interrupt of the caller
     * does not abandon the workers; it is kept for the caller to see afterwards.
     */
    static void runAll(Runnable[] shares) {
        if (insideShare()) {
            for (Runnable share : shares) {
                share.run();
            }
            return;
        }
        ThreadPoolExecutor workers = workers(shares.length - 1);
        Future<?>[] pending = new Future<?>[shares.length - 1];
        for (int i = 1; i < shares.length; i++) {
            Runnable share = shares[i];
            pending[i - 1] = workers.submit(() -> runShare(share));
        }
        Throwable failure = null;
        try {
            runShare(shares[0]);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> share : pending) {
            while (true) {
                try {
                    share.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        rethrow(failure);
    }

    /**
     * Whether the calling thread is running a share of {@link #runAll}; work it starts then runs
     * on it alone (nested shares would wait for workers that are busy with their parents).
     */
    static boolean insideShare() {
        return IN_SHARE.get();
    }

    private static void runShare(Runnable share) {
        IN_SHARE.set(true);
        try {
            share.run();
        } finally {
            IN_SHARE.set(false);
        }
    }

    private static synchronized ThreadPoolExecutor workers(int count) {
        if (pool == null) {
            ThreadFactory daemons = task -> {
                Thread t = new Thread(task, "gradbook-matmul-" + THREAD_NUMBER.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = new ThreadPoolExecutor(count, count, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemons);
        } else if (pool.getMaximumPoolSize() < count) {
            pool.setMaximumPoolSize(count);
            pool.setCorePoolSize(count);
        }
        return pool;
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("matmul worker failed", failure);
        }
    }
}
