package dev.gradbook.examples.architectures;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.StepCurves;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.Layer;
import dev.gradbook.transformer.attention.CausalSelfAttention;
import dev.gradbook.transformer.mixers.HyenaOperator;
import dev.gradbook.transformer.position.RotaryEmbedding;

import java.util.List;
import java.util.function.Function;

/**
 * <h2>hyena: long convolutions with gating</h2>
 *
 * <p>Attention compares every position with every other: {@code O(T^2)} time and memory. Hyena
 * (Poli et al. 2023, "Hyena Hierarchy: Towards Larger Convolutional Language Models", section 3)
 * keeps attention's one essential property, an input-dependent mixing of the whole past, and
 * builds it from two sub-quadratic pieces interleaved N times (Definition 3.1):
 * <pre>
 *   (x^1, ..., x^N, v) = short_conv(u W_in)
 *   z^1 = v,    z^(n+1) = x^n ⊙ (h^n * z^n),    y = z^(N+1) W_out
 * </pre>
 * {@code h^n * z} is a causal convolution with a filter as long as the sequence, and the gates
 * {@code x^n} make the mixing depend on the data. The filters are implicit (section 3.3, eq. 7): a
 * small FFN with sine activations evaluated at positional features, times an exponentially
 * decaying window, so their parameter count does not grow with T. A long convolution costs
 * {@code O(T log T)} through the FFT (section 3.2; {@code dev.gradbook.core.Fft}), against
 * {@code O(T^2)} written as a sum over taps. See {@link HyenaOperator}, {@code HyenaFilter} and
 * {@code LongConvolution}.
 *
 * <p>The chapter (1) checks that the FFT and the direct sum give the same operator, (2) trains a
 * two-layer Hyena (order 2) and a two-layer attention model (2 heads, rotary positions) of the
 * same width on associative recall ({@code k1 v1 ... k6 v6 q1 .. q4}: answer each query with the
 * value that followed its key, the task of the paper's section 4.1) with the same steps, batch and
 * learning rate, and (3) times one layer's forward pass as T doubles from 256, for Hyena by FFT, Hyena
 * by the direct sum and attention, on a log-log picture where a cost {@code T^s} is a line of slope s.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The two forms of the operator agree to about 1e-7.</li>
 *   <li>Recall after the default 600 steps at seed 42 (chance 1 in 8): Hyena 0.371, attention
 *       0.366: the same recall from a mixer without any T x T matrix. Neither has converged; both
 *       climb further with {@code --steps 1200}. Compare {@code rwkv} (0.53) and {@code retnet} (0.38) on the
 *       same task and budget.</li>
 *   <li>{@code cost.png}: attention's line steepens towards slope 2, the FFT line stays below
 *       it and flatter. Default run at seed 42 (load 8 on 2 cores, so read ratios, not
 *       milliseconds): at T = 8,192 Hyena 176 ms, attention 4,345 ms (25 times more); growth
 *       exponents over 2,048..8,192: Hyena by FFT 1.76, attention 2.14; the direct form 1.86 over
 *       512..2,048, already 2,118 ms at 2,048. The FFT's exponent is above the ideal 1 + small
 *       (T log T) because at these sizes memory traffic and allocation grow too. Attention at
 *       8,192 positions also holds an 8,192 x 8,192 score matrix (256 MB); Hyena holds vectors of
 *       length 2T per channel.</li>
 *   <li>{@code loss.png}: both losses against the step.</li>
 * </ul>
 * With {@code --quick}: 100 steps, timing up to 2,048; Hyena must beat chance and its time must
 * grow more slowly than attention's.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --pairs 8}: all eight keys in every sequence. Which model suffers more?</li>
 *   <li>Run with {@code --layers 1}: can one Hyena layer recall? (Its short convolution lets a value
 *       see its key, like an induction head's previous-token step.)</li>
 *   <li>Run with {@code --max-length 16384}: where would attention's memory run out first?</li>
 * </ol>
 */
public final class HyenaChapter implements Chapter {
    static final int N_EMBD = 32;
    static final int N_HEAD = 2;
    static final int ORDER = 2;
    /** The channels of the operators timed against each other. */
    static final int TIMED_EMBD = 16;
    /** The direct O(T^2) form is timed up to this length only. */
    static final int DIRECT_MAX_LENGTH = 2048;

    @Override
    public String id() {
        return "hyena";
    }

    @Override
    public Part part() {
        return Part.NEW_ARCHITECTURES;
    }

    @Override
    public String summary() {
        return "Hyena (implicit long convolutions + gates, FFT) vs attention: associative recall and cost as length grows";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.intInRange("pairs", "6", 1, 8, "key-value pairs per associative-recall sequence (at most 8)"),
                Option.positiveInt("layers", "2", "blocks in each model"),
                Option.positiveFloat("lr", "1e-2", "peak AdamW learning rate"),
                Option.intInRange("max-length", "8192", 512, 65_536, "longest sequence timed (lengths double from 256)"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        double formsDiff = compareForms(ctx, rng.split());

        MemoryTask task = MemoryTask.associativeRecall(8, 8, ctx.intOption("pairs"), 4);
        int steps = ctx.steps(600, 100);
        ctx.printf("%s: %d tokens, %d queries per sequence, chance 1/8%n", task.name(), task.length(), task.answers());
        long seed = rng.nextLong();
        int layers = ctx.intOption("layers");
        Trained hyena = train(ctx, "Hyena", task, steps, layers, seed,
                r -> new HyenaOperator(N_EMBD, ORDER, task.length(), r));
        Trained attention = train(ctx, "attention", task, steps, layers, seed,
                r -> new AttentionMixer(new CausalSelfAttention(N_EMBD, N_HEAD, 0f, true,
                        new RotaryEmbedding(N_EMBD / N_HEAD, task.length()), r)));
        ctx.section("the same task and budget, side by side");
        ctx.table(List.of("mixer", "recall accuracy", "ms per step"), List.of(
                row("Hyena (order 2, FFT)", hyena.fit), row("attention (2 heads, RoPE)", attention.fit)));
        saveLoss(ctx, hyena.fit, attention.fit);

        int top = ctx.quick() ? Math.min(2048, ctx.intOption("max-length")) : ctx.intOption("max-length");
        Timing timing = timeForward(ctx, lengths(top), ctx.quick() ? 512 : DIRECT_MAX_LENGTH, ctx.quick() ? 150 : 500,
                rng.split());
        saveCost(ctx, timing);
        return new Result()
                .metric("max_diff_forms", formsDiff)
                .metric("hyena_accuracy", hyena.fit.accuracy())
                .metric("attention_accuracy", attention.fit.accuracy())
                .metric("steps", steps)
                .metric("hyena_slope", timing.slope(timing.hyena))
                .metric("attention_slope", timing.slope(timing.attention))
                .metric("direct_slope", timing.slope(timing.direct))
                .metric("hyena_ms_longest", timing.hyena[timing.hyena.length - 1])
                .metric("attention_ms_longest", timing.attention[timing.attention.length - 1]);
    }

    private static List<String> row(String name, TaskFit.Fitted f) {
        return List.of(name, String.format("%.3f", f.accuracy()), String.format("%.1f", f.msPerStep()));
    }

    /** A random operator's FFT and direct forms on the same input: the largest difference. */
    private static double compareForms(ChapterContext ctx, Rng rng) {
        ctx.section("one function, two ways to compute it");
        HyenaOperator op = new HyenaOperator(N_EMBD, ORDER, 256, rng.split());
        Tensor x = Tensor.randn(rng, 2, 256, N_EMBD);
        try (var noGrad = Autograd.noGrad()) {
            Tensor fft = op.forward(x);
            double diff = fft.sub(op.forwardDirect(x)).abs().max().item();
            ctx.printf("a random Hyena operator on (2, 256, %d): FFT vs direct convolution, largest difference %.2e"
                    + " (outputs of size %.2f)%n", N_EMBD, diff, fft.abs().mean().item());
            return diff;
        }
    }

    /** Causal self-attention as a {@link Layer}, the mixer MixerLm takes. */
    private static final class AttentionMixer extends Layer {
        private final CausalSelfAttention attention;

        AttentionMixer(CausalSelfAttention attention) {
            this.attention = child("attention", attention);
        }

        @Override
        public Tensor forward(Tensor x) {
            return attention.forward(x);                                                 // (B, T, C)
        }
    }

    /** A trained model and how its training went. */
    private record Trained(MixerLm model, TaskFit.Fitted fit) {
    }

    private static Trained train(ChapterContext ctx, String name, MemoryTask task, int steps, int layers, long seed,
                                 Function<Rng, Layer> mixer) {
        ctx.section("training the " + name + " model");
        Rng rng = new Rng(seed);
        MixerLm model = new MixerLm(task.vocab(), N_EMBD, layers, mixer, rng.split());
        TaskFit.Fitted fit = TaskFit.fit(ctx, name, model, task, steps, 32, ctx.floatOption("lr"), rng.split());
        ctx.printf("%s: recall accuracy %.3f on 512 fresh sequences (%d parameters)%n", name, fit.accuracy(),
                model.parameterCount());
        return new Trained(model, fit);
    }

    private static void saveLoss(ChapterContext ctx, TaskFit.Fitted a, TaskFit.Fitted b) {
        int window = Math.max(1, a.losses().length / 30);
        double[] x = StepCurves.windowEnds(a.losses().length, window);
        new LineChart("Associative recall: training loss (window means)", "step", "cross-entropy at the queries")
                .series("Hyena", x, StepCurves.windowMeans(a.losses(), window))
                .series("attention", x, StepCurves.windowMeans(b.losses(), window))
                .save(ctx.outFile("loss.png"));
        ctx.println("picture: loss.png in " + ctx.outDir());
    }

    /** 256, 512, ... up to {@code top}. */
    static int[] lengths(int top) {
        int n = 0;
        for (int t = 256; t <= top; t *= 2) {
            n++;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = 256 << i;
        }
        return out;
    }

    /** Milliseconds per forward pass at each length; the direct form is NaN where it was not timed. */
    record Timing(int[] lengths, double[] hyena, double[] direct, double[] attention) {
        /** The slope of log(ms) against log(T) over the last three measured lengths: the growth exponent. */
        double slope(double[] ms) {
            int last = ms.length - 1;
            while (last > 0 && Double.isNaN(ms[last])) {
                last--;
            }
            int first = Math.max(0, last - 2);
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            int n = last - first + 1;
            for (int i = first; i <= last; i++) {
                double lx = Math.log(lengths[i]);
                double ly = Math.log(ms[i]);
                sx += lx;
                sy += ly;
                sxx += lx * lx;
                sxy += lx * ly;
            }
            return (n * sxy - sx * sy) / (n * sxx - sx * sx);
        }
    }

    /** Times each form at each length, the direct one up to {@code directMax}, spending about {@code budgetMs} on each. */
    private static Timing timeForward(ChapterContext ctx, int[] lengths, int directMax, double budgetMs, Rng rng) {
        ctx.section("forward time as the sequence grows (one layer, batch 1, " + TIMED_EMBD + " channels)");
        int top = lengths[lengths.length - 1];
        HyenaOperator hyena = new HyenaOperator(TIMED_EMBD, ORDER, top, rng.split());
        CausalSelfAttention attention = new CausalSelfAttention(TIMED_EMBD, 1, 0f, true,
                new RotaryEmbedding(TIMED_EMBD, top), rng.split());
        double[] fft = new double[lengths.length];
        double[] direct = new double[lengths.length];
        double[] attn = new double[lengths.length];
        ctx.printf("%8s %14s %14s %14s%n", "T", "Hyena FFT ms", "Hyena direct", "attention ms");
        try (var noGrad = Autograd.noGrad()) {
            for (int i = 0; i < lengths.length; i++) {
                Tensor x = Tensor.randn(rng, 1, lengths[i], TIMED_EMBD);
                fft[i] = timeMs(() -> hyena.forward(x), budgetMs);
                direct[i] = lengths[i] <= directMax ? timeMs(() -> hyena.forwardDirect(x), budgetMs) : Double.NaN;
                attn[i] = timeMs(() -> attention.forward(x), budgetMs);
                ctx.printf("%8d %14.2f %14s %14.2f%n", lengths[i], fft[i],
                        Double.isNaN(direct[i]) ? "-" : String.format("%.2f", direct[i]), attn[i]);
            }
        }
        Timing t = new Timing(lengths, fft, direct, attn);
        ctx.printf("growth exponent over the longest three lengths (time ~ T^s): Hyena FFT %.2f, Hyena direct %.2f,"
                + " attention %.2f%n", t.slope(fft), t.slope(direct), t.slope(attn));
        return t;
    }

    /**
     * The fastest of timed runs after a warm-up (at least 3, up to 15 while they fit in
     * {@code budgetMs}): other work on the machine only ever adds time, so the minimum is the
     * steadiest estimate on a shared machine.
     */
    static double timeMs(Runnable work, double budgetMs) {
        long s0 = System.nanoTime();
        work.run();
        double first = (System.nanoTime() - s0) / 1e6;
        int runs = (int) Math.max(3, Math.min(15, budgetMs / Math.max(first, 1e-3)));
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        return java.util.Arrays.stream(t).min().orElseThrow();
    }

    private static void saveCost(ChapterContext ctx, Timing t) {
        double[] x = java.util.Arrays.stream(t.lengths).asDoubleStream().toArray();
        new LineChart("Forward time of one layer as the sequence grows", "sequence length T", "ms")
                .logX(true).logY(true)
                .series("Hyena, FFT convolution (T log T)", x, t.hyena)
                .series("Hyena, direct convolution (T^2)", x, t.direct)
                .series("attention (T^2)", x, t.attention)
                .save(ctx.outFile("cost.png"));
        ctx.println("picture: cost.png in " + ctx.outDir());
    }
}
