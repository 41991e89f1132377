package dev.gradbook.examples.neural;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.nn.data.OneHot;
import dev.gradbook.nn.loss.Losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cost side of the {@link BackpropChapter backprop} chapter: floating-point operations of
 * the two-layer network's forward and backward passes, counted from the shapes and then timed.
 * <pre>
 *   forward   X W1: 2 N D H    A1 W2: 2 N H C     + bias adds and tanh: 2 N H + N C
 *   backward  A1^T dZ2: 2 N H C   dZ2 W2^T: 2 N H C   X^T dZ1: 2 N D H   dZ1 W1^T (dX): 2 N D H
 *             + softmax - Y, the sums for the biases, tanh': 3 N C + 4 N H
 * </pre>
 */
final class BackpropCost {
    private BackpropCost() {
    }

    /** Operation counts for batch N, input D, hidden H, classes C. */
    record Flops(long forwardMatmul, long forwardOther, long backwardMatmul, long inputGradient, long backwardOther) {
        static Flops of(long n, long d, long h, long c) {
            return new Flops(2 * n * d * h + 2 * n * h * c, 2 * n * h + n * c,
                    2 * n * h * c + 2 * n * h * c + 2 * n * d * h, 2 * n * d * h, 3 * n * c + 4 * n * h);
        }

        long forward() {
            return forwardMatmul + forwardOther;
        }

        /** The backward of an interior layer, which must also pass dX on to the layer below. */
        long backward() {
            return backwardMatmul + inputGradient + backwardOther;
        }

        /** The backward of a first layer, whose input needs no gradient. */
        long backwardFirstLayer() {
            return backwardMatmul + backwardOther;
        }
    }

    static void report(ChapterContext ctx, Result result, Rng rng) {
        ctx.section("cost: floating-point operations of each pass, counted from the shapes");
        int[][] configs = {{300, 2, 64, 3}, ctx.quick() ? new int[] {128, 256, 256, 256} : new int[] {256, 1024, 1024, 1024}};
        List<List<String>> rows = new ArrayList<>();
        for (int[] s : configs) {
            Flops f = Flops.of(s[0], s[1], s[2], s[3]);
            rows.add(List.of(String.format(Locale.ROOT, "N=%d D=%d H=%d C=%d", s[0], s[1], s[2], s[3]),
                    mega(f.forward()), mega(f.backward()),
                    String.format(Locale.ROOT, "%.3f", (double) f.backward() / f.forward()),
                    String.format(Locale.ROOT, "%.3f", (double) (f.backwardMatmul + f.inputGradient) / f.forwardMatmul),
                    String.format(Locale.ROOT, "%.3f", (double) f.backwardFirstLayer() / f.forward())));
        }
        ctx.table(List.of("sizes", "forward MFLOP", "backward MFLOP", "backward/forward", "matmuls only",
                "first layer (no dX)"), rows);
        int[] big = configs[1];
        Flops f = Flops.of(big[0], big[1], big[2], big[3]);
        result.metric("flop_ratio", (double) f.backward() / f.forward());
        result.metric("flop_ratio_matmul", (double) (f.backwardMatmul + f.inputGradient) / f.forwardMatmul);
        result.metric("flop_ratio_first_layer", (double) f.backwardFirstLayer() / f.forward());
        time(ctx, big, f, ctx.quick() ? 3 : 10, rng, result);
    }

    /** The best of {@code reps} timings of the forward, the hand-written backward (with dX) and autograd's backward. */
    private static void time(ChapterContext ctx, int[] s, Flops f, int reps, Rng rng, Result result) {
        int n = s[0];
        Tensor x = Tensor.randn(rng, n, s[1]);
        int[] labels = new int[n];
        Arrays.setAll(labels, i -> i % s[3]);
        IntTensor target = IntTensor.of(labels);
        Tensor oneHot = OneHot.encode(labels, s[3]);
        BackpropChapter.Params p = BackpropChapter.Params.init(s[1], s[2], s[3], rng);
        double forward;
        double hand;
        try (var ignored = Autograd.noGrad()) {
            forward = best(reps, () -> BackpropChapter.forward(p, x));
            BackpropChapter.Forward fw = BackpropChapter.forward(p, x);
            hand = best(reps, () -> BackpropChapter.backward(p, x, oneHot, fw, true)); // with dX, as an interior layer
        }
        double autograd = Double.MAX_VALUE;
        for (int r = 0; r < reps + 2; r++) {   // the first two runs warm up the JIT
            List<Tensor> leaves = new ArrayList<>();
            for (Tensor t : p.all()) {
                leaves.add(t.detach().requiresGrad(true));
            }
            Tensor xLeaf = x.detach().requiresGrad(true);   // so that autograd computes dX too
            BackpropChapter.Params q = new BackpropChapter.Params(leaves.get(0), leaves.get(1), leaves.get(2),
                    leaves.get(3));
            Tensor loss = Losses.crossEntropy(BackpropChapter.forward(q, xLeaf).logits(), target);
            long t0 = System.nanoTime();
            loss.backward();
            autograd = r >= 2 ? Math.min(autograd, (System.nanoTime() - t0) / 1e6) : autograd;
        }
        ctx.printf("timed on N=%d D=%d H=%d C=%d, best of %d:%n", s[0], s[1], s[2], s[3], reps);
        ctx.printf("  forward               %8.2f ms  %6.1f GFLOP/s%n", forward, f.forward() / forward / 1e6);
        ctx.printf("  backward by hand      %8.2f ms  %6.1f GFLOP/s  (%.2f x forward)%n", hand,
                f.backward() / hand / 1e6, hand / forward);
        ctx.printf("  backward by autograd  %8.2f ms  %6.1f GFLOP/s  (%.2f x forward)%n", autograd,
                f.backward() / autograd / 1e6, autograd / forward);
        result.metric("time_ratio_hand", hand / forward);
        result.metric("time_ratio_autograd", autograd / forward);
    }

    /** The shortest of {@code reps} runs in milliseconds, after two warm-up runs for the JIT. */
    private static double best(int reps, Runnable work) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps + 2; r++) {
            long t0 = System.nanoTime();
            work.run();
            double ms = (System.nanoTime() - t0) / 1e6;
            best = r >= 2 ? Math.min(best, ms) : best;
        }
        return best;
    }

    private static String mega(long flops) {
        return String.format(Locale.ROOT, "%.3f", flops / 1e6);
    }
}
