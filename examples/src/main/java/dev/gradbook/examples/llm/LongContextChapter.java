package dev.gradbook.examples.llm;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.llm.longctx.ContextTraining;
import dev.gradbook.examples.llm.longctx.DecodeBenchmark;
import dev.gradbook.examples.llm.longctx.PositionLoss;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.position.RotaryEmbedding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <h2>long-context: reading beyond the trained length, and what a long context costs</h2>
 *
 * <p>A transformer is trained on windows of some length {@code L}. Three questions follow when a
 * user hands it more: can it read {@code 2L} characters at all, can it be made to attend to fewer
 * of them, and what does each generated token cost as the context grows? The chapter trains a
 * small RoPE character GPT on Tiny Shakespeare at {@code L} (default 64) and answers each with
 * numbers.
 * <ol>
 *   <li><b>Context extension of RoPE</b> (RotaryEmbedding). Position {@code m} rotates each
 *       channel pair {@code i} of queries and keys by {@code m theta_i}, {@code theta_i =
 *       10000^(-2i/hs)} (Su et al. 2021, eq. 34), so scores depend on {@code m - n} only; but a
 *       model trained on {@code L} positions has never seen a distance {@code >= L}.
 *       <i>Extrapolation</i>: just run it at {@code 2L}. <i>Position interpolation</i> (Chen et al.
 *       2023, section 2.3): rotate position {@code m} as {@code m L / L'} (GptConfig
 *       {@code ropeScale = 2}), so every distance falls inside the trained range, but neighbours
 *       now sit half a position apart, which the model must learn in a short fine-tune at
 *       {@code 2L} (the paper: 1000 steps for LLaMA). <i>NTK-aware</i> scaling (Peng et al. 2023,
 *       YaRN, section 3.1): raise the base to {@code 10000 * 2^(hs/(hs-2))}, stretching the slow
 *       pairs and keeping the fast ones.</li>
 *   <li><b>Sliding-window attention</b> (Beltagy et al. 2020, Longformer, 3.1; Jiang et al. 2023,
 *       Mistral 7B, section 2): position {@code p} attends to {@code p - w + 1 .. p} only
 *       (AttentionMask.slidingWindow, GptConfig {@code slidingWindow}). Stacked layers still pass
 *       information further, {@code nLayer (w - 1)} positions back. With RoPE, a window of at most
 *       {@code L} keeps every distance the model sees within training.</li>
 *   <li><b>The KV cache</b> (KvCache). Generating token {@code n + 1} without a cache reruns the
 *       model over all {@code n}: time per token grows like {@code n} (and {@code n^2} in
 *       attention). The cache keeps each layer's keys and values, {@code 2 nLayer C n} floats, so a
 *       step costs one position plus attention over {@code n} keys, but the memory grows with
 *       {@code n}: for long contexts it, not the weights, fills the memory. A sliding window needs
 *       only the last {@code w}: a rolling cache (KvCache.rolling, Gpt.newKvCache) whose memory and
 *       time per token are constant. Its generated text equals full recomputation under the
 *       window (the library's tests check it).</li>
 * </ol>
 *
 * <h3>What to look for (default run, seed 42, 500 steps; load 7-15 on 2 cores, 103 s wall, 43 s CPU)</h3>
 * <ul>
 *   <li>loss_by_position.png: the L-trained model's loss falls over the first ~10 characters and
 *       stays flat to {@code L}. Read at {@code 2L}, extrapolation climbs after position 64 (mean
 *       2.115 on positions 64..127 against 2.045 at L); NTK-aware is a little better (2.089);
 *       interpolation without fine-tuning is far worse everywhere (2.60: the model never learned
 *       half-position steps); after 100 fine-tuning steps at {@code 2L} with interpolation it reads
 *       the second half better than the first (2.028), perplexity at {@code 2L} 7.70 against
 *       extrapolation's 8.06. Part of that gain is simply 100 more training steps: the chapter
 *       does not fine-tune the extrapolating model for comparison (Chen et al. do, section 3.2,
 *       and find it adapts far more slowly).</li>
 *   <li>Sliding windows at {@code 2L}: {@code w = 8, 16, 32, 64} give 2.060, 2.054, 2.046, 2.048,
 *       all better than full attention's 2.087: for characters, a few dozen are enough, and no
 *       distance beyond {@code L} means no extrapolation.</li>
 *   <li>decode_time.png and kv_cache_memory.png: at {@code n} = 64 .. 1024, no cache takes 1.4 to
 *       178 ms per token, the full cache 0.1-0.5 ms with 64 KiB growing to 1 MiB, the rolling cache
 *       about 0.1 ms with 64 KiB at every length. The first two lengths are slower for both
 *       caches than later ones: timings on a loaded machine are noisy; the memory is exact.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --context 32}: does a shorter training context extrapolate worse at {@code 2L}?</li>
 *   <li>{@code --finetune-steps 20}: how few fine-tuning steps does interpolation need to beat
 *       extrapolation?</li>
 *   <li>{@code --steps 1500}: does a better-trained model extrapolate worse (it has learned more
 *       about positions)?</li>
 *   <li>{@code --max-context 2048}: where does the full cache's attention over {@code n} keys start
 *       to show in the time per token?</li>
 * </ol>
 */
public final class LongContextChapter implements Chapter {
    private static final String CORPUS = "text/tinyshakespeare.txt";
    private static final int BATCH = 16;

    @Override
    public String id() {
        return "long-context";
    }

    @Override
    public Part part() {
        return Part.LLMS;
    }

    @Override
    public String summary() {
        return "RoPE beyond its training length (position interpolation, NTK), sliding windows, KV-cache cost";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.intInRange("context", "64", 8, 256, "training context L; the extension is evaluated at 2L"),
                Option.positiveFloat("lr", "0.004", "peak learning rate of the pre-training"),
                Option.nonNegativeInt("finetune-steps", "0", "fine-tuning steps at 2L with interpolation "
                        + "(0: a fifth of the pre-training steps)"),
                Option.intInRange("max-context", "1024", 16, 4096, "longest context of the decoding benchmark"));
    }

    /** The model shapes and budgets of one run, fixed before any work. */
    private record Setup(int context, int steps, int fineTuneSteps, int evalWindows, int maxContext, float lr) {
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Setup setup = setup(ctx);
        TextCorpus corpus;
        try (var in = ctx.openData(CORPUS)) {
            corpus = TextCorpus.read(in, ctx.dataSource(CORPUS));
        }
        TextCorpus.Split split = corpus.split(0.9);
        Result result = new Result();
        Gpt trained = pretrainAtContext(ctx, setup, corpus.vocabSize(), split, result);
        Map<String, double[]> curves = extendTheContext(ctx, setup, trained, split, result);
        fineTuneWithInterpolation(ctx, setup, trained, split, curves, result);
        drawLossByPosition(ctx, setup, curves);
        compareSlidingWindows(ctx, setup, trained, split, result);
        measureDecoding(ctx, setup, trained, result);
        return result;
    }

    private static Setup setup(ChapterContext ctx) {
        int context = ctx.intOption("context");
        int maxContext = ctx.intOption("max-context");
        if (maxContext < 2 * context) {
            throw new IllegalArgumentException("--max-context must be at least twice --context (" + 2 * context
                    + "), got " + maxContext);
        }
        int steps = ctx.steps(500, 40);
        int fineTune = ctx.intOption("finetune-steps") > 0 ? ctx.intOption("finetune-steps") : Math.max(1, steps / 5);
        return new Setup(context, steps, fineTune, ctx.quick() ? 32 : 384, ctx.quick() ? 4 * context : maxContext,
                ctx.floatOption("lr"));
    }

    /** A small RoPE GPT trained on windows of exactly L characters: it never sees a position >= L. */
    private static Gpt pretrainAtContext(ChapterContext ctx, Setup setup, int vocab, TextCorpus.Split split,
                                         Result result) {
        GptConfig config = GptConfig.tiny(vocab).withRotary(true).withNEmbd(64).withNHead(4).withNLayer(2)
                .withBlockSize(setup.context());
        Gpt model = new Gpt(config, new Rng(ctx.seed()));
        Fused.apply(model);                  // the hand-written layer norm, GELU and attention softmax: faster
        ctx.section(String.format("pre-training: RoPE GPT, %d layers, %d heads, %d channels, %,d parameters; "
                        + "%d steps of %d windows of L = %d", config.nLayer(), config.nHead(), config.nEmbd(),
                model.parameterCount(), setup.steps(), BATCH, setup.context()));
        double loss = ContextTraining.train(model, split.train(), setup.context(), setup.steps(), BATCH, setup.lr(),
                ctx.seed() + 1000, ctx.progress("train at L", setup.steps()));
        ctx.printf("training loss (last tenth of the steps) %.3f%n", loss);
        result.metric("train_loss", loss);
        return model;
    }

    /** The same weights under another config: another context, window or RoPE scaling (RoPE has no weights). */
    private static Gpt rebuilt(Gpt trained, GptConfig config) {
        Gpt model = new Gpt(config, new Rng(0));
        model.loadStateDict(trained.stateDict());
        Fused.apply(model);
        model.eval();
        return model;
    }

    /** The three ways to run the L-trained model on 2L positions, each evaluated at L and at 2L. */
    private static Map<String, double[]> extendTheContext(ChapterContext ctx, Setup setup, Gpt trained,
                                                         TextCorpus.Split split, Result result) {
        int l = setup.context();
        GptConfig at2L = trained.config.withBlockSize(2 * l);
        Map<String, GptConfig> ways = new LinkedHashMap<>();
        ways.put("extrapolation", at2L);
        ways.put("interpolation s=2", at2L.withRopeScale(2f));
        ways.put("NTK-aware base", at2L.withRopeBase(RotaryEmbedding.ntkAwareBase(GptConfig.DEFAULT_ROPE_BASE, 2,
                at2L.headSize())));
        ctx.section("context extension: the model trained at L = " + l + " read at 2L = " + 2 * l
                + " (validation, " + setup.evalWindows() + " windows)");
        Map<String, double[]> curves = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        double[] atL = PositionLoss.of(trained, split.val(), l, setup.evalWindows(), ctx.seed() + 7);
        rows.add(row("trained at L", atL, null));
        result.metric("loss_at_L", PositionLoss.mean(atL, 0, l));
        curves.put("trained at L, read at L", atL);
        for (Map.Entry<String, GptConfig> way : ways.entrySet()) {
            Gpt model = rebuilt(trained, way.getValue());
            double[] shortWindows = PositionLoss.of(model, split.val(), l, setup.evalWindows(), ctx.seed() + 7);
            double[] longWindows = PositionLoss.of(model, split.val(), 2 * l, setup.evalWindows(), ctx.seed() + 8);
            rows.add(row(way.getKey(), shortWindows, longWindows));
            curves.put(way.getKey(), longWindows);
            String key = metricName(way.getKey());
            result.metric("loss_at_L_" + key, PositionLoss.mean(shortWindows, 0, l));
            result.metric("loss_at_2L_" + key, PositionLoss.mean(longWindows, 0, 2 * l));
            result.metric("loss_beyond_L_" + key, PositionLoss.mean(longWindows, l, 2 * l));
        }
        ctx.table(HEADER, rows);
        return curves;
    }

    private static final List<String> HEADER = List.of("model", "loss, windows of L", "loss, windows of 2L",
            "positions L..2L-1", "perplexity at 2L");

    /** A table row: mean loss at L, at 2L, beyond L and the perplexity at 2L ("-" where not run). */
    private static List<String> row(String name, double[] shortWindows, double[] longWindows) {
        String none = "-";
        int l = shortWindows.length;
        return List.of(name, String.format("%.3f", PositionLoss.mean(shortWindows, 0, l)),
                longWindows == null ? none : String.format("%.3f", PositionLoss.mean(longWindows, 0, 2 * l)),
                longWindows == null ? none : String.format("%.3f", PositionLoss.mean(longWindows, l, 2 * l)),
                longWindows == null ? none : String.format("%.2f", Math.exp(PositionLoss.mean(longWindows, 0, 2 * l))));
    }

    private static String metricName(String label) {
        return label.startsWith("extra") ? "extrapolation" : label.startsWith("inter") ? "interpolation" : "ntk";
    }

    /** Chen et al.'s recipe: interpolate, then fine-tune briefly on windows of 2L. */
    private static void fineTuneWithInterpolation(ChapterContext ctx, Setup setup, Gpt trained, TextCorpus.Split split,
                                                  Map<String, double[]> curves, Result result) {
        int l = setup.context();
        Gpt model = rebuilt(trained, trained.config.withBlockSize(2 * l).withRopeScale(2f));
        ctx.section("fine-tuning with interpolation: " + setup.fineTuneSteps() + " steps of " + BATCH
                + " windows of 2L = " + 2 * l + " (" + Math.round(100.0 * setup.fineTuneSteps() / setup.steps())
                + "% of the pre-training steps, twice the characters each)");
        ContextTraining.train(model, split.train(), 2 * l, setup.fineTuneSteps(), BATCH, setup.lr() / 4,
                ctx.seed() + 5000, ctx.progress("fine-tune at 2L", setup.fineTuneSteps()));
        double[] shortWindows = PositionLoss.of(model, split.val(), l, setup.evalWindows(), ctx.seed() + 7);
        double[] longWindows = PositionLoss.of(model, split.val(), 2 * l, setup.evalWindows(), ctx.seed() + 8);
        ctx.table(HEADER, List.of(row("interpolation + fine-tune", shortWindows, longWindows)));
        curves.put("interpolation + fine-tune", longWindows);
        result.metric("loss_at_L_finetuned", PositionLoss.mean(shortWindows, 0, l));
        result.metric("loss_at_2L_finetuned", PositionLoss.mean(longWindows, 0, 2 * l));
        result.metric("loss_beyond_L_finetuned", PositionLoss.mean(longWindows, l, 2 * l));
    }

    /** loss_by_position.png: every curve, smoothed over 8 positions, with the training length marked. */
    private static void drawLossByPosition(ChapterContext ctx, Setup setup, Map<String, double[]> curves) {
        LineChart chart = new LineChart("Validation loss by position (trained on " + setup.context()
                + " characters)", "position in the window", "loss (nats per character)");
        for (Map.Entry<String, double[]> curve : curves.entrySet()) {
            double[] y = smooth(curve.getValue(), 8);
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            chart.series(curve.getKey(), x, y);
        }
        chart.save(ctx.outFile("loss_by_position.png"));
        ctx.println("picture: loss_by_position.png in " + ctx.outDir());
    }

    private static double[] smooth(double[] v, int window) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int from = Math.max(0, i - window + 1);
            out[i] = PositionLoss.mean(v, from, i + 1);
        }
        return out;
    }

    /** The L-trained model at 2L with a sliding window: no relative distance beyond the trained ones. */
    private static void compareSlidingWindows(ChapterContext ctx, Setup setup, Gpt trained, TextCorpus.Split split,
                                              Result result) {
        int l = setup.context();
        ctx.section("sliding-window attention: the model trained at L read at 2L, each position seeing the last w");
        List<List<String>> rows = new ArrayList<>();
        for (int w : new int[] {l / 8, l / 4, l / 2, l, 2 * l}) {
            Gpt model = rebuilt(trained, trained.config.withBlockSize(2 * l).withSlidingWindow(w == 2 * l ? 0 : w));
            double[] loss = PositionLoss.of(model, split.val(), 2 * l, setup.evalWindows(), ctx.seed() + 8);
            double all = PositionLoss.mean(loss, 0, 2 * l);
            rows.add(List.of(w == 2 * l ? "2L = " + w + " (full attention)" : String.valueOf(w),
                    String.format("%.3f", all), String.format("%.3f", PositionLoss.mean(loss, l, 2 * l))));
            result.metric("window_loss_" + (w == 2 * l ? "full" : w), all);
        }
        ctx.table(List.of("window w", "loss, windows of 2L", "positions L..2L-1"), rows);
    }

    /** Milliseconds per generated token and cache bytes against context length, three ways. */
    private static void measureDecoding(ChapterContext ctx, Setup setup, Gpt trained, Result result) {
        int l = setup.context();
        int max = setup.maxContext();
        Gpt full = rebuilt(trained, trained.config.withBlockSize(DecodeBenchmark.blockSizeFor(max)));
        Gpt windowed = rebuilt(trained, full.config.withSlidingWindow(l));
        DecodeBenchmark bench = new DecodeBenchmark(full, windowed);
        ctx.section("decoding one token at context n: no cache, full KV cache, rolling cache of w = L = " + l);
        bench.warmUp(l);
        List<Integer> lengths = new ArrayList<>();
        for (int n = l; n <= max; n *= 2) {
            lengths.add(n);
        }
        Map<DecodeBenchmark.Mode, double[]> ms = new LinkedHashMap<>();
        Map<DecodeBenchmark.Mode, double[]> kib = new LinkedHashMap<>();
        for (DecodeBenchmark.Mode mode : DecodeBenchmark.Mode.values()) {
            ms.put(mode, new double[lengths.size()]);
            kib.put(mode, new double[lengths.size()]);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < lengths.size(); i++) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(lengths.get(i))));
            for (DecodeBenchmark.Mode mode : DecodeBenchmark.Mode.values()) {
                DecodeBenchmark.Point p = bench.measure(mode, lengths.get(i));
                ms.get(mode)[i] = p.msPerToken();
                kib.get(mode)[i] = p.cacheBytes() / 1024.0;
                row.add(String.format("%.2f", p.msPerToken()));
                if (mode != DecodeBenchmark.Mode.NO_CACHE) {
                    row.add(String.format("%,d", p.cacheBytes()));
                }
            }
            rows.add(row);
        }
        ctx.table(List.of("context n", "no cache ms/token", "full cache ms/token", "full cache bytes",
                "rolling ms/token", "rolling bytes"), rows);
        int last = lengths.size() - 1;
        for (DecodeBenchmark.Mode mode : DecodeBenchmark.Mode.values()) {
            String name = mode.name().toLowerCase(java.util.Locale.ROOT);
            result.metric("ms_per_token_" + name + "_first", ms.get(mode)[0]);
            result.metric("ms_per_token_" + name + "_last", ms.get(mode)[last]);
            result.metric("cache_kib_" + name + "_first", kib.get(mode)[0]);
            result.metric("cache_kib_" + name + "_last", kib.get(mode)[last]);
        }
        result.metric("decode_first_context", lengths.get(0));
        result.metric("decode_last_context", lengths.get(last));
        drawDecoding(ctx, lengths, ms, kib);
    }

    private static void drawDecoding(ChapterContext ctx, List<Integer> lengths, Map<DecodeBenchmark.Mode, double[]> ms,
                                     Map<DecodeBenchmark.Mode, double[]> kib) {
        double[] x = lengths.stream().mapToDouble(Integer::doubleValue).toArray();
        LineChart time = new LineChart("Time per generated token", "context length n", "ms per token").logY(true);
        LineChart memory = new LineChart("KV-cache memory", "context length n", "KiB held by the cache");
        for (DecodeBenchmark.Mode mode : DecodeBenchmark.Mode.values()) {
            String name = switch (mode) {
                case NO_CACHE -> "no cache (recompute)";
                case FULL_CACHE -> "full KV cache";
                case ROLLING_CACHE -> "sliding window + rolling cache";
            };
            time.series(name, x, ms.get(mode));
            if (mode != DecodeBenchmark.Mode.NO_CACHE) {
                memory.series(name, x, kib.get(mode));
            }
        }
        time.save(ctx.outFile("decode_time.png"));
        memory.save(ctx.outFile("kv_cache_memory.png"));
        ctx.println("pictures: decode_time.png, kv_cache_memory.png in " + ctx.outDir());
    }
}
