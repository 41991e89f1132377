package dev.gradbook.examples.llm.parallel;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.MLP;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.Tanh;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Data parallelism: {@code W} replicas of one model, each on its own thread with its own slice of
 * every batch; after each backward pass the gradients are summed by a {@link RingAllReduce} and
 * divided by {@code W}, so every replica applies the same update and the replicas never drift.
 *
 * <p>Why it equals one big batch: with equal slices, the mean loss over the batch is the mean of
 * the slices' mean losses, so its gradient is the mean of the slices' gradients,
 * {@code grad L = 1/W sum_r grad L_r}. Only the order of the additions differs from one thread
 * doing it all, so the parameters agree to float rounding, not bit for bit.
 */
public final class DataParallel {
    /** The regression task: batches of inputs {@code x} (B, in) and targets {@code y} (B, out). */
    public record Batches(List<Tensor> x, List<Tensor> y) {
        /** {@code steps} batches of {@code batch} rows from a fixed random "teacher" network. */
        public static Batches teacher(int[] sizes, int steps, int batch, long seed) {
            Rng rng = new Rng(seed);
            MLP teacher = new MLP(sizes, Tanh::new, rng);
            List<Tensor> xs = new ArrayList<>();
            List<Tensor> ys = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                Tensor x = Tensor.randn(rng, batch, sizes[0]);
                xs.add(x);
                ys.add(teacher.forward(x).detach());
            }
            return new Batches(xs, ys);
        }
    }

    /** The trained model of one replica, and every replica's final parameters, flattened. */
    public record Outcome(Module model, List<float[]> replicaParameters, List<Double> losses) {
    }

    private DataParallel() {
    }

    /** A fresh student: the same seed gives every replica the same initial weights. */
    public static MLP student(int[] sizes, long seed) {
        return new MLP(sizes, Tanh::new, new Rng(seed));
    }

    /** Trains one model on whole batches, on this thread: the reference. */
    public static Outcome single(int[] sizes, long seed, Batches data, float lr) {
        MLP model = student(sizes, seed);
        Optimizer opt = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(lr));
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < data.x().size(); s++) {
            opt.zeroGrad();
            Tensor loss = Losses.mse(model.forward(data.x().get(s)), data.y().get(s));
            loss.backward();
            opt.step();
            losses.add((double) loss.item());
        }
        return new Outcome(model, List.of(flatten(model)), losses);
    }

    /** Trains {@code workers} replicas on threads, each on rows {@code [r B/W, (r+1) B/W)} of every batch. */
    public static Outcome parallel(int[] sizes, long seed, Batches data, float lr, int workers) throws Exception {
        int batch = data.x().get(0).size(0);
        if (batch % workers != 0) {
            throw new IllegalArgumentException("data parallel: batch " + batch + " is not divisible by " + workers
                    + " workers");
        }
        RingAllReduce ring = new RingAllReduce(workers);
        List<MLP> replicas = new ArrayList<>();
        for (int r = 0; r < workers; r++) {
            replicas.add(student(sizes, seed));
        }
        double[] lossSums = new double[data.x().size()];
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < workers; r++) {
                int rank = r;
                done.add(pool.submit(() -> {
                    trainReplica(rank, workers, replicas.get(rank), ring, data, lr, lossSums);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<float[]> params = new ArrayList<>();
        for (MLP m : replicas) {
            params.add(flatten(m));
        }
        List<Double> losses = new ArrayList<>();
        for (double l : lossSums) {
            losses.add(l / workers);
        }
        return new Outcome(replicas.get(0), params, losses);
    }

    private static void trainReplica(int rank, int workers, MLP model, RingAllReduce ring, Batches data, float lr,
                                     double[] lossSums) throws InterruptedException {
        Optimizer opt = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(lr));
        int slice = data.x().get(0).size(0) / workers;
        for (int s = 0; s < data.x().size(); s++) {
            Tensor x = data.x().get(s).narrow(0, rank * slice, slice);   // (B/W, in)
            Tensor y = data.y().get(s).narrow(0, rank * slice, slice);   // (B/W, out)
            opt.zeroGrad();
            Tensor loss = Losses.mse(model.forward(x), y);
            loss.backward();
            float[] grads = flattenGradients(model);
            ring.allReduce(rank, grads);                                 // sum over replicas
            writeAveragedGradients(model, grads, workers);
            opt.step();
            synchronized (lossSums) {
                lossSums[s] += loss.item();
            }
        }
    }

    /** Every parameter's values, one after another in name order. */
    public static float[] flatten(Module model) {
        List<Tensor> params = model.parameters();
        float[] out = new float[params.stream().mapToInt(Tensor::numel).sum()];
        int at = 0;
        for (Tensor p : params) {
            System.arraycopy(p.data(), 0, out, at, p.numel());
            at += p.numel();
        }
        return out;
    }

    private static float[] flattenGradients(Module model) {
        List<Tensor> params = model.parameters();
        float[] out = new float[params.stream().mapToInt(Tensor::numel).sum()];
        int at = 0;
        for (Tensor p : params) {
            System.arraycopy(p.grad().data(), 0, out, at, p.numel());
            at += p.numel();
        }
        return out;
    }

    private static void writeAveragedGradients(Module model, float[] summed, int workers) {
        int at = 0;
        for (Tensor p : model.parameters()) {
            float[] g = p.grad().data();
            for (int i = 0; i < g.length; i++) {
                g[i] = summed[at + i] / workers;
            }
            at += g.length;
        }
    }
}
