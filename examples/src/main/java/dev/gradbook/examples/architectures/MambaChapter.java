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
import dev.gradbook.transformer.mixers.MambaBlock;

import java.util.List;

/**
 * <h2>mamba: a selective state-space model</h2>
 *
 * <p>A state-space model runs, in every channel, the linear recurrence
 * {@code h_t = Ā h_(t-1) + B̄ x_t, y_t = C h_t} (Gu and Dao 2023, "Mamba: Linear-Time Sequence
 * Modeling with Selective State Spaces", section 2, eq. 2), with {@code Ā = exp(Δ A)} and
 * {@code B̄ = Δ B} from a continuous system sampled with step Δ (eq. 4). When Δ, B and C are fixed
 * (S4), the whole layer is one long convolution: fast, but it treats every token alike. Mamba's
 * change (section 3.2, Algorithm 2) is to compute Δ_t, B_t and C_t from the token x_t, so the
 * model can choose what to write into its state (large Δ) and what to skip (Δ near 0). The price
 * is the convolution view; the recurrence is computed by a scan (here a plain loop over t).
 *
 * <p>The task is the paper's selective copy (section 3.1, Figure 2): four data tokens at random
 * places among 16 blanks, then four markers; at the markers the model must say the data tokens
 * in order. Since where the data sits changes from sequence to sequence, a time-invariant filter
 * cannot pick them out. The chapter trains two 2-layer models of Mamba blocks (section 3.4:
 * in-projection, short causal convolution, SiLU, SSM, SiLU gate, out-projection) with the same
 * budget: one selective, one with Δ, B, C fixed (S4-like). Then it checks that the scan and
 * token-by-token generation give the same outputs and that the generation state has a fixed size.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The side-by-side accuracies after the default 300 steps at seed 42: selective 0.705,
 *       time-invariant 0.451 (chance 0.125); with {@code --steps 500} and {@code N_EMBD = 32} the
 *       selective model reaches 0.994 against 0.641. The paper's Table 1 shows the same gap at
 *       scale.</li>
 *   <li>{@code loss.png}: the selective model's loss falls below the time-invariant one's.</li>
 *   <li>The state during generation: {@code E x N + (k - 1) x E} = 352 floats per block at every
 *       length, where a KV cache of the same width holds 32,768 floats after 1,024 tokens.</li>
 * </ul>
 * With {@code --quick}: fewer steps; the selective model must still lead.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Run with {@code --state 1}: how small can the state be for four tokens?</li>
 *   <li>Run with {@code --spread 32}: the tokens are further apart; which model suffers more?</li>
 *   <li>Print Δ_t of the trained first layer for one sequence: is it larger at the data tokens?</li>
 * </ol>
 */
public final class MambaChapter implements Chapter {
    static final int N_EMBD = 16;

    @Override
    public String id() {
        return "mamba";
    }

    @Override
    public Part part() {
        return Part.NEW_ARCHITECTURES;
    }

    @Override
    public String summary() {
        return "a selective SSM (Mamba) learns selective copying that a time-invariant SSM cannot; fixed-size state";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("state", "8", "SSM state size N per channel"),
                Option.intInRange("spread", "16", 4, Integer.MAX_VALUE, "positions the 4 data tokens are scattered over"),
                Option.positiveFloat("lr", "1e-2", "peak AdamW learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Rng rng = ctx.rng();
        MemoryTask task = MemoryTask.selectiveCopy(8, ctx.intOption("spread"), 4);
        int steps = ctx.steps(300, 100);
        int state = ctx.intOption("state");
        ctx.printf("%s: %d tokens, %d data tokens to copy, chance 1/8%n", task.name(), task.length(), task.answers());
        long seed = rng.nextLong();
        TaskFit.Fitted selective = train(ctx, "selective", task, steps, state, true, seed);
        TaskFit.Fitted invariant = train(ctx, "time-invariant", task, steps, state, false, seed);
        ctx.section("the same budget, side by side");
        ctx.table(List.of("SSM", "copy accuracy", "ms per step"), List.of(
                List.of("selective (Mamba)", String.format("%.3f", selective.accuracy()), String.format("%.1f", selective.msPerStep())),
                List.of("time-invariant (S4-like)", String.format("%.3f", invariant.accuracy()), String.format("%.1f", invariant.msPerStep()))));
        saveLoss(ctx, selective, invariant);

        MambaBlock block = new MambaBlock(N_EMBD, 2, state, 4, true, rng.split());
        double diff = scanVersusSteps(ctx, block, rng.split());
        int[] floats = stateSizes(ctx, block, rng.split());
        return new Result()
                .metric("selective_accuracy", selective.accuracy())
                .metric("invariant_accuracy", invariant.accuracy())
                .metric("steps", steps)
                .metric("max_diff", diff)
                .metric("state_floats_first", floats[0])
                .metric("state_floats_last", floats[1]);
    }

    private static TaskFit.Fitted train(ChapterContext ctx, String name, MemoryTask task, int steps, int state,
                                        boolean selective, long seed) {
        ctx.section("training the " + name + " model");
        Rng rng = new Rng(seed);
        MixerLm model = new MixerLm(task.vocab(), N_EMBD, 2, r -> new MambaBlock(N_EMBD, 2, state, 4, selective, r), null,
                rng.split());
        TaskFit.Fitted fit = TaskFit.fit(ctx, name, model, task, steps, 32, ctx.floatOption("lr"), rng.split());
        ctx.printf("%s: copy accuracy %.3f on 512 fresh sequences%n", name, fit.accuracy());
        return fit;
    }

    private static void saveLoss(ChapterContext ctx, TaskFit.Fitted a, TaskFit.Fitted b) {
        int window = Math.max(1, a.losses().length / 30);
        double[] x = StepCurves.windowEnds(a.losses().length, window);
        new LineChart("Selective copy: training loss (window means)", "step", "cross-entropy at the markers")
                .series("selective", x, StepCurves.windowMeans(a.losses(), window))
                .series("time-invariant", x, StepCurves.windowMeans(b.losses(), window))
                .save(ctx.outFile("loss.png"));
        ctx.println("picture: loss.png in " + ctx.outDir());
    }

    private static double scanVersusSteps(ChapterContext ctx, MambaBlock block, Rng rng) {
        ctx.section("scan vs token by token");
        Tensor x = Tensor.randn(rng, 2, 48, N_EMBD);
        try (var noGrad = Autograd.noGrad()) {
            double d = block.forward(x).sub(block.forwardRecurrent(x)).abs().max().item();
            ctx.printf("a Mamba block on (2, 48, %d): largest difference between the scan and %d steps %.2e%n",
                    N_EMBD, 48, d);
            return d;
        }
    }

    /** The generation state's size after 16 and after 1,024 tokens. */
    private static int[] stateSizes(ChapterContext ctx, MambaBlock block, Rng rng) {
        MambaBlock.State s = block.initialState(1);
        int[] floats = new int[2];
        try (var noGrad = Autograd.noGrad()) {
            for (int t = 1; t <= 1024; t++) {
                block.step(Tensor.randn(rng, 1, 1, N_EMBD), s);
                if (t == 16) {
                    floats[0] = s.floats();
                }
            }
        }
        floats[1] = s.floats();
        ctx.printf("generation state: %d floats after 16 tokens, %d after 1,024 (a KV cache of the same width: %d and %d)%n",
                floats[0], floats[1], 2 * 16 * N_EMBD, 2 * 1024 * N_EMBD);
        return floats;
    }
}
