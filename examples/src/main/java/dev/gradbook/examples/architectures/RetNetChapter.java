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
import dev.gradbook.transformer.mixers.MultiScaleRetention;

import java.util.List;

/**
 * <h2>retnet: retention, one computation in two forms</h2>
 *
 * <p>Attention trains in parallel but generates slowly: every new token attends to a growing
 * cache of keys and values. An RNN generates with a fixed-size state but trains one step at a
 * time. RetNet (Sun et al. 2023, "Retentive Network: A Successor to Transformer for Large
 * Language Models", section 2.1) removes attention's softmax and puts an exponential decay γ in
 * its place; then the same function can be written both ways:
 * <pre>
 *   parallel  (eq. 5):  Retention(X) = (Q Kᵀ ⊙ D) V,      D_nm = γ^(n-m) for n >= m, else 0
 *   recurrent (eq. 6):  S_n = γ S_(n-1) + K_nᵀ V_n,       Retention(X_n) = Q_n S_n
 * </pre>
 * Unrolling eq. 6 gives {@code Q_n S_n = sum over m <= n of γ^(n-m) (Q_n · K_m) V_m}, which is row n
 * of eq. 5. Multi-scale retention (eq. 8) gives each head its own γ_h = 1 - 2^(-5-h), normalises
 * each head and gates the result with a swish; see {@link MultiScaleRetention}.
 *
 * <p>The chapter (1) checks that the two forms agree on a random input, (2) trains a two-layer
 * RetNet on associative recall ({@code k1 v1 ... k6 v6 q}: say the value that followed q) with the
 * parallel form, (3) checks the forms still agree on the trained weights, and (4) times generation
 * token by token: the recurrent step against recomputing the parallel form over the prefix.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The largest difference between the forms: about 1e-6, float rounding.</li>
 *   <li>Associative-recall accuracy three times chance (1 in 8): 0.38 after the default 600 steps
 *       at seed 42. Retention is linear attention, which the Zoology study (Arora et al. 2023)
 *       found slow to learn recall: compare {@code rwkv} (0.53), whose token shift binds each
 *       value to its key for free, and the state-space model of {@code mamba}.</li>
 *   <li>{@code generation.png}: the recurrent step costs the same at every position; the parallel
 *       form recomputed over the prefix grows with it. The state stays {@code nh x hs x hs}
 *       floats per layer however long the text.</li>
 * </ul>
 * With {@code --quick}: 200 training steps; the forms must still agree and recall must beat chance.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --pairs 8}: more pairs to hold in the decaying state. Does accuracy drop?</li>
 *   <li>With {@code --layers 1}, can one layer of retention solve the task? (Attention needs two
 *       layers for induction.)</li>
 *   <li>Why must D be causal for eq. 6 to exist? What would a bidirectional D need?</li>
 * </ol>
 */
public final class RetNetChapter implements Chapter {
    static final int N_EMBD = 32;
    static final int N_HEAD = 2;
    private static final int[] GENERATION_LENGTHS = {16, 32, 64, 128, 256};

    @Override
    public String id() {
        return "retnet";
    }

    @Override
    public Part part() {
        return Part.NEW_ARCHITECTURES;
    }

    @Override
    public String summary() {
        return "retention's parallel and recurrent forms give the same outputs; trained on associative recall";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.intInRange("pairs", "6", 1, 8, "key-value pairs per associative-recall sequence (at most 8)"),
                Option.positiveInt("layers", "2", "RetNet blocks"),
                Option.positiveFloat("lr", "1e-2", "peak AdamW learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        double randomDiff = compareForms(ctx, "a random retention layer", new MultiScaleRetention(N_EMBD, N_HEAD, 512,
                rng.split()), rng.split());

        MemoryTask task = MemoryTask.associativeRecall(8, 8, ctx.intOption("pairs"), 4);
        int steps = ctx.steps(600, 200);
        MixerLm model = new MixerLm(task.vocab(), N_EMBD, ctx.intOption("layers"),
                r -> new MultiScaleRetention(N_EMBD, N_HEAD, 512, r), rng.split());
        ctx.section("training on " + task.name() + " (" + task.length() + " tokens, chance 1/8)");
        TaskFit.Fitted fit = TaskFit.fit(ctx, "RetNet", model, task, steps, 32, ctx.floatOption("lr"), rng.split());
        ctx.printf("accuracy on 512 fresh sequences: %.3f (%.1f ms per training step)%n", fit.accuracy(), fit.msPerStep());
        double trainedDiff = compareForms(ctx, "the trained first layer", (MultiScaleRetention) model.mixer(0), rng.split());

        double[][] times = timeGeneration(ctx, new MultiScaleRetention(N_EMBD, N_HEAD, 512, rng.split()));
        return new Result()
                .metric("max_diff_random", randomDiff)
                .metric("max_diff_trained", trainedDiff)
                .metric("recall_accuracy", fit.accuracy())
                .metric("steps", steps)
                .metric("state_floats", N_HEAD * (N_EMBD / N_HEAD) * (N_EMBD / N_HEAD))
                .metric("recurrent_ms_per_token_last", times[0][times[0].length - 1])
                .metric("parallel_ms_per_token_last", times[1][times[1].length - 1]);
    }

    /** The largest absolute difference between eq. 5 and eq. 6 on a random (2, 64, C) input. */
    private static double compareForms(ChapterContext ctx, String what, MultiScaleRetention msr, Rng rng) {
        Tensor x = Tensor.randn(rng, 2, 64, N_EMBD);
        try (var noGrad = Autograd.noGrad()) {
            Tensor parallel = msr.forward(x);
            Tensor recurrent = msr.forwardRecurrent(x);
            double diff = parallel.sub(recurrent).abs().max().item();
            ctx.printf("%s: parallel vs recurrent form on (2, 64, %d): largest difference %.2e (outputs of size %.2f)%n",
                    what, N_EMBD, diff, parallel.abs().mean().item());
            return diff;
        }
    }

    /** Milliseconds per generated token at each length: recurrent steps (row 0), parallel recompute (row 1). */
    private static double[][] timeGeneration(ChapterContext ctx, MultiScaleRetention msr) {
        ctx.section("generating token by token");
        double[][] ms = new double[2][GENERATION_LENGTHS.length];
        int maxLen = GENERATION_LENGTHS[GENERATION_LENGTHS.length - 1];
        Tensor x = Tensor.randn(new Rng(1), 1, maxLen, N_EMBD);
        try (var noGrad = Autograd.noGrad()) {
            for (int i = 0; i < GENERATION_LENGTHS.length; i++) {
                int n = GENERATION_LENGTHS[i];
                MultiScaleRetention.State state = msr.initialState(1);
                for (int t = 0; t < n - 1; t++) {
                    msr.step(x.narrow(1, t, 1), state);
                }
                ms[0][i] = timeMs(() -> {
                    MultiScaleRetention.State copy = msr.initialState(1);
                    msr.step(x.narrow(1, n - 1, 1), copy);
                });
                Tensor prefix = x.narrow(1, 0, n);
                ms[1][i] = timeMs(() -> msr.forward(prefix));
                ctx.printf("token %4d: recurrent step %.3f ms (state %d floats), parallel over the prefix %.3f ms%n", n,
                        ms[0][i], state.floats(), ms[1][i]);
            }
        }
        double[] lengths = java.util.Arrays.stream(GENERATION_LENGTHS).asDoubleStream().toArray();
        new LineChart("Cost of one more token", "position", "ms").series("recurrent step (eq. 6)", lengths, ms[0])
                .series("parallel form over the prefix (eq. 5)", lengths, ms[1]).save(ctx.outFile("generation.png"));
        ctx.println("picture: generation.png in " + ctx.outDir());
        return ms;
    }

    /** The median of a few timed runs, after a warm-up. */
    static double timeMs(Runnable work) {
        double[] t = new double[7];
        work.run();
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }
}
