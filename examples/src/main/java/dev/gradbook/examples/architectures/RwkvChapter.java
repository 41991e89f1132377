package dev.gradbook.examples.architectures;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.transformer.attention.CausalSelfAttention;
import dev.gradbook.transformer.attention.KvCache;
import dev.gradbook.transformer.mixers.RwkvChannelMixing;
import dev.gradbook.transformer.mixers.RwkvTimeMixing;

import java.util.ArrayList;
import java.util.List;

/**
 * <h2>rwkv: an RNN that trains like a transformer</h2>
 *
 * <p>RWKV (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era", section 3) replaces
 * attention's softmax over all past tokens by a weighted average whose weights decay
 * exponentially with distance, a separate decay w for each channel:
 * <pre>
 *   wkv_t = ( sum_(i&lt;t) e^(-(t-1-i) w + k_i) v_i + e^(u + k_t) v_t ) / ( sum_(i&lt;t) e^(-(t-1-i) w + k_i) + e^(u + k_t) )   (eq. 14)
 *   o_t   = W_o (σ(r_t) ⊙ wkv_t)                                                                                  (eq. 15)
 * </pre>
 * r, k and v come from the current and previous token mixed per channel ("token shift", eq.
 * 11-13), and each block ends with channel mixing, a gated squared-ReLU MLP (eq. 17-19). In
 * training eq. 14 is evaluated for all positions at once; in generation the two sums are carried
 * as running vectors {@code a_t = e^(-w) a_(t-1) + e^(k_t) v_t} and {@code b_t} likewise (section
 * 3.3): an RNN whose state is a few vectors per layer, however long the text.
 *
 * <p>The chapter (1) checks that the two ways of computing eq. 14 agree, (2) trains a two-layer
 * RWKV on associative recall ({@code k1 v1 ... k6 v6 q1 .. q4}, answer each query with the value that
 * followed its key), and (3) generates 1,024 tokens through one RWKV time-mixing layer and one
 * causal self-attention layer of the same width with a KV cache, measuring at each length the
 * floats each keeps and the time for one more token.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The two forms agree to about 1e-7.</li>
 *   <li>Recall accuracy 0.53 after the default 600 steps at seed 42, four times chance (1/8), and
 *       ahead of {@code retnet} (0.38) on the same task and budget.</li>
 *   <li>{@code memory.png}: RWKV's state is 3 x 32 = 96 floats at every length; the KV cache grows
 *       by 2 x 32 floats per token, 65,536 at 1,024 tokens. {@code time.png}: RWKV's cost per
 *       token stays flat, attention's grows with the cache.</li>
 * </ul>
 * With {@code --quick}: 200 training steps and generation up to 256 tokens.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --pairs 8}: the state must now hold eight bindings in 32 channels.</li>
 *   <li>The chapter initialises the decays from fast to slow across channels. What would all-fast
 *       decays do to recall of the first pairs?</li>
 *   <li>Why does eq. 14 need no causal mask when run as an RNN?</li>
 * </ol>
 */
public final class RwkvChapter implements Chapter {
    static final int N_EMBD = 32;

    @Override
    public String id() {
        return "rwkv";
    }

    @Override
    public Part part() {
        return Part.NEW_ARCHITECTURES;
    }

    @Override
    public String summary() {
        return "RWKV time mixing trained on associative recall; constant memory per generated token";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.intInRange("pairs", "6", 1, 8, "key-value pairs per associative-recall sequence (at most 8)"),
                Option.positiveFloat("lr", "1e-2", "peak AdamW learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        double diff = compareForms(ctx, new RwkvTimeMixing(N_EMBD, rng.split()), rng.split());

        MemoryTask task = MemoryTask.associativeRecall(8, 8, ctx.intOption("pairs"), 4);
        int steps = ctx.steps(600, 200);
        MixerLm model = new MixerLm(task.vocab(), N_EMBD, 2, r -> new RwkvTimeMixing(N_EMBD, r),
                r -> new RwkvChannelMixing(N_EMBD, 2 * N_EMBD, r), rng.split());
        ctx.section("training on " + task.name() + " (" + task.length() + " tokens, chance 1/8)");
        TaskFit.Fitted fit = TaskFit.fit(ctx, "RWKV", model, task, steps, 32, ctx.floatOption("lr"), rng.split());
        ctx.printf("accuracy on 512 fresh sequences: %.3f (%.1f ms per training step)%n", fit.accuracy(), fit.msPerStep());

        Generation g = generate(ctx, ctx.quick() ? 256 : 1024, rng.split());
        return new Result()
                .metric("max_diff", diff)
                .metric("recall_accuracy", fit.accuracy())
                .metric("steps", steps)
                .metric("rwkv_state_floats_first", g.rwkvFloats()[0])
                .metric("rwkv_state_floats_last", g.rwkvFloats()[g.rwkvFloats().length - 1])
                .metric("kv_cache_floats_first", g.kvFloats()[0])
                .metric("kv_cache_floats_last", g.kvFloats()[g.kvFloats().length - 1]);
    }

    private static double compareForms(ChapterContext ctx, RwkvTimeMixing mix, Rng rng) {
        Tensor x = Tensor.randn(rng, 2, 64, N_EMBD);
        try (var noGrad = Autograd.noGrad()) {
            double d = mix.forward(x).sub(mix.forwardRecurrent(x)).abs().max().item();
            ctx.printf("eq. 14 for all positions at once vs RNN mode on (2, 64, %d): largest difference %.2e%n", N_EMBD, d);
            return d;
        }
    }

    /** Floats kept and ms per token at each measured position, for RWKV and for attention with a KV cache. */
    private record Generation(double[] positions, double[] rwkvFloats, double[] kvFloats, double[] rwkvMs,
                              double[] kvMs) {
    }

    private static Generation generate(ChapterContext ctx, int tokens, Rng rng) {
        ctx.section("generating " + tokens + " tokens: RWKV state vs attention's KV cache");
        RwkvTimeMixing rwkv = new RwkvTimeMixing(N_EMBD, rng.split());
        CausalSelfAttention attention = new CausalSelfAttention(N_EMBD, 4, 0f, false, null, rng.split());
        RwkvTimeMixing.State state = rwkv.initialState(1);
        KvCache cache = new KvCache(1);
        Tensor x = Tensor.randn(rng, 1, tokens, N_EMBD);
        List<double[]> rows = new ArrayList<>();
        long rwkvNanos = 0;
        long kvNanos = 0;
        int window = 0;
        try (var noGrad = Autograd.noGrad()) {
            for (int t = 0; t < tokens; t++) {
                Tensor xt = x.narrow(1, t, 1);
                long s = System.nanoTime();
                rwkv.step(xt, state);
                long m = System.nanoTime();
                attention.forward(xt, cache.layer(0));
                long e = System.nanoTime();
                rwkvNanos += m - s;
                kvNanos += e - m;
                window++;
                if (Integer.bitCount(t + 1) == 1 && t + 1 >= 16) {   // at 16, 32, 64, ... tokens
                    int kv = cache.layer(0).keys().numel() + cache.layer(0).values().numel();
                    rows.add(new double[] {t + 1, state.floats(), kv, rwkvNanos / 1e6 / window, kvNanos / 1e6 / window});
                    ctx.printf("token %5d: RWKV state %6d floats, %.3f ms/token | KV cache %7d floats, %.3f ms/token%n",
                            t + 1, state.floats(), rwkvNanos / 1e6 / window, kv, kvNanos / 1e6 / window);
                    rwkvNanos = kvNanos = 0;
                    window = 0;
                }
            }
        }
        Generation g = new Generation(column(rows, 0), column(rows, 1), column(rows, 2), column(rows, 3), column(rows, 4));
        new LineChart("Memory kept while generating", "tokens generated", "floats kept (log)")
                .series("RWKV state", g.positions(), g.rwkvFloats()).series("attention KV cache", g.positions(), g.kvFloats())
                .logY(true).save(ctx.outFile("memory.png"));
        new LineChart("Time per generated token (mean since the previous point)", "tokens generated", "ms")
                .series("RWKV step", g.positions(), g.rwkvMs()).series("attention with KV cache", g.positions(), g.kvMs())
                .save(ctx.outFile("time.png"));
        ctx.println("pictures: memory.png, time.png in " + ctx.outDir());
        return g;
    }

    private static double[] column(List<double[]> rows, int j) {
        return rows.stream().mapToDouble(r -> r[j]).toArray();
    }
}
