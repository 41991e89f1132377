package dev.gradbook.examples.llm.parallel;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tensor (model) parallelism for a transformer's MLP block {@code Y = GELU(X A) B}, split as in
 * Megatron-LM (Shoeybi et al. 2019, section 3, Figure 3a) over {@code W} workers:
 * <ul>
 *   <li>{@code A} (d, h) is cut by <b>columns</b> into {@code A_1 .. A_W} (d, h/W): worker {@code i}
 *       computes {@code H_i = GELU(X A_i)} on its own, because GELU acts on each column
 *       separately (a row split of {@code A} would need a sum before the GELU);</li>
 *   <li>{@code B} (h, d) is cut by <b>rows</b> into {@code B_i} (h/W, d): worker {@code i} computes
 *       the partial output {@code Z_i = H_i B_i}, and {@code Y = sum_i Z_i} is one all-reduce.</li>
 * </ul>
 * So the block needs one all-reduce forward (and one for the gradient of {@code X} backward), and
 * each worker holds {@code 1/W} of the weights: that is the point, for models too big for one
 * device. The gradients of {@code A_i} and {@code B_i} are exactly the slices of the full ones.
 */
public final class TensorParallel {
    /** The unsplit block's weights and input. */
    public record Block(Tensor x, Tensor a, Tensor b) {
        public static Block random(int batch, int d, int hidden, long seed) {
            Rng rng = new Rng(seed);
            return new Block(Tensor.randn(rng, batch, d),
                    Tensor.randn(rng, d, hidden).mul((float) (1 / Math.sqrt(d))),
                    Tensor.randn(rng, hidden, d).mul((float) (1 / Math.sqrt(hidden))));
        }
    }

    /** Output and gradients (of {@code sum(Y^2)/2}) for the input and both weight matrices. */
    public record Pass(Tensor y, Tensor gradX, Tensor gradA, Tensor gradB) {
    }

    private TensorParallel() {
    }

    /** The block on one worker: {@code Y = GELU(X A) B}. */
    public static Pass unsplit(Block block) {
        Tensor x = block.x().detach().requiresGrad(true);
        Tensor a = block.a().detach().requiresGrad(true);
        Tensor b = block.b().detach().requiresGrad(true);
        Tensor y = x.matmul(a).gelu().matmul(b);                       // (N, d)
        y.square().sum().mul(0.5f).backward();                         // dL/dY = Y
        return new Pass(y.detach(), x.grad(), a.grad(), b.grad());
    }

    /**
     * The same block split over {@code workers} threads. Backward needs {@code dL/dY = Y}, which
     * every worker knows after the forward all-reduce; each worker's {@code dL/dX} is partial and a
     * second all-reduce sums them.
     */
    public static Pass split(Block block, int workers) throws Exception {
        int hidden = block.a().size(1);
        if (hidden % workers != 0) {
            throw new IllegalArgumentException("tensor parallel: hidden width " + hidden
                    + " is not divisible by " + workers + " workers");
        }
        int part = hidden / workers;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Tensor>> partials = new ArrayList<>();
            List<Tensor[]> leaves = new ArrayList<>();
            List<Tensor> outputs = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                Tensor x = block.x().detach().requiresGrad(true);
                Tensor ai = block.a().narrow(1, i * part, part).copy().requiresGrad(true);  // (d, h/W)
                Tensor bi = block.b().narrow(0, i * part, part).copy().requiresGrad(true);  // (h/W, d)
                leaves.add(new Tensor[] {x, ai, bi});
                partials.add(pool.submit(() -> x.matmul(ai).gelu().matmul(bi)));           // Z_i (N, d)
            }
            for (Future<Tensor> f : partials) {
                outputs.add(f.get());
            }
            Tensor y = sum(outputs);                                   // the forward all-reduce
            List<Future<?>> backwards = new ArrayList<>();
            for (Tensor zi : outputs) {
                backwards.add(pool.submit(() -> zi.backward(y.detach())));               // dL/dZ_i = dL/dY
            }
            for (Future<?> f : backwards) {
                f.get();
            }
            List<Tensor> gradXs = new ArrayList<>();
            List<Tensor> gradAs = new ArrayList<>();
            List<Tensor> gradBs = new ArrayList<>();
            for (Tensor[] l : leaves) {
                gradXs.add(l[0].grad());
                gradAs.add(l[1].grad());
                gradBs.add(l[2].grad());
            }
            return new Pass(y.detach(), sum(gradXs),                   // the backward all-reduce
                    Tensor.cat(gradAs, 1), Tensor.cat(gradBs, 0));     // slices put back together
        } finally {
            pool.shutdownNow();
        }
    }

    private static Tensor sum(List<Tensor> parts) {
        Tensor total = parts.get(0).detach();
        for (int i = 1; i < parts.size(); i++) {
            total = total.add(parts.get(i).detach());
        }
        return total;
    }
}
