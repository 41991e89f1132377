package dev.gradbook.examples.architectures;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.Layer;
import dev.gradbook.transformer.gpt.Block;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.mixers.MixtureOfDepthsBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * Mixture-of-Depths: a router sends only some tokens through each block.
 *
 * <p>Idea (Raposo et al. 2024, "Mixture-of-Depths", sections 3.1-3.4). Each block gets a router, a weight
 * vector {@code w} giving every token a score {@code r_i = w . x_i}. Only the top {@code k = C T} tokens
 * of the sequence (C = capacity) go through the block; the others ride the residual stream unchanged.
 * A routed token's update is scaled by its score, {@code x_i' = x_i + r_i (f(X_routed)_i - x_i)}, which
 * puts the router on the gradient path. Compute per block falls with C: the projections and MLP cost
 * {@code 24 C_emb^2} FLOPs per processed token and attention {@code 4 k C_emb} per processed token, so
 * the block costs {@code k (24 C_emb^2 + 4 k C_emb)} FLOPs per sequence (2 FLOPs per multiply-add).
 *
 * <p>Here: a two-block transformer (each block a GPT {@link Block} wrapped in a
 * {@link MixtureOfDepthsBlock}) learns the selective-copy task of the Mamba chapter (4 data tokens
 * scattered over 16 positions, copied out after markers), with capacity swept over 1, 0.5, 0.25, 0.125.
 * The data tokens and markers are 8 of 20 positions, so capacity 0.5 can in principle route all of them.
 *
 * <p>What to look for: the table and {@code loss_vs_flops.png} (final training loss against block FLOPs
 * per sequence). FLOPs fall faster than linearly with C (attention is quadratic in k). Default run
 * (200 steps, seed fixed, 27 s at load 6 on 2 cores):
 * <pre>
 *   capacity  block FLOPs / sequence  final loss  copy accuracy
 *      1.0                  296960       1.179          0.403
 *      0.5                  135680       1.552          0.336
 *      0.25                  64640       1.827          0.304
 *      0.125                 38016       2.081          0.132   (chance 0.125)
 * </pre>
 * Halving the capacity saves 54% of the block FLOPs for a loss 0.37 higher at this short budget; at
 * 0.125 (3 of 20 tokens) the model stays at chance. The router has to learn which tokens matter while
 * the blocks learn what to do with them, so low capacities start slower: try more steps.
 *
 * <p>Exercises (no code edit): {@code --capacities 1,0.75,0.5} to zoom in; {@code --steps 600} to see
 * whether low capacity catches up with more training; {@code --spread 32} to make the data sparser.
 */
public final class MixtureOfDepthsChapter implements Chapter {
    static final int N_EMBD = 16;

    @Override
    public String id() {
        return "mixture-of-depths";
    }

    @Override
    public Part part() {
        return Part.NEW_ARCHITECTURES;
    }

    @Override
    public String summary() {
        return "a router sends only the top-C fraction of tokens through each block: loss against block FLOPs";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("capacities", "1,0.5,0.25,0.125", "capacities C to sweep, comma separated, each in (0, 1]"),
                Option.intInRange("spread", "16", 4, 64, "positions the 4 data tokens are scattered over"),
                Option.positiveFloat("lr", "1e-2", "peak AdamW learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        MemoryTask task = MemoryTask.selectiveCopy(8, ctx.intOption("spread"), 4);
        int steps = ctx.steps(200, 40);
        double[] capacities = parse(ctx.option("capacities"));
        long seed = ctx.rng().nextLong();
        double[] loss = new double[capacities.length];
        double[] flops = new double[capacities.length];
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < capacities.length; i++) {
            TaskFit.Fitted fit = train(ctx, task, capacities[i], steps, seed);
            loss[i] = tailMean(fit.losses());
            flops[i] = blockFlops(task.length(), capacities[i]);
            rows.add(List.of(String.valueOf(capacities[i]), String.format("%.0f", flops[i]),
                    String.format("%.3f", loss[i]), String.format("%.3f", fit.accuracy())));
        }
        ctx.section("capacity against compute and loss");
        ctx.table(List.of("capacity", "block FLOPs / sequence", "final loss", "copy accuracy"), rows);
        new LineChart("Mixture-of-Depths: loss vs block FLOPs", "block FLOPs per sequence", "final training loss")
                .series("capacity sweep", flops, loss).save(ctx.outFile("loss_vs_flops.png"));
        ctx.println("picture: loss_vs_flops.png in " + ctx.outDir());
        return new Result().metric("flops_first", flops[0]).metric("flops_last", flops[capacities.length - 1])
                .metric("loss_first", loss[0]).metric("loss_second", loss[Math.min(1, capacities.length - 1)]);
    }

    /** FLOPs of the two blocks for one sequence: {@code k (24 C^2 + 4 k C)} per block, k routed tokens. */
    static double blockFlops(int t, double capacity) {
        int k = Math.max(1, (int) Math.round(capacity * t));
        return 2.0 * k * (24.0 * N_EMBD * N_EMBD + 4.0 * k * N_EMBD);
    }

    private static TaskFit.Fitted train(ChapterContext ctx, MemoryTask task, double capacity, int steps, long seed) {
        ctx.section("capacity " + capacity);
        Rng rng = new Rng(seed);
        GptConfig config = GptConfig.tiny(task.vocab()).withNEmbd(N_EMBD).withNHead(2).withNLayer(1)
                .withBlockSize(task.length()).withDropout(0f);
        MixerLm model = new MixerLm(task.vocab(), N_EMBD, 2,
                r -> new RoutedUpdate(new MixtureOfDepthsBlock(new Block(config, r), N_EMBD, capacity, true, r)),
                null, rng.split());
        return TaskFit.fit(ctx, "C=" + capacity, model, task, steps, 32, ctx.floatOption("lr"), rng.split());
    }

    /** MixerLm adds its own residual, so the mixer returns only the update {@code MoD(x) - x}. */
    private static final class RoutedUpdate extends Layer {
        private final MixtureOfDepthsBlock mod;

        RoutedUpdate(MixtureOfDepthsBlock mod) {
            this.mod = child("mod", mod);
        }

        @Override
        public Tensor forward(Tensor x) {
            return mod.forward(x).sub(x);                          // (B, T, C), zero for unrouted tokens
        }
    }

    private static double tailMean(double[] losses) {
        int n = Math.max(1, losses.length / 5);
        double s = 0;
        for (int i = losses.length - n; i < losses.length; i++) {
            s += losses[i];
        }
        return s / n;
    }

    private static double[] parse(String list) {
        String[] parts = list.split(",");
        double[] c = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                c[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--capacities: not a number: '" + parts[i] + "'");
            }
            if (!(c[i] > 0 && c[i] <= 1)) {
                throw new IllegalArgumentException("--capacities: each must be in (0, 1], got " + c[i]);
            }
        }
        return c;
    }
}
