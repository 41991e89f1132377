package dev.gradbook.examples.language;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.transformer.fused.Fused;
import dev.gradbook.transformer.gpt.GenerationConfig;
import dev.gradbook.transformer.gpt.Gpt;
import dev.gradbook.transformer.gpt.GptConfig;
import dev.gradbook.transformer.gpt.Sampler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * <h2>sampling: how a language model chooses its next token, and the KV cache</h2>
 *
 * <p>A language model gives a distribution over the next token, {@code p_i = softmax(z)_i} for
 * logits {@code z}. How to turn it into text is a separate choice (Holtzman et al. 2020, "The
 * Curious Case of Neural Text Degeneration", sections 3-4):
 * <ul>
 *   <li><b>greedy</b>: always the likeliest token. Deterministic, and prone to loops.</li>
 *   <li><b>temperature</b> {@code tau}: sample from {@code softmax(z / tau)}. {@code tau < 1}
 *       sharpens the distribution towards greedy, {@code tau > 1} flattens it towards uniform.</li>
 *   <li><b>top-k</b> (Fan et al. 2018): keep the {@code k} likeliest tokens, renormalise, sample.</li>
 *   <li><b>top-p</b>, nucleus sampling (Holtzman et al. 2020, section 3.1): keep the smallest set
 *       of likeliest tokens whose probabilities add up to {@code p}; the set is small where the
 *       model is sure and large where it is not.</li>
 * </ul>
 *
 * <p>Generating {@code n} tokens one at a time naively reruns the model over the whole context at
 * every step. But in a causal transformer the keys and values of earlier positions never change,
 * so they can be kept: the <b>KV cache</b>. Each step then computes queries, keys and values for
 * the one new token and attends over the cached ones, turning {@code O(n^2)} token-passes into
 * {@code O(n)}; the logits, and so the tokens, are the same.
 *
 * <p>The chapter trains a small character-level GPT (2 layers, 4 heads, 64 channels, RoPE
 * positions so that it can run past its training windows) on Tiny Shakespeare, then samples one
 * prompt with each rule and times greedy generation of {@code --tokens} characters with and
 * without the cache.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Greedy text falls at once into a loop ("the the the ..."); {@code tau = 0.5} repeats
 *       common words; {@code tau = 1.5} is nearly random letters and capitals; top-k and top-p
 *       stay closest to Shakespeare's look while varying. (300 steps leave the model at a loss of
 *       about 2.2: the words are invented, the rhythm of lines and speakers is there.)</li>
 *   <li>{@code next-token.png}: the distribution of the first character after the prompt under
 *       each rule: temperature reshapes it, top-k and top-p cut its tail.</li>
 *   <li>The cache: the two greedy outputs are identical token for token, and the cached one is
 *       many times faster at 256 tokens (default run, seed 42: identical, 1,097 ms against 31 ms,
 *       35x, on a loaded machine; the ratio grows with length, since recomputation costs grow
 *       with the square of it). About 20 s of CPU in all.</li>
 * </ul>
 * With {@code --quick}: the sonnets, 100 training steps, 128 generated tokens.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --prompt "KING RICHARD:"}: another prompt; which rule writes the most plausible
 *       line?</li>
 *   <li>{@code --tokens 64} and {@code --tokens 512}: how does the cache's speed-up change with
 *       length?</li>
 *   <li>{@code --top-p 0.5} and {@code --top-k 2}: how narrow can sampling get before it loops
 *       like greedy?</li>
 * </ol>
 */
public final class SamplingChapter implements Chapter {
    private static final int WINDOW = 64;
    private static final int BATCH = 16;
    private static final int SAMPLE_LENGTH = 160;

    @Override
    public String id() {
        return "sampling";
    }

    @Override
    public Part part() {
        return Part.LANGUAGE;
    }

    @Override
    public String summary() {
        return "greedy, temperature, top-k and top-p on one prompt; the KV cache: same tokens, several times faster";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("prompt", "ROMEO:\n", "the text every rule continues"),
                Option.intInRange("tokens", "256", 1, 1024, "tokens generated for the KV-cache timing (--quick: 128)"),
                Option.positiveInt("top-k", "5", "k of top-k sampling"),
                Option.floatInRange("top-p", "0.9", 0.01f, 1f, "p of nucleus sampling"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        String path = ctx.quick() ? "text/shakespeare_sonnets.txt" : "text/tinyshakespeare.txt";
        TextCorpus corpus;
        try (var in = ctx.openData(path)) {
            corpus = TextCorpus.read(in, ctx.dataSource(path));
        }
        String prompt = ctx.option("prompt");
        for (char c : prompt.toCharArray()) {
            if (corpus.vocabulary().indexOf(c) < 0) {
                throw new IllegalArgumentException("--prompt: the character '" + c + "' does not occur in " + path);
            }
        }
        int tokens = ctx.quick() ? Math.min(128, ctx.intOption("tokens")) : ctx.intOption("tokens");
        GptConfig config = GptConfig.shakespeareChar(corpus.vocabSize()).withNLayer(2).withNEmbd(64)
                .withRotary(true).withBlockSize(prompt.length() + tokens + 1);
        Rng rng = ctx.rng();
        Gpt model = new Gpt(config, rng.split());
        Result result = new Result();
        train(ctx, model, corpus, rng.split(), result);
        int[] ids = corpus.encode(prompt);
        compareRules(ctx, model, corpus, ids, rng.split());
        drawNextToken(ctx, model, corpus, ids);
        kvCache(ctx, model, ids, tokens, result);
        return result;
    }

    private static void train(ChapterContext ctx, Gpt model, TextCorpus corpus, Rng rng, Result result) {
        int steps = ctx.steps(300, 100);
        ctx.printf("model: %,d parameters; training %d steps of %d windows of %d characters%n",
                model.parameterCount(), steps, BATCH, WINDOW);
        Fused.apply(model);
        IntTensor text = corpus.tensor();
        double[] losses = Fit.adamW(ctx, "gpt", model, steps, 3e-3f, s -> {
            IntTensor[] b = CharWindows.sample(text, BATCH, WINDOW, rng);
            return model.loss(b[0], b[1]);
        });
        ctx.printf("loss %.2f -> %.2f (uniform guess %.2f)%n", losses[0], losses[losses.length - 1],
                Math.log(corpus.vocabSize()));
        result.metric("train_loss", losses[losses.length - 1]);
    }

    private record Rule(String name, Sampler sampler) {
    }

    private static List<Rule> rules(ChapterContext ctx) {
        int k = ctx.intOption("top-k");
        float p = ctx.floatOption("top-p");
        return List.of(new Rule("greedy", Sampler.greedy()), new Rule("tau 0.5", Sampler.temperature(0.5f)),
                new Rule("tau 1.0", Sampler.temperature(1f)), new Rule("tau 1.5", Sampler.temperature(1.5f)),
                new Rule("top-k " + k, Sampler.topK(1f, k)), new Rule("top-p " + p, Sampler.topP(1f, p)));
    }

    private static void compareRules(ChapterContext ctx, Gpt model, TextCorpus corpus, int[] prompt, Rng rng) {
        for (Rule rule : rules(ctx)) {
            ctx.section(rule.name());
            int[] out = model.generate(prompt, GenerationConfig.sampled(SAMPLE_LENGTH, rule.sampler()), rng.split());
            ctx.println(corpus.decode(out));
        }
    }

    /** The probabilities of the first character after the prompt under each rule (the ten likeliest). */
    private static void drawNextToken(ChapterContext ctx, Gpt model, TextCorpus corpus, int[] prompt) {
        float[] logits;
        try (var ignored = Autograd.noGrad()) {
            model.eval();
            Tensor all = model.forward(IntTensor.wrap(prompt, 1, prompt.length));               // (1, T, V)
            logits = Arrays.copyOfRange(all.data(), (prompt.length - 1) * corpus.vocabSize(),
                    prompt.length * corpus.vocabSize());
        }
        double[] base = Sampler.temperature(1f).probabilities(logits);
        Integer[] order = new Integer[base.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(base[b], base[a]));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String ch = corpus.decode(new int[] {order[i]});
            names.add(ch.equals("\n") ? "\\n" : ch.equals(" ") ? "' '" : ch);
        }
        BarChart chart = new BarChart("The first character after the prompt under each rule", "character",
                "probability").categories(names).size(1000, 480);
        for (Rule rule : rules(ctx)) {
            if (rule.sampler().temperature() == 0) {
                continue;
            }
            double[] p = rule.sampler().probabilities(logits);
            double[] top = new double[10];
            for (int i = 0; i < 10; i++) {
                top[i] = p[order[i]];
            }
            chart.series(rule.name(), top);
        }
        chart.save(ctx.outFile("next-token.png"));
        ctx.println("\npicture: next-token.png in " + ctx.outDir());
    }

    private static void kvCache(ChapterContext ctx, Gpt model, int[] prompt, int tokens, Result result) {
        ctx.section("the KV cache: " + tokens + " greedy tokens with and without it");
        GenerationConfig greedy = GenerationConfig.greedy(tokens);
        int[] cached = model.generate(prompt, greedy.withKvCache(true), new Rng(0));     // also warms up the JIT
        int[] recomputed = model.generate(prompt, greedy.withKvCache(false), new Rng(0));
        long withCache = Long.MAX_VALUE;
        long without = Long.MAX_VALUE;
        for (int round = 0; round < 2; round++) {
            long t = System.nanoTime();
            model.generate(prompt, greedy.withKvCache(true), new Rng(0));
            withCache = Math.min(withCache, System.nanoTime() - t);
            t = System.nanoTime();
            model.generate(prompt, greedy.withKvCache(false), new Rng(0));
            without = Math.min(without, System.nanoTime() - t);
        }
        boolean identical = Arrays.equals(cached, recomputed);
        double speedUp = (double) without / withCache;
        ctx.printf("identical tokens: %s; without the cache %.0f ms, with it %.0f ms: %.1fx faster "
                + "(best of two runs each)%n", identical ? "yes" : "NO", without / 1e6, withCache / 1e6, speedUp);
        result.metric("kv_identical", identical ? 1 : 0);
        result.metric("kv_speedup", speedUp);
        result.metric("kv_tokens", tokens);
        result.note("kv_ms", String.format(Locale.ROOT, "%.0f without, %.0f with", without / 1e6, withCache / 1e6));
    }
}
