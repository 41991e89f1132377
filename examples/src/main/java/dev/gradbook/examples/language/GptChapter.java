package dev.gradbook.examples.language;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.StepArena;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.cli.TrainingRun;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.nn.io.Checkpoint;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.optim.ParamGroups;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.optim.WarmupCosine;
import dev.gradbook.nn.train.ProgressReporter;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.gpt.GenerationConfig;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.gpt.Sampler;
import dev.gradbook.transformer.tokenizer.CharTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * <h2>gpt: a decoder-only transformer that learns to write Shakespeare, one character at a time</h2>
 *
 * <p>A language model assigns a probability to every possible next token given the ones before
 * it. Generating text is then just sampling a token, appending it, and asking again. GPT
 * (Radford et al. 2018, 2019) is such a model built from a stack of transformer blocks
 * (Vaswani et al. 2017) in which every position may only attend to itself and earlier
 * positions (the causal mask), so that one forward pass over a sequence of length T trains T
 * next-token predictions at once.
 *
 * <p>Here the tokens are characters: the vocabulary is the 65 distinct characters of Tiny
 * Shakespeare (40,000 lines of the plays, Karpathy's char-rnn corpus). The model is
 * {@link GptConfig#shakespeareChar}: 4 blocks, 4 heads, 128 channels, a context of 64
 * characters, about 0.8 M parameters. Training minimises the mean cross-entropy
 * <pre>
 *   L = -1/(B T) sum_b sum_t log p(x[b, t+1] | x[b, 0..t])
 * </pre>
 * over random windows of the training text, with AdamW (Loshchilov and Hutter 2019) decaying
 * the matrices only (weight decay 0.1; biases and layer-norm gains are left alone, as in nanoGPT),
 * a linear warm-up then cosine decay of the learning rate, and gradient clipping at norm 1.
 *
 * <h3>The block, step by step (printed at the start of a run with the model's sizes)</h3>
 * <ol>
 *   <li>Token embedding {@code wte[ids]} plus a learned position vector {@code wpe[t]}: attention
 *       itself ignores order, so the position must be added (chapter {@code positional-encoding};
 *       RoPE is the other choice there).</li>
 *   <li>In each block, {@code x + CausalSelfAttention(LayerNorm(x))}: every position mixes in the
 *       values of earlier positions, weighted by query-key agreement, with the future masked to
 *       exactly zero weight (chapter {@code attention}); several heads look for different things.</li>
 *   <li>Then {@code x + MLP(LayerNorm(x))}: a two-layer network of width {@code 4C} with GELU,
 *       applied to each position alone, where most of the parameters sit.</li>
 *   <li>The residual additions {@code x + ...} let every block refine, not replace, what the
 *       earlier ones wrote; LayerNorm before each sub-layer (pre-LN, GPT-2) keeps them stable.</li>
 *   <li>A final LayerNorm and the head {@code wteᵀ} (tied to the embedding) give one score per
 *       character; {@code sampling} shows the ways to pick one.</li>
 * </ol>
 * What does all this buy? The chapter first counts a <b>bigram model</b> on the same training
 * text ({@link BigramBaseline}: the next character given only the current one) and prints its
 * validation loss; the transformer's gain over it is what looking back up to 64 characters is
 * worth.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The bigram baseline's validation loss (2.48 nats on Tiny Shakespeare), drawn as a line
 *       in {@code loss.png}; the transformer ends below it (default run, seed 42: 2.24, so 0.24
 *       nats per character come from looking further back; 59 s on two cores).</li>
 *   <li>The loss starts near {@code ln 65 = 4.17} (a uniform guess over 65 characters) and falls
 *       below 2 in the default run of 1000 steps of 12 windows at a peak learning rate of 4e-3,
 *       about a minute and a half on two quiet cores (seed 42: validation 2.08, perplexity 8.0,
 *       at step 600; the same recipe in the benchmarks' {@code Race --iters 1000 --lr 4e-3} ends
 *       at 1.93 over the whole validation text, against 1.99 at 2e-3); {@code --steps} trains
 *       longer and it keeps falling. Perplexity {@code exp(L)} is the
 *       number of characters the model is still "choosing between" on average.</li>
 *   <li>The validation loss (on the last 10% of the text, never trained on) tracks the training
 *       loss: with 0.8 M parameters and 1 M characters the model is far from memorising.</li>
 *   <li>The sample has the look of a play: speaker names in capitals followed by a colon, line
 *       breaks, mostly real short words, and punctuation, though the sense wanders.</li>
 *   <li>{@code loss.png} shows both curves from step 0 (before any training) and the bigram
 *       line; {@code gpt.safetensors} is the checkpoint, which
 *       {@code --sample} reloads to write more and {@code --resume} continues training.</li>
 * </ul>
 * The run saves {@code gpt.safetensors} every {@code --checkpoint-every} steps and when you press
 * Ctrl-C; {@code --resume} continues it exactly where it stopped ({@code --steps} is the length
 * of the whole run, and the batches of step s and its learning rate depend only on the seed and
 * s), so an interrupted and resumed run ends with the same weights, bit for bit, as one that
 * never stopped. A loss that becomes NaN or infinite (try {@code --lr 1e30}) stops the run with
 * an error and leaves the last good checkpoint in place.
 * With {@code --quick} the chapter trains a smaller model on the 154 sonnets for a few seconds:
 * the loss falls well below the uniform guess and, after 250 steps, below the bigram model
 * (2.25 against 2.39); at 150 steps it is still just above it (2.41): context takes longer to
 * learn than character pairs.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Train with {@code --steps 3000}: how low does the validation loss go before it starts
 *       to rise, and what happens to the samples?</li>
 *   <li>Sample with {@code --temperature 0.3} and {@code 1.5}, and with {@code --top-k 5}. Which
 *       looks most like Shakespeare, and why does a low temperature repeat itself?</li>
 *   <li>{@code --layers 1}: one block instead of four. How much of the gain over the bigram model
 *       came from depth? ({@code --sample} and {@code --resume} need the same {@code --layers}.)
 *       Then {@code --block-size 2}: with two characters of context, how close does it come to
 *       the bigram? Try {@code --heads 1} or {@code 8} and {@code --embd 64}.</li>
 *   <li>Run {@code --steps 400 --stop-after 200}, then the same with {@code --resume}, and compare
 *       the final validation loss with an uninterrupted {@code --steps 400}.</li>
 * </ol>
 */
public final class GptChapter implements Chapter {
    private static final String CHECKPOINT = "gpt.safetensors";
    private static final String DEFAULT_CORPUS = "text/tinyshakespeare.txt";

    @Override
    public String id() {
        return "gpt";
    }

    @Override
    public Part part() {
        return Part.LANGUAGE;
    }

    @Override
    public String summary() {
        return "a character-level GPT trained on Shakespeare: loss, perplexity, and generated text";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("corpus", DEFAULT_CORPUS, "training text under data/ (--quick: the sonnets)"),
                Option.value("prompt", "\n", "text the sample starts from"),
                Option.positiveInt("tokens", "500", "characters to generate"),
                Option.positiveFloat("temperature", "0.8", "sampling temperature"),
                Option.nonNegativeInt("top-k", "0", "sample among the k likeliest characters (0: all)"),
                Option.positiveInt("batch-size", "12", "sequences per step"),
                Option.positiveFloat("lr", "4e-3", "peak learning rate"),
                Option.nonNegativeInt("layers", "0", "transformer blocks (0: the preset's, 4; --quick 2)"),
                Option.nonNegativeInt("heads", "0", "attention heads per block, must divide --embd (0: 4; --quick 2)"),
                Option.nonNegativeInt("embd", "0", "channels per position (0: 128; --quick 64)"),
                Option.nonNegativeInt("block-size", "0", "context length in characters (0: 64; --quick 32)"),
                Option.flag("sample", "load the checkpoint from --out and only generate"),
                Option.flag("resume", "continue the run from the checkpoint in --out, as if it had never stopped"),
                TrainingRun.options().get(0), TrainingRun.options().get(1));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        String corpusPath = ctx.quick() && ctx.option("corpus").equals(DEFAULT_CORPUS)
                ? "text/shakespeare_sonnets.txt" : ctx.option("corpus");
        TextCorpus corpus;
        try (var in = ctx.openData(corpusPath)) {
            corpus = TextCorpus.read(in, ctx.dataSource(corpusPath));
        }
        Path checkpoint = ctx.outFile(CHECKPOINT);
        Rng rng = ctx.rng();
        GptConfig config = ctx.quick()
                ? GptConfig.tiny(corpus.vocabSize()).withBlockSize(32).withNEmbd(64)
                : GptConfig.shakespeareChar(corpus.vocabSize());
        int heads = ctx.intOption("heads") > 0 ? ctx.intOption("heads") : config.nHead();
        int embd = ctx.intOption("embd") > 0 ? ctx.intOption("embd") : config.nEmbd();
        if (embd % heads != 0) {
            throw new dev.gradbook.examples.cli.CommandLine.UsageException("--heads " + heads
                    + " must divide --embd " + embd);
        }
        config = config.withNHead(1).withNEmbd(embd).withNHead(heads);
        if (ctx.intOption("block-size") > 0) {
            config = config.withBlockSize(ctx.intOption("block-size"));
        }
        if (ctx.intOption("layers") > 0) {
            config = config.withNLayer(ctx.intOption("layers"));
        }
        Gpt model = new Gpt(config, rng.split());
        Fused.apply(model);              // the same model with hand-written layer norm, GELU and attention softmax
        AdamW optimizer = new AdamW(ParamGroups.decayMatricesOnly(model.namedParameters(), 0.1f),  // not biases, norms
                AdamW.Config.defaults().withLr(ctx.floatOption("lr")).withBetas(0.9f, 0.99f).withWeightDecay(0.1f));
        ctx.printf("corpus %s: %,d characters, vocabulary of %d%n", corpusPath, corpus.length(), corpus.vocabSize());
        ctx.printf("model: %d layers, %d heads, %d channels, context %d, %,d parameters%n",
                config.nLayer(), config.nHead(), config.nEmbd(), config.blockSize(), model.parameterCount());
        walkThrough(ctx, config);

        Result result = new Result();
        if (ctx.flag("sample")) {
            requireCheckpoint(checkpoint);
            Checkpoint.load(checkpoint, model);
            ctx.println("loaded " + checkpoint);
        } else {
            // the checkpoint describes itself: Gpt.load(path) rebuilds the model and its tokenizer
            CharTokenizer tokenizer = new CharTokenizer(corpus.vocabulary());
            try (TrainingRun run = new TrainingRun(ctx, checkpoint, model, optimizer, Map.of("corpus", corpusPath),
                    (file, meta) -> model.save(file, tokenizer, optimizer, meta))) {
                long startStep = ctx.flag("resume") ? run.resume() : 0;
                train(ctx, corpus, model, optimizer, startStep, run, result);
            }
        }

        ctx.section("sample");
        String prompt = ctx.option("prompt");
        int[] ids = model.generate(corpus.encode(prompt), GenerationConfig.sampled(ctx.intOption("tokens"),
                Sampler.topK(ctx.floatOption("temperature"), ctx.intOption("top-k"))), rng.split());
        String text = corpus.decode(ids);
        ctx.println(text);
        result.note("sample", text.length() > 60 ? text.substring(0, 60).replace("\n", "\\n") + "..." : text);
        result.metric("sample_characters", text.length());
        return result;
    }

    /**
     * Trains from {@code startStep} to the run's last step (--steps counts the whole run, so a
     * resumed run ends where an uninterrupted one would), checkpointing through {@code run}.
     */
    private void train(ChapterContext ctx, TextCorpus corpus, Gpt model, AdamW optimizer, long startStep,
                       TrainingRun run, Result result) {
        TextCorpus.Split split = corpus.split(0.9);
        int steps = ctx.steps(1000, 250);
        int batchSize = ctx.intOption("batch-size");
        int blockSize = model.config.blockSize();
        int evalEvery = Math.max(1, steps / 10);
        WarmupCosine schedule = new WarmupCosine(ctx.floatOption("lr"), ctx.floatOption("lr") / 10,
                Math.min(100, steps / 10), steps);
        List<Double> trainCurve = new ArrayList<>();
        List<Double> evalSteps = new ArrayList<>();
        List<Double> valCurve = new ArrayList<>();
        List<Double> trainAtEval = new ArrayList<>();
        ctx.section("training for " + steps + " steps of " + batchSize + " x " + blockSize + " characters"
                + (startStep > 0 ? ", from step " + (startStep + 1) : ""));
        double bigram = new BigramBaseline(split.train(), corpus.vocabSize()).crossEntropy(split.val());
        ctx.printf("bigram baseline (next character from the current one, counted on the same training text): "
                + "validation loss %.3f%n", bigram);
        result.metric("bigram_val_loss", bigram);
        if (startStep == 0) {                    // the curves start before any training
            evalSteps.add(0.0);
            valCurve.add(CharWindows.meanLoss(model, split.val(), batchSize, blockSize, 8, new Rng(ctx.seed() + 1)));
            trainAtEval.add(CharWindows.meanLoss(model, split.train(), batchSize, blockSize, 8, new Rng(ctx.seed() + 2)));
        }
        ProgressReporter progress = ctx.progress("train", Math.max(0, steps - startStep));
        double lastVal = Double.NaN;
        boolean stopped = false;
        StepArena arena = new StepArena();   // each step reuses the storage of the one before (see StepArena)
        for (long step = startStep + 1; step <= steps; step++) {
            optimizer.setLearningRate(schedule.at(step));
            Rng batchRng = TrainingRun.stepRng(ctx.seed(), step);
            IntTensor[] batch = CharWindows.sample(split.train(), batchSize, blockSize, batchRng);
            float lossValue;
            try (var scope = arena.open()) {
                Tensor loss = model.loss(batch[0], batch[1]);
                optimizer.zeroGrad();
                loss.backward();
                GradClip.clipByNorm(model.parameters(), 1f);
                optimizer.step();
                lossValue = loss.item();
            }
            trainCurve.add((double) lossValue);
            progress.update(step - startStep, lossValue, (long) batchSize * blockSize);
            if (step % evalEvery == 0 || step == steps) {
                lastVal = CharWindows.meanLoss(model, split.val(), batchSize, blockSize, 8, new Rng(ctx.seed() + 1));
                evalSteps.add((double) step);
                valCurve.add(lastVal);
                trainAtEval.add(progress.smoothedLoss());
                progress.log(String.format(java.util.Locale.ROOT, "step %d: train %.3f, val %.3f (perplexity %.2f)",
                        step, progress.smoothedLoss(), lastVal, Math.exp(lastVal)));
            }
            if (run.afterStep(step, lossValue)) {
                stopped = true;
                break;
            }
        }
        if (startStep >= steps) {
            ctx.println("the checkpoint has completed all " + steps + " steps already (--steps sets the run's length)");
        } else if (!stopped) {
            run.save(steps);
            ctx.println("checkpoint written to " + ctx.outFile(CHECKPOINT));
        }
        progress.finish();
        if (trainCurve.isEmpty() || valCurve.size() < 2) {
            result.metric("steps_trained", trainCurve.size());
            return;
        }
        new LineChart("GPT on " + (ctx.quick() ? "the sonnets" : "Tiny Shakespeare"), "step", "cross-entropy (nats)")
                .series("train (smoothed)", toArray(evalSteps), toArray(trainAtEval))
                .series("validation", toArray(evalSteps), toArray(valCurve))
                .series("bigram baseline (validation)", new double[] {0, steps}, new double[] {bigram, bigram})
                .save(ctx.outFile("loss.png"));
        ctx.printf("validation loss %.3f against the bigram model's %.3f: %.3f nats per character from the context%n",
                lastVal, bigram, bigram - lastVal);
        result.metric("initial_loss", trainCurve.get(0));
        result.metric("train_loss", progress.smoothedLoss());
        result.metric("val_loss", lastVal);
        result.metric("val_perplexity", Math.exp(lastVal));
        result.metric("uniform_loss", Math.log(corpus.vocabSize()));
        result.metric("steps_trained", trainCurve.size());
    }

    /** Prints the path of one batch through the model, with this configuration's sizes. */
    private static void walkThrough(ChapterContext ctx, GptConfig c) {
        ctx.section("the model, step by step (B windows of T = " + c.blockSize() + " characters)");
        int channels = c.nEmbd();
        ctx.printf("  ids (B, T) -> wte (B, T, %d) + %s%n", channels, c.rotary()
                ? "nothing: RoPE rotates queries and keys inside attention (see positional-encoding)"
                : "wpe (T, %d), a learned vector per position (see positional-encoding)".formatted(channels));
        ctx.printf("  %d x block: x + attention(LayerNorm(x)), %d heads of %d, causal mask (see attention)%n",
                c.nLayer(), c.nHead(), channels / c.nHead());
        ctx.printf("             x + MLP(LayerNorm(x)): %d -> %d -> GELU -> %d, each position alone%n", channels,
                4 * channels, channels);
        ctx.printf("  LayerNorm -> head: (B, T, %d) scores, one per character (see sampling)%n", c.vocabSize());
    }

    private static void requireCheckpoint(Path checkpoint) {
        if (!Files.isRegularFile(checkpoint)) {
            throw new IllegalArgumentException("no checkpoint at " + checkpoint + ": train first (without --sample), "
                    + "or point --out at the folder that holds " + CHECKPOINT);
        }
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
