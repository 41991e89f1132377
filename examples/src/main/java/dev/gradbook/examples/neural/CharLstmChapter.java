package dev.gradbook.examples.neural;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.language.CharWindows;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.Linear;
import dev.gradbook.nn.Module;
import dev.gradbook.nn.data.OneHot;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.Adam;
import dev.gradbook.nn.optim.GradClip;
import dev.gradbook.nn.recurrent.LSTM;
import dev.gradbook.nn.recurrent.LSTMCell;
import dev.gradbook.nn.train.ProgressReporter;
import dev.gradbook.transformer.gpt.Sampler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>char-lstm: an LSTM that writes sonnets, one character at a time</h2>
 *
 * <p>A character-level language model reads text and, after every character, gives a
 * probability to each possible next one. Trained on Shakespeare's 154 sonnets, it learns
 * spelling, spacing, line lengths and capitals from nothing but the characters, and it can
 * then write by sampling a character, feeding it back in, and sampling again (Karpathy, "The
 * unreasonable effectiveness of recurrent neural networks", 2015; Graves, "Generating sequences
 * with recurrent neural networks", 2013, section 3).
 * <pre>
 *   x_t           one-hot vector of character t                          (V = 61 characters)
 *   h_t, c_t    = LSTM(x_t, (h_{t-1}, c_{t-1}))                          hidden size 128
 *   p(x_{t+1} | x_1..x_t) = softmax(W h_t + b)
 *   L = -1/(B T) sum_b sum_t log p(x_{t+1} = the true next character)
 * </pre>
 * Training runs on random windows of 64 characters from the first 90% of the text
 * (truncated backpropagation through time: the state starts from zero in every window), with
 * Adam and gradient clipping. The last 10% (the final sonnets) is the validation text, never
 * trained on. Sampling divides the logits by a temperature {@code tau} before the softmax:
 * {@code tau < 1} sharpens the distribution (safer, more repetitive text), {@code tau > 1}
 * flattens it (more surprising, more misspelt).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The loss starts at {@code ln 61 = 4.11} nats, a uniform guess, and after 400 steps the
 *       validation loss is 1.84 at seed 42, a perplexity of 6.3: the model hesitates between
 *       about six characters on average, against 61 at the start.</li>
 *   <li>{@code loss.png}: train and validation fall together, the validation loss a little
 *       above; with 85,000 training characters and 105,661 parameters, a much longer run
 *       starts to overfit (exercise 1).</li>
 *   <li>The samples: at temperature 0.5 mostly real words ("the", "thou", "beauty", "love",
 *       "world") in a safe, repetitive stream; at 1.0 line breaks, punctuation and capitals, but
 *       more invented words. Neither makes sense: 128 numbers of state carry spelling and
 *       rhythm, not meaning.</li>
 * </ul>
 * With {@code --quick}: hidden size 64, windows of 32 and 100 steps; the validation loss (2.29)
 * is still far below {@code ln 61}, and the samples have spaces, short words and line breaks.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Train with {@code --steps 3000}. When does the validation loss stop falling while the
 *       training loss goes on? What do the samples look like then?</li>
 *   <li>Sample at temperature 0.1 and 2.0. Explain what you see from the formula.</li>
 *   <li>Replace the LSTM by the plain RNN of the {@code rnn} chapter. How much higher is the
 *       validation loss at the same budget?</li>
 * </ol>
 */
public final class CharLstmChapter implements Chapter {
    private static final String CORPUS = "text/shakespeare_sonnets.txt";
    private static final int VAL_BATCHES = 8;

    @Override
    public String id() {
        return "char-lstm";
    }

    @Override
    public Part part() {
        return Part.NEURAL_NETWORKS;
    }

    @Override
    public String summary() {
        return "a character-level LSTM trained on the sonnets: validation loss, samples at two temperatures";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("hidden", "128", "LSTM hidden size (--quick: 64)"),
                Option.positiveInt("window", "64", "characters per training window (--quick: 32)"),
                Option.positiveInt("batch-size", "32", "windows per step"),
                Option.positiveFloat("lr", "1e-2", "Adam learning rate"),
                Option.value("prompt", "Shall I compare thee", "text the samples start from"),
                Option.positiveInt("length", "300", "characters to generate per sample"));
    }

    /** One-hot characters into an LSTM, a Linear read-out of every state: {@code (B, T) ids -> (B*T, V) logits}. */
    static final class CharModel extends Module {
        final int vocab;
        final LSTM lstm;
        final Linear head;

        CharModel(int vocab, int hidden, Rng rng) {
            this.vocab = vocab;
            this.lstm = child("lstm", new LSTM(vocab, hidden, rng));
            this.head = child("head", new Linear(hidden, vocab, rng));
        }

        Tensor logits(IntTensor ids) {
            int b = ids.size(0);
            int t = ids.size(1);
            Tensor x = OneHot.encode(ids.reshape(b * t), vocab).reshape(b, t, vocab); // (B, T, V)
            Tensor h = lstm.forward(x).output();                                      // (B, T, H)
            return head.forward(h.reshape(b * t, lstm.hiddenSize));                   // (B*T, V)
        }

        /** The mean cross-entropy of predicting {@code targets (B, T)} from {@code ids (B, T)}. */
        Tensor loss(IntTensor ids, IntTensor targets) {
            return Losses.crossEntropy(logits(ids), targets.reshape(-1));
        }
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        TextCorpus corpus;
        try (var in = ctx.openData(CORPUS)) {
            corpus = TextCorpus.read(in, ctx.dataSource(CORPUS));
        }
        TextCorpus.Split split = corpus.split(0.9);
        int hidden = ctx.quick() ? 64 : ctx.intOption("hidden");
        int window = ctx.quick() ? 32 : ctx.intOption("window");
        int batchSize = ctx.intOption("batch-size");
        int steps = ctx.steps(400, 100);
        Rng rng = ctx.rng();
        CharModel model = new CharModel(corpus.vocabSize(), hidden, rng.split());
        double uniform = Math.log(corpus.vocabSize());
        ctx.printf("the sonnets: %,d characters (%,d to train on, %,d to validate), vocabulary of %d%n",
                corpus.length(), split.train().size(0), split.val().size(0), corpus.vocabSize());
        ctx.out().print(model);
        ctx.printf("a uniform guess scores ln %d = %.3f nats per character%n", corpus.vocabSize(), uniform);

        ctx.section("training: " + steps + " steps of " + batchSize + " windows of " + window + " characters");
        Adam optimizer = new Adam(model.namedParameters(), ctx.floatOption("lr"));
        ProgressReporter progress = ctx.progress("train", steps);
        int evalEvery = Math.max(1, steps / 10);
        List<double[]> curve = new ArrayList<>(); // {step, smoothed train loss, validation loss}
        Rng data = rng.split();
        double firstLoss = Double.NaN;
        double untrainedVal = validationLoss(model, split.val(), batchSize, window, ctx.seed());
        for (int s = 1; s <= steps; s++) {
            IntTensor[] batch = CharWindows.sample(split.train(), batchSize, window, data); // (B, T) each
            Tensor loss = model.loss(batch[0], batch[1]);
            optimizer.zeroGrad();
            loss.backward();
            GradClip.clipByNorm(model.parameters(), 1f);
            optimizer.step();
            if (s == 1) { // the loss of the untrained model (computed before the update): where both curves start
                firstLoss = loss.item();
                curve.add(new double[] {0, firstLoss, untrainedVal});
            }
            progress.update(s, loss.item(), (long) batchSize * window);
            if (s % evalEvery == 0 || s == steps) {
                double val = validationLoss(model, split.val(), batchSize, window, ctx.seed());
                curve.add(new double[] {s, progress.smoothedLoss(), val});
                progress.log(String.format(Locale.ROOT, "step %d: train %.3f, validation %.3f (perplexity %.2f)",
                        s, progress.smoothedLoss(), val, Math.exp(val)));
            }
        }
        progress.finish();
        double valLoss = curve.get(curve.size() - 1)[2];

        new LineChart("Character-level LSTM on the sonnets", "step", "cross-entropy (nats per character)")
                .series("train (smoothed)", column(curve, 0), column(curve, 1))
                .series("validation", column(curve, 0), column(curve, 2))
                .series("uniform guess", new double[] {0, steps}, new double[] {uniform, uniform})
                .save(ctx.outFile("loss.png"));
        ctx.println("picture: loss.png in " + ctx.outDir());

        Result result = new Result()
                .metric("uniform_loss", uniform)
                .metric("initial_loss", firstLoss)
                .metric("train_loss", progress.smoothedLoss())
                .metric("val_loss", valLoss)
                .metric("val_perplexity", Math.exp(valLoss));
        String prompt = ctx.option("prompt");
        for (float tau : new float[] {0.5f, 1.0f}) {
            ctx.section("sample at temperature " + tau);
            String text = prompt + generate(model, corpus, prompt, ctx.intOption("length"), tau, rng.split());
            ctx.println(text);
            result.note(String.format(Locale.ROOT, "sample_t%.1f", tau),
                    text.substring(0, Math.min(60, text.length())).replace("\n", "\\n") + "...");
        }
        return result;
    }

    /** The mean loss on {@value #VAL_BATCHES} batches of validation windows, the same windows every time. */
    private static double validationLoss(CharModel model, IntTensor val, int batchSize, int window, long seed) {
        Rng fixed = new Rng(seed + 1);
        double total = 0;
        try (var noGrad = Autograd.noGrad()) {
            for (int i = 0; i < VAL_BATCHES; i++) {
                IntTensor[] batch = CharWindows.sample(val, batchSize, window, fixed);
                total += model.loss(batch[0], batch[1]).item();
            }
        }
        return total / VAL_BATCHES;
    }

    /**
     * Feeds {@code prompt} through the LSTM cell one character at a time, then samples
     * {@code length} more, each fed back as the next input. The state {@code (h, c)} carries
     * everything the model remembers of the text so far.
     */
    static String generate(CharModel model, TextCorpus corpus, String prompt, int length, float temperature, Rng rng) {
        LSTMCell cell = model.lstm.cell(0);
        Sampler sampler = Sampler.temperature(temperature);
        StringBuilder out = new StringBuilder();
        try (var noGrad = Autograd.noGrad()) {
            LSTMCell.State state = null;
            int[] ids = corpus.encode(prompt.isEmpty() ? "\n" : prompt); // the model needs at least one character
            Tensor logits = null;
            for (int id : ids) {
                state = cell.forward(OneHot.encode(new int[] {id}, model.vocab), state); // h, c: (1, H)
                logits = model.head.forward(state.h());                                 // (1, V)
            }
            for (int i = 0; i < length; i++) {
                int next = sampler.sample(logits.data(), rng);
                out.append(corpus.decode(new int[] {next}));
                state = cell.forward(OneHot.encode(new int[] {next}, model.vocab), state);
                logits = model.head.forward(state.h());
            }
        }
        return out.toString();
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }
}
