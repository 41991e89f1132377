package dev.gradbook.examples.llm;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.llm.eval.CharModel;
import dev.gradbook.examples.llm.eval.CountModel;
import dev.gradbook.examples.llm.eval.MlpCharModel;
import dev.gradbook.examples.llm.eval.Scores;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.nn.metrics.Bleu;
import dev.gradbook.nn.metrics.ExactMatch;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * <h2>evaluation: perplexity, accuracy, exact match and BLEU, each checked before it is trusted</h2>
 *
 * <p>A number about a model is only as good as the code that computed it, so this chapter first
 * runs each metric on a case whose answer is known, and only then applies them to four models of
 * Tiny Shakespeare, from a uniform guess to a small neural network.
 * <ul>
 *   <li><b>Perplexity</b> {@code PPL = exp(-1/N sum_t log p(x_t | x_<t))}: the exponentiated mean
 *       cross-entropy, "how many characters the model is choosing between". Known case: a uniform
 *       model over {@code V} characters has perplexity exactly {@code V}.</li>
 *   <li><b>Accuracy</b>: how often the most probable next character is the right one.</li>
 *   <li><b>Exact match</b> (SQuAD, Rajpurkar et al. 2016, section 5): the share of answers equal to a
 *       reference after lower-casing and removing punctuation and articles. Here the "question" is
 *       the text up to the second letter of a word of five or more letters, and the answer is the
 *       word as the model finishes it greedily. Known case: "The Eiffel Tower." matches
 *       "eiffel tower".</li>
 *   <li><b>BLEU</b> (Papineni et al. 2002, section 2): clipped n-gram precision with a brevity
 *       penalty, the classic translation score. Known case: the paper's own example, whose
 *       published BLEU-4 is 0.5046. On the models it scores the words of a 40-character greedy
 *       continuation against the words that really follow, as BLEU-1 (unigram precision times the
 *       brevity penalty) and BLEU-2. There is no single right continuation of a play, so matching
 *       word pairs are rare and BLEU-2 stays near zero even for the best model: BLEU measures
 *       closeness to a reference, which suits translation and not open-ended writing.</li>
 * </ul>
 * The models: uniform (order 0), unigram and bigram counts with add-one smoothing, and a
 * Bengio-style MLP over the previous 4 characters trained here.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The known cases print the expected and computed values side by side; they must agree.</li>
 *   <li>Every metric orders the models the same way, but they disagree on how far apart they are:
 *       seed 42, default run: perplexity 65.0 (uniform), 28.6 (unigram), 12.0 (bigram), 7.9 (MLP);
 *       accuracy 0.040, 0.150, 0.270, 0.395; exact match 0, 0, 0, 0.020; BLEU-1 0, 0, 0.016, 0.025.
 *       Perplexity moves smoothly with the probabilities, while accuracy and exact match only count
 *       the top choice: the bigram model is far better than the unigram one by perplexity but
 *       finishes no word correctly, and BLEU is zero for a model that never writes a matching word.</li>
 *   <li>Greedy continuations repeat themselves ("the the the"): a known weakness of greedy decoding
 *       (the sampling chapter shows the cures); BLEU's clipping stops it from being rewarded.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --context 8}: a longer window for the MLP. Which metric shows the gain most clearly?</li>
 *   <li>{@code --steps 2000}: train longer; does exact match keep up with perplexity?</li>
 *   <li>{@code --continuation 80}: longer continuations. Why does BLEU fall?</li>
 * </ol>
 */
public final class EvaluationChapter implements Chapter {
    private static final String CORPUS = "text/tinyshakespeare.txt";
    private static final double PAPER_BLEU = 0.5045666840058485;

    @Override
    public String id() {
        return "evaluation";
    }

    @Override
    public Part part() {
        return Part.LLMS;
    }

    @Override
    public String summary() {
        return "perplexity, accuracy, exact match and BLEU: checked on known cases, then on four models";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.intInRange("context", "4", 1, 32, "characters the neural model sees"),
                Option.intInRange("continuation", "40", 8, 200, "characters of each greedy continuation"),
                Option.positiveInt("prompts", "300", "word starts to continue"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Result result = new Result();
        checkKnownCases(ctx, result);
        TextCorpus corpus;
        try (var in = ctx.openData(CORPUS)) {
            corpus = TextCorpus.read(in, ctx.dataSource(CORPUS));
        }
        TextCorpus.Split split = corpus.split(0.9);
        List<CharModel> models = buildModels(ctx, corpus.vocabSize(), split);
        List<Scores> scores = score(ctx, models, split.val().data(), corpus.vocabulary());
        report(ctx, scores, result);
        return result;
    }

    /** Each metric on an input with a known answer. */
    private static void checkKnownCases(ChapterContext ctx, Result result) {
        ctx.section("the metrics on cases with a known answer");
        int v = 65;
        int[] text = new int[101];
        int[] positions = new int[100];
        for (int i = 0; i < 100; i++) {
            text[i + 1] = (i * 7) % v;
            positions[i] = i + 1;
        }
        double uniform = Scores.perplexity(new CountModel(0, v, new int[0]), text, positions);
        double paper = Bleu.sentence(List.of(words("It is a guide to action that ensures that the military will forever heed Party commands"),
                        words("It is the guiding principle which guarantees the military forces always being under the command of the Party"),
                        words("It is the practical guide for the army always to heed the directions of the party")),
                words("It is a guide to action which ensures that the military always obeys the commands of the party"));
        double em = ExactMatch.score("The Eiffel Tower.", List.of("eiffel tower"));
        ctx.table(List.of("metric", "case", "expected", "computed"), List.of(
                List.of("perplexity", "uniform over 65 characters", "65", String.format("%.6f", uniform)),
                List.of("BLEU-4", "Papineni et al. 2002, example 1", String.format("%.4f", PAPER_BLEU),
                        String.format("%.4f", paper)),
                List.of("exact match", "\"The Eiffel Tower.\" vs \"eiffel tower\"", "1", String.valueOf((int) em))));
        result.metric("check_uniform_perplexity", uniform);
        result.metric("check_paper_bleu", paper);
        result.metric("check_exact_match", em);
    }

    /** Uniform, unigram and bigram counts, and the neural model trained here. */
    private static List<CharModel> buildModels(ChapterContext ctx, int vocab, TextCorpus.Split split) {
        int[] train = split.train().data();
        List<CharModel> models = new ArrayList<>();
        for (int order = 0; order <= 2; order++) {
            models.add(new CountModel(order, vocab, train));
        }
        models.add(trainNeural(ctx, vocab, train));
        return models;
    }

    private static MlpCharModel trainNeural(ChapterContext ctx, int vocab, int[] train) {
        int steps = ctx.steps(1500, 200);
        int batch = 128;
        MlpCharModel model = new MlpCharModel(vocab, ctx.intOption("context"), 128, new Rng(ctx.seed()));
        AdamW opt = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(3e-3f));
        Rng rng = new Rng(ctx.seed() + 1);
        ctx.section("training the neural model: " + steps + " steps of " + batch + " characters");
        ProgressReporter progress = ctx.progress("mlp", steps);
        for (int step = 0; step < steps; step++) {
            int[] positions = randomPositions(rng, train.length, model.context, batch);
            opt.zeroGrad();
            Tensor loss = model.loss(model.windows(train, positions), targets(train, positions));
            loss.backward();
            opt.step();
            progress.update(step + 1, loss.item(), batch);
        }
        progress.finish();
        model.eval();
        return model;
    }

    /** All four scores of every model, on the same held-out positions and prompts. */
    private static List<Scores> score(ChapterContext ctx, List<CharModel> models, int[] val, String vocabulary) {
        Rng rng = new Rng(ctx.seed() + 2);
        int[] positions = randomPositions(rng, val.length, 32, ctx.quick() ? 4000 : 40000);
        int length = ctx.intOption("continuation");
        int[] prompts = wordPrompts(val, rng, ctx.quick() ? 60 : ctx.intOption("prompts"), length, vocabulary);
        List<Scores> out = new ArrayList<>();
        for (CharModel m : models) {
            out.add(Scores.of(m, val, positions, prompts, length, vocabulary));
        }
        return out;
    }

    private static void report(ChapterContext ctx, List<Scores> scores, Result result) {
        ctx.section("four models on held-out text (the last 10% of Tiny Shakespeare)");
        List<List<String>> rows = new ArrayList<>();
        for (Scores s : scores) {
            rows.add(List.of(s.model(), String.format("%.2f", s.perplexity()), String.format("%.3f", s.accuracy()),
                    String.format("%.3f", s.exactMatch()), String.format("%.3f", s.bleu1()),
                    String.format("%.3f", s.bleu2())));
        }
        ctx.table(List.of("model", "perplexity", "accuracy", "exact match", "BLEU-1", "BLEU-2"), rows);
        String[] keys = {"uniform", "unigram", "bigram", "mlp"};
        double[] ppl = new double[scores.size()];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            Scores s = scores.get(i);
            result.metric(keys[i] + "_perplexity", s.perplexity());
            result.metric(keys[i] + "_accuracy", s.accuracy());
            result.metric(keys[i] + "_exact_match", s.exactMatch());
            result.metric(keys[i] + "_bleu1", s.bleu1());
            result.metric(keys[i] + "_bleu2", s.bleu2());
            ppl[i] = s.perplexity();
            names.add(keys[i]);
        }
        new BarChart("Held-out perplexity (lower is better)", "model", "perplexity").categories(names)
                .series("perplexity", ppl).save(ctx.outFile("perplexity.png"));
        ctx.println("picture: perplexity.png in " + ctx.outDir());
    }

    /** {@code n} positions in {@code [from, length)}, drawn with replacement. */
    static int[] randomPositions(Rng rng, int length, int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = from + rng.nextInt(length - from);
        }
        return out;
    }

    private static IntTensor targets(int[] text, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = text[positions[i]];
        }
        return IntTensor.of(out, positions.length);
    }

    /**
     * Prompts that end two letters into a word of at least five letters (the model must finish the
     * word), with room for the continuation.
     */
    static int[] wordPrompts(int[] text, Rng rng, int n, int length, String vocabulary) {
        int[] out = new int[n];
        int found = 0;
        while (found < n) {
            int p = 16 + rng.nextInt(text.length - 24 - length);
            boolean wordStart = !Character.isLetter(vocabulary.charAt(text[p - 1]));
            int letters = 0;
            while (Character.isLetter(vocabulary.charAt(text[p + letters]))) {
                letters++;
            }
            if (wordStart && letters >= 5) {
                out[found++] = p + 2;
            }
        }
        return out;
    }

    private static List<String> words(String s) {
        return Arrays.asList(s.split(" "));
    }
}
