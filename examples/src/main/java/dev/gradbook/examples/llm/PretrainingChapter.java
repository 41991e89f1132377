package dev.gradbook.examples.llm;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.language.CharWindows;
import dev.gradbook.examples.llm.pretrain.LossScaling;
import dev.gradbook.examples.llm.pretrain.Recipe;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.GELU;
import dev.gradbook.nn.Layer;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Sequential;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.train.ActivationCheckpoint;
import dev.gradbook.nn.train.GradientAccumulation;
import dev.gradbook.nn.train.ProgressReporter;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * <h2>pretraining: the techniques that make a language model train well, one at a time</h2>
 *
 * <p>Pre-training is next-token prediction on a large corpus; what separates a run that works from
 * one that stalls or diverges is a handful of techniques that every modern recipe (GPT-2/3,
 * Chinchilla, LLaMA, nanoGPT) uses. This chapter switches them on one at a time on the same small
 * GPT, the same Tiny Shakespeare batches and the same budget, then shows three techniques for
 * fitting a bigger model or batch into memory, each checked to compute what it claims.
 * <ol>
 *   <li><b>AdamW</b> (Loshchilov and Hutter 2019): Adam with the weight decay applied to the
 *       weights directly, {@code w <- w - lr (m^/(sqrt(v^)+eps) + lambda w)}, not added to the
 *       gradient where Adam's scaling would undo it; decayed on matrices only.</li>
 *   <li><b>Warm-up then cosine decay</b> of the learning rate: a few steps of linearly growing rate
 *       while Adam's moment estimates are still noisy, then
 *       {@code lr(t) = lr_min + (lr_max - lr_min)(1 + cos(pi t/T))/2}.</li>
 *   <li><b>Gradient clipping</b> (Pascanu et al. 2013): {@code g <- g min(1, c/||g||)}, so that one
 *       unlucky batch cannot throw the weights far away.</li>
 *   <li><b>Pre-LayerNorm</b>: the GPT here already normalises the input of each sub-block (GPT-2,
 *       Radford et al. 2019, section 2.3; Xiong et al. 2020 show why it trains without warm-up
 *       trouble); the chapter does not switch it off, since the model class has one placement.</li>
 *   <li><b>Gradient accumulation</b>: {@code k} micro-batches whose gradients add up to the big
 *       batch's ({@link GradientAccumulation}); checked equal to float rounding.</li>
 *   <li><b>Gradient checkpointing</b> (Chen et al. 2016): keep only each block's input and recompute
 *       its inside during backward ({@link ActivationCheckpoint}); the floats held by the graph are
 *       counted with and without it, and the gradients compared.</li>
 *   <li><b>Loss scaling</b> (Micikevicius et al. 2018, section 3.2): gradients stored in float16 lose
 *       every value below 2^-24; scaling the loss by {@code S} lifts them into range
 *       ({@link LossScaling}). The chapter counts the gradients float16 zeroes at several {@code S}.</li>
 * </ol>
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>{@code loss.png}: four training curves on the same batches. At this small scale the
 *       techniques change the final validation loss by a few hundredths, not more (seed 42,
 *       default run: 2.337 Adam, 2.339 + AdamW, 2.336 + schedule, 2.321 + clipping); warm-up
 *       slows the first 30 steps and clipping pays back later. Larger models and learning rates
 *       are where clipping and warm-up decide between converging and diverging: try
 *       {@code --lr 0.02}.</li>
 *   <li>Accumulating 4 micro-batches of 4 gives the gradient of one batch of 16 to 4e-8.</li>
 *   <li>Checkpointing a stack of 8 blocks keeps 38% of the graph's floats (the blocks' outputs
 *       only) and gives bit-identical gradients, for one extra forward pass per block (the time
 *       is printed).</li>
 *   <li>Loss scaling: 140 of the GPT's 106,304 gradients round to 0 in float16 without it, 21 at
 *       {@code S = 2^16}; at {@code S = 2^24} none underflow but 18,797 overflow to infinity.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --lr 0.02}: a rate too high for plain Adam. Which technique rescues the run?</li>
 *   <li>{@code --steps 1000}: do the curves separate further with a longer budget?</li>
 *   <li>{@code --micro-batches 16}: accumulation over more, smaller pieces; is the gradient still
 *       the same?</li>
 * </ol>
 */
public final class PretrainingChapter implements Chapter {
    private static final String CORPUS = "text/tinyshakespeare.txt";
    private static final int BATCH = 16;

    @Override
    public String id() {
        return "pretraining";
    }

    @Override
    public Part part() {
        return Part.LLMS;
    }

    @Override
    public String summary() {
        return "AdamW, warmup + cosine, clipping one at a time; accumulation, checkpointing and loss scaling checked";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveFloat("lr", "0.003", "peak learning rate of every recipe"),
                Option.intInRange("micro-batches", "4", 1, 16, "micro-batches for gradient accumulation (divides 16)"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        if (BATCH % ctx.intOption("micro-batches") != 0) {
            throw new IllegalArgumentException("--micro-batches must divide " + BATCH + ", got "
                    + ctx.intOption("micro-batches"));
        }
        TextCorpus corpus;
        try (var in = ctx.openData(CORPUS)) {
            corpus = TextCorpus.read(in, ctx.dataSource(CORPUS));
        }
        TextCorpus.Split split = corpus.split(0.9);
        GptConfig config = GptConfig.tiny(corpus.vocabSize()).withBlockSize(32).withNEmbd(64).withNHead(4);
        Result result = new Result();
        compareRecipes(ctx, config, split, result);
        checkAccumulation(ctx, config, split.train(), result);
        measureCheckpointing(ctx, result);
        countFloat16Underflow(ctx, config, split.train(), result);
        return result;
    }

    /** The same model, batches and budget under each recipe of the ladder. */
    private static void compareRecipes(ChapterContext ctx, GptConfig config, TextCorpus.Split split, Result result) {
        int steps = ctx.steps(400, 40);
        float lr = ctx.floatOption("lr");
        ctx.section("four recipes, " + steps + " steps of " + BATCH + " windows of " + config.blockSize()
                + " characters, peak lr " + lr);
        List<Recipe.Run> runs = new ArrayList<>();
        for (Recipe recipe : Recipe.ladder()) {
            ProgressReporter progress = ctx.progress(recipe.name(), steps);
            runs.add(recipe.train(config, split.train(), split.val(), steps, BATCH, lr, ctx.seed(),
                    (s, loss) -> progress.update(s + 1, loss, BATCH)));
            progress.finish();
        }
        List<List<String>> rows = new ArrayList<>();
        LineChart chart = new LineChart("Training loss, one technique added at a time", "step", "loss");
        for (int i = 0; i < runs.size(); i++) {
            Recipe.Run run = runs.get(i);
            List<Double> train = run.trainLosses();
            rows.add(List.of(run.recipe().name(), String.format("%.3f", mean(train, train.size() - 20)),
                    String.format("%.3f", run.valLoss())));
            chart.trainingCurve(run.recipe().name(), smooth(train, 10));
            result.metric("val_loss_" + i, run.valLoss());
        }
        ctx.table(List.of("recipe", "train loss (last 20)", "validation loss"), rows);
        chart.save(ctx.outFile("loss.png"));
    }

    /** k micro-batches of 16/k against one batch of 16: the same gradient. */
    private static void checkAccumulation(ChapterContext ctx, GptConfig config, IntTensor train, Result result) {
        int k = ctx.intOption("micro-batches");
        ctx.section("gradient accumulation: " + k + " micro-batches of " + BATCH / k + " vs one batch of " + BATCH);
        IntTensor[] xy = CharWindows.sample(train, BATCH, config.blockSize(), new Rng(ctx.seed() + 7));
        Gpt whole = new Gpt(config, new Rng(ctx.seed()));
        whole.loss(xy[0], xy[1]).backward();
        Gpt pieces = new Gpt(config, new Rng(ctx.seed()));
        int b = BATCH / k;
        GradientAccumulation.backward(k, j -> pieces.loss(xy[0].narrow(0, j * b, b), xy[1].narrow(0, j * b, b)));
        double worst = maxGradDiff(whole.parameters(), pieces.parameters());
        ctx.printf("max |difference| over all %,d gradient entries: %.3g%n", whole.parameterCount(), worst);
        result.metric("accumulation_max_diff", worst);
    }

    /** A stack of 8 blocks with and without activation checkpointing: graph size, gradients, time. */
    private static void measureCheckpointing(ChapterContext ctx, Result result) {
        int width = ctx.quick() ? 64 : 256;
        int rows = 64;
        ctx.section("gradient checkpointing: 8 blocks Linear(" + width + ") + GELU, batch " + rows);
        Tensor x = Tensor.randn(new Rng(ctx.seed() + 8), rows, width);
        Tensor y = Tensor.randn(new Rng(ctx.seed() + 9), rows, width);
        Sequential plain = blocks(width, false, ctx.seed());
        Sequential checkpointed = blocks(width, true, ctx.seed());
        long t0 = System.nanoTime();
        Tensor lossPlain = Losses.mse(plain.forward(x), y);
        long floatsPlain = Autograd.graphFloats(lossPlain);
        lossPlain.backward();
        long t1 = System.nanoTime();
        Tensor lossCheck = Losses.mse(checkpointed.forward(x), y);
        long floatsCheck = Autograd.graphFloats(lossCheck);
        lossCheck.backward();
        long t2 = System.nanoTime();
        double worst = maxGradDiff(plain.parameters(), checkpointed.parameters());
        ctx.table(List.of("", "floats held by the graph", "forward + backward"), List.of(
                List.of("plain", String.format("%,d", floatsPlain), String.format("%.1f ms", (t1 - t0) / 1e6)),
                List.of("checkpointed", String.format("%,d", floatsCheck), String.format("%.1f ms", (t2 - t1) / 1e6))));
        ctx.printf("activations kept: %.0f%%; gradients max |difference| %.3g%n",
                100.0 * floatsCheck / floatsPlain, worst);
        result.metric("checkpoint_graph_ratio", (double) floatsCheck / floatsPlain);
        result.metric("checkpoint_max_grad_diff", worst);
    }

    private static Sequential blocks(int width, boolean checkpoint, long seed) {
        Rng rng = new Rng(seed);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Layer block = new Sequential(new Linear(width, width, rng), GELU.exact());
            layers.add(checkpoint ? new ActivationCheckpoint(block) : block);
        }
        return new Sequential(layers);
    }

    /** The gradients of one GPT batch rounded through float16 at several loss scales. */
    private static void countFloat16Underflow(ChapterContext ctx, GptConfig config, IntTensor train, Result result) {
        ctx.section("loss scaling: the GPT's gradients stored in float16");
        Gpt model = new Gpt(config, new Rng(ctx.seed()));
        IntTensor[] xy = CharWindows.sample(train, BATCH, config.blockSize(), new Rng(ctx.seed() + 10));
        model.loss(xy[0], xy[1]).backward();
        List<Float> all = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            for (float g : p.grad().data()) {
                all.add(g);
            }
        }
        float[] grads = new float[all.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = all.get(i);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int exponent : new int[] {0, 10, 16, 24}) {
            LossScaling.Damage d = LossScaling.roundTrip(grads, (float) Math.pow(2, exponent));
            rows.add(List.of("2^" + exponent, String.format("%,d", d.zeroed()), String.format("%,d", d.overflowed()),
                    String.format("%.2e", d.relativeError())));
            result.metric("zeroed_scale_2^" + exponent, d.zeroed());
            result.metric("overflowed_scale_2^" + exponent, d.overflowed());
        }
        ctx.printf("%,d non-zero gradients; float16 keeps magnitudes from 2^-24 = 6.0e-8 to 65504%n",
                LossScaling.roundTrip(grads, 1).nonZero());
        ctx.table(List.of("loss scale S", "rounded to 0", "overflowed", "relative error"), rows);
        ctx.println("picture: loss.png in " + ctx.outDir());
    }

    private static double maxGradDiff(List<Tensor> a, List<Tensor> b) {
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            float[] ga = a.get(i).grad().data();
            float[] gb = b.get(i).grad().data();
            for (int j = 0; j < ga.length; j++) {
                worst = Math.max(worst, Math.abs(ga[j] - gb[j]));
            }
        }
        return worst;
    }

    private static double mean(List<Double> v, int from) {
        return v.subList(Math.max(0, from), v.size()).stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** Running mean over {@code window} steps, so the four curves can be told apart. */
    private static List<Double> smooth(List<Double> v, int window) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(mean(v.subList(0, i + 1), i + 1 - window));
        }
        return out;
    }
}
