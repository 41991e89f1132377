package dev.gradbook.examples.language;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.language.attention.ReverseByAttention;
import dev.gradbook.examples.plot.HeatMap;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.transformer.attention.AttentionMask;
import dev.gradbook.transformer.attention.ScaledDotProductAttention;
import dev.gradbook.transformer.attention.ScaledDotProductAttentionLoops;

import java.util.ArrayList;
import java.util.List;

/**
 * <h2>attention: every position asks a question of every other</h2>
 *
 * <p>A recurrent network passes information along a sequence one step at a time. Attention
 * (Bahdanau et al. 2015; in its modern form Vaswani et al. 2017, "Attention Is All You Need",
 * section 3.2) lets every position read directly from every other. Each position emits three
 * vectors: a query {@code q} (what am I looking for?), a key {@code k} (what do I contain?) and a
 * value {@code v} (what do I hand over if chosen?). Position {@code i} scores each position
 * {@code j} by the dot product of its query with that key, turns the scores into weights with a
 * softmax, and takes the weighted average of the values (section 3.2.1, equation 1):
 * <pre>
 *   s_ij = q_i · k_j / sqrt(d_k)        w_ij = exp(s_ij) / sum_j' exp(s_ij')        out_i = sum_j w_ij v_j
 *   Attention(Q, K, V) = softmax(Q Kᵀ / sqrt(d_k) + M) V
 * </pre>
 * The division by {@code sqrt(d_k)} keeps the scores of random unit-variance vectors at unit
 * variance, so the softmax does not saturate. The mask {@code M} is 0 where looking is allowed
 * and {@code -inf} where it is not: a language model may not look at the future, so its mask
 * blocks every {@code j > i} (the causal mask, section 3.2.3), and since {@code exp(-inf) = 0}
 * those weights are exactly zero. Multi-head attention (section 3.2.2) runs {@code h} of these
 * side by side on {@code d_model / h}-wide projections, so that different heads can look for
 * different things, and mixes their outputs with {@code W^O}.
 *
 * <p>The chapter goes in four steps: (1) a worked example with three tokens and two-dimensional
 * vectors, printed number by number; (2) the batched formula checked against the loop version
 * {@link ScaledDotProductAttentionLoops} on random inputs; (3) the causal mask, with its weights
 * drawn and the blocked ones counted; (4) a trained model: one multi-head attention layer
 * ({@link ReverseByAttention}) learns to reverse sequences of digits, and its attention weights
 * show how.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>In the worked example the query of "sat" is closest to the key of "cat", so "sat" takes
 *       most of its output from the value of "cat".</li>
 *   <li>Loop and batched attention agree to about {@code 1e-7} (float rounding).</li>
 *   <li>{@code causal.png}: a lower-triangular matrix; the largest weight above the diagonal is
 *       exactly 0, not merely small.</li>
 *   <li>The reversal model reaches 100% exact match on held-out sequences (default run, seed 42:
 *       1.000 after 400 steps), and {@code attention.png} shows its weights for one sequence:
 *       the anti-diagonal lights up (position 0 reads position 7, position 7 reads position 0).
 *       With two heads, each head covers part of it or both share it.</li>
 * </ul>
 * With {@code --quick}: 250 steps; the exact match is still above 0.9.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --heads 1} and {@code --heads 4}: does the anti-diagonal survive with one head,
 *       and how do four heads share it?</li>
 *   <li>{@code --length 16}: longer sequences; how many steps does it take now?</li>
 *   <li>{@code --channels 8 --heads 2}: heads of width 4. Is the task still learned?</li>
 * </ol>
 */
public final class AttentionChapter implements Chapter {
    private static final int VOCAB = 10;
    private static final int BATCH = 64;

    @Override
    public String id() {
        return "attention";
    }

    @Override
    public Part part() {
        return Part.LANGUAGE;
    }

    @Override
    public String summary() {
        return "scaled dot-product and multi-head attention, the causal mask, a trained model's attention map";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("heads", "2", "attention heads of the trained model"),
                Option.positiveInt("channels", "32", "model width d_model"),
                Option.positiveInt("length", "8", "length of the sequences to reverse"),
                Option.positiveFloat("lr", "1e-2", "peak AdamW learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) {
        Rng rng = ctx.rng();
        Result result = new Result();
        workedExample(ctx);
        loopsEqualBatched(ctx, rng.split(), result);
        causalMask(ctx, rng.split(), result);
        trainReversal(ctx, rng.split(), result);
        return result;
    }

    /** Three tokens with hand-picked two-dimensional queries, keys and values. */
    private static void workedExample(ChapterContext ctx) {
        ctx.section("1. attention by hand: three tokens, d_k = 2");
        List<String> words = List.of("the", "cat", "sat");
        Tensor q = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}});      // (T, d_k)
        Tensor k = Tensor.of(new float[][] {{1, 0}, {1, 2}, {0, 1}});
        Tensor v = Tensor.of(new float[][] {{1, 0}, {0, 10}, {5, 5}});
        Tensor scores = q.matmulT(k).mul((float) (1 / Math.sqrt(2)));       // (T, T)
        Tensor weights = scores.softmax(-1);
        Tensor out = ScaledDotProductAttention.attention(q, k, v, null);    // (T, d_v)
        ctx.println("scores s_ij = q_i . k_j / sqrt(2), then each row's softmax, then the weighted values:");
        for (int i = 0; i < 3; i++) {
            ctx.printf("  %-4s scores %s  weights %s  output (%.3f, %.3f)%n", words.get(i), row(scores, i),
                    row(weights, i), out.get(i, 0), out.get(i, 1));
        }
        ctx.println("  \"sat\" (query (1, 1)) agrees most with the key of \"cat\" (1, 2), so it takes most of cat's value");
    }

    private static void loopsEqualBatched(ChapterContext ctx, Rng rng, Result result) {
        ctx.section("2. the loop version equals the batched one");
        Tensor q = Tensor.randn(rng, 2, 4, 6, 8);                           // (B, nh, T, d_k)
        Tensor k = Tensor.randn(rng, 2, 4, 6, 8);
        Tensor v = Tensor.randn(rng, 2, 4, 6, 8);
        AttentionMask mask = AttentionMask.causal(6);
        Tensor batched = ScaledDotProductAttention.attention(q, k, v, mask);
        Tensor loops = ScaledDotProductAttentionLoops.attention(q, k, v, mask);
        double diff = batched.sub(loops).abs().max().item();
        ctx.printf("q, k, v of shape (2, 4, 6, 8), causal mask: max |batched - loops| = %.2e%n", diff);
        result.metric("loops_vs_batched_max_diff", diff);
    }

    private static void causalMask(ChapterContext ctx, Rng rng, Result result) {
        ctx.section("3. the causal mask: no peeking at the future");
        int t = 8;
        Tensor x = Tensor.randn(rng, t, 16);
        Tensor w = x.matmulT(x).mul(0.25f).add(AttentionMask.causal(t).bias()).softmax(-1);   // (T, T)
        double maxBlocked = 0;
        int nonZeroBlocked = 0;
        double[][] cells = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                cells[i][j] = w.get(i, j);
                if (j > i) {
                    maxBlocked = Math.max(maxBlocked, cells[i][j]);
                    nonZeroBlocked += cells[i][j] != 0 ? 1 : 0;
                }
            }
        }
        ctx.printf("%d blocked weights (j > i): the largest is %s, %d of them are not exactly zero%n",
                t * (t - 1) / 2, maxBlocked, nonZeroBlocked);
        ctx.printf("row 0 puts all its weight on itself: %.3f; row 1 splits it: %.3f + %.3f%n",
                cells[0][0], cells[1][0], cells[1][1]);
        new HeatMap("Causal self-attention weights of random vectors (row: query, column: key)", cells)
                .labels(positions(t), positions(t)).axes("query position", "key position")
                .save(ctx.outFile("causal.png"));
        result.metric("max_masked_weight", maxBlocked);
        result.metric("nonzero_masked_weights", nonZeroBlocked);
    }

    private static void trainReversal(ChapterContext ctx, Rng rng, Result result) {
        int length = ctx.intOption("length");
        int heads = ctx.intOption("heads");
        int steps = ctx.steps(400, 250);
        ctx.section("4. a trained attention layer: reverse " + length + " digits");
        ReverseByAttention model = new ReverseByAttention(VOCAB, length, ctx.intOption("channels"), heads, rng.split());
        ctx.printf("model: %,d parameters, %d heads; %d steps of %d random sequences%n", model.parameterCount(),
                heads, steps, BATCH);
        Rng data = rng.split();
        Fit.adamW(ctx, "reverse", model, steps, ctx.floatOption("lr"), s -> {
            IntTensor[] batch = reversalBatch(data, BATCH, length);
            return Losses.crossEntropy(model.forward(batch[0]).reshape(-1, VOCAB), batch[1].reshape(-1));
        });
        IntTensor[] test = reversalBatch(new Rng(ctx.seed() + 7), 500, length);
        IntTensor predicted;
        try (var ignored = Autograd.noGrad()) {
            predicted = model.forward(test[0]).argmax(-1);                                // (N, T)
        }
        double tokenAccuracy = predicted.eq(test[1]).mean().item();
        double exact = predicted.eq(test[1]).min(1).mean().item();
        ctx.printf("held-out: %.3f of tokens and %.3f of whole sequences reversed correctly%n", tokenAccuracy, exact);
        result.metric("reverse_token_accuracy", tokenAccuracy);
        result.metric("reverse_exact_match", exact);
        drawAttention(ctx, model, length, heads, result);
    }

    /** The weights of every head for one held-out sequence, side by side in one picture. */
    private static void drawAttention(ChapterContext ctx, ReverseByAttention model, int length, int heads,
                                      Result result) {
        IntTensor example = reversalBatch(new Rng(ctx.seed() + 8), 1, length)[0];
        try (var ignored = Autograd.noGrad()) {
            model.forward(example);
        }
        Tensor w = model.lastWeights();                                                     // (1, nh, T, T)
        double[][] cells = new double[length][heads * length];
        double antiDiagonal = 0;
        List<String> columns = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < length; j++) {
                columns.add("h" + h + ":" + example.get(0, j));
                for (int i = 0; i < length; i++) {
                    cells[i][h * length + j] = w.get(0, h, i, j);
                }
            }
        }
        for (int i = 0; i < length; i++) {
            double sum = 0;
            for (int h = 0; h < heads; h++) {
                sum += w.get(0, h, i, length - 1 - i);
            }
            antiDiagonal += sum / heads / length;
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            rows.add(i + ": " + example.get(0, i));
        }
        ctx.printf("mean weight on the anti-diagonal (key T-1-i for query i), averaged over heads: %.3f "
                + "(uniform: %.3f)%n", antiDiagonal, 1.0 / length);
        new HeatMap("Attention of the trained reversal model, all " + heads + " heads (row: query, column: head:key)",
                cells).labels(rows, columns).axes("query position: token", "head: key token")
                .save(ctx.outFile("attention.png"));
        ctx.println("pictures: causal.png, attention.png in " + ctx.outDir());
        result.metric("anti_diagonal_weight", antiDiagonal);
    }

    /** {@code {inputs (n, T), targets (n, T)}}: random digits and the same digits reversed. */
    static IntTensor[] reversalBatch(Rng rng, int n, int length) {
        int[] x = new int[n * length];
        int[] y = new int[n * length];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < length; i++) {
                x[b * length + i] = rng.nextInt(VOCAB);
            }
            for (int i = 0; i < length; i++) {
                y[b * length + i] = x[b * length + length - 1 - i];
            }
        }
        return new IntTensor[] {IntTensor.wrap(x, n, length), IntTensor.wrap(y, n, length)};
    }

    private static List<String> positions(int t) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            labels.add(Integer.toString(i));
        }
        return labels;
    }

    private static String row(Tensor m, int i) {
        return String.format(java.util.Locale.ROOT, "(%.3f, %.3f, %.3f)", m.get(i, 0), m.get(i, 1), m.get(i, 2));
    }
}
