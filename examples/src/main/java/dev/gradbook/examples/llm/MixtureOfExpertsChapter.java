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
import dev.gradbook.examples.llm.moe.MoeLanguageModel;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.nn.loss.Losses;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;

/**
 * <h2>mixture-of-experts: many experts, few used per token, and keeping them all busy</h2>
 *
 * <p>A mixture-of-experts layer (Shazeer et al. 2017, eq. 1-5) holds {@code N} feed-forward
 * "experts" and a small <i>router</i> (gate) that sends each token to only {@code k} of them:
 * <pre>
 *   h(x) = x W_g,   T = top-k of h(x),   g_i = softmax over T of h(x),   y = sum_{i in T} g_i E_i(x)
 * </pre>
 * The parameters grow with {@code N}; the work per token only with {@code k}. That is how Switch
 * Transformers, GShard and Mixtral get very large models at a modest cost per token.
 *
 * <p>The catch is the router. Early in training, an expert that happens to be chosen more often
 * gets more gradient, gets better, and is chosen even more: the rich get richer, and the idle
 * experts are wasted parameters (and, on real hardware, the busy ones become a bottleneck because
 * each expert lives on its own device). Switch Transformers (Fedus et al. 2022, eq. 4-6) add an
 * auxiliary loss
 * <pre>
 *   L_balance = N sum_i f_i P_i
 * </pre>
 * where {@code f_i} is the share of tokens routed to expert {@code i} (a count, no gradient) and
 * {@code P_i} the router's mean probability for it (differentiable). It is 1 when routing is
 * uniform and up to {@code N} when everything goes to one expert; {@code alpha = 0.01} times it is
 * added to the training loss.
 *
 * <p>The chapter trains the same small next-character model on Tiny Shakespeare twice, with the
 * same seed and batches: the layer in the middle is a mixture of 8 experts, top-2. Once without the
 * balancing loss and once with it. Then it counts which experts the validation text is routed to.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The utilisation table and {@code utilisation.png}: without the balancing loss the shares
 *       drift away from the uniform 1/8 = 0.125; with it they stay closer. Seed 42, default run:
 *       busiest expert 0.258 of the tokens and routing balance 0.877 without, 0.232 and 0.949
 *       with. The effect is real but moderate at this size and length of training; in large
 *       models trained for long, unbalanced routers can leave experts with no tokens at all.</li>
 *   <li>The validation losses of the two models are close (2.178 without, 2.165 with): balancing
 *       costs little quality, and on hardware where each expert is a device it is what makes the
 *       model fast at all.</li>
 *   <li>The "routing balance" number is the normalised entropy of the shares: 1 is perfectly even,
 *       0 is everything on one expert.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --alpha 0.1}: a stronger push. Does the loss suffer?</li>
 *   <li>{@code --k 1}: Switch routing, one expert per token. Is imbalance worse or better? What
 *       happens to the validation loss of the balanced run?</li>
 *   <li>{@code --lr 0.003}: a gentler learning rate. Does the router still drift?</li>
 *   <li>{@code --experts 16}: more experts at the same cost per token.</li>
 * </ol>
 */
public final class MixtureOfExpertsChapter implements Chapter {
    private static final String CORPUS = "text/tinyshakespeare.txt";
    private static final int CONTEXT = 4;
    private static final int D_MODEL = 64;
    private static final int BATCH = 128;

    /** One trained model and what was measured of it. */
    record Trained(String name, List<Double> losses, double valLoss, double[] utilisation) {
        double maxShare() {
            double m = 0;
            for (double u : utilisation) {
                m = Math.max(m, u);
            }
            return m;
        }

        /** Entropy of the shares divided by log N: 1 for even routing, 0 for one expert. */
        double balance() {
            double h = 0;
            for (double u : utilisation) {
                if (u > 0) {
                    h -= u * Math.log(u);
                }
            }
            return h / Math.log(utilisation.length);
        }
    }

    @Override
    public String id() {
        return "mixture-of-experts";
    }

    @Override
    public Part part() {
        return Part.LLMS;
    }

    @Override
    public String summary() {
        return "experts, top-k gating and the load-balancing loss: expert utilisation with and without it";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.intInRange("experts", "8", 2, 64, "number of experts N"),
                Option.intInRange("k", "2", 1, 64, "experts per token"),
                Option.nonNegativeFloat("alpha", "0.01", "weight of the load-balancing loss in the balanced run"),
                Option.positiveFloat("lr", "0.01", "AdamW learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        if (ctx.intOption("k") > ctx.intOption("experts")) {
            throw new IllegalArgumentException("--k " + ctx.intOption("k") + " exceeds --experts "
                    + ctx.intOption("experts"));
        }
        TextCorpus corpus;
        try (var in = ctx.openData(CORPUS)) {
            corpus = TextCorpus.read(in, ctx.dataSource(CORPUS));
        }
        TextCorpus.Split split = corpus.split(0.9);
        int steps = ctx.steps(600, 150);
        ctx.section("a next-character model with " + ctx.intOption("experts") + " experts, top-" + ctx.intOption("k")
                + "; " + steps + " steps of " + BATCH + " characters");
        Trained plain = train(ctx, corpus.vocabSize(), split, steps, 0f, "no balancing loss");
        Trained balanced = train(ctx, corpus.vocabSize(), split, steps, ctx.floatOption("alpha"),
                "alpha = " + ctx.floatOption("alpha"));
        report(ctx, plain, balanced);
        draw(ctx, plain, balanced);
        return new Result()
                .metric("plain_max_share", plain.maxShare())
                .metric("plain_balance", plain.balance())
                .metric("plain_val_loss", plain.valLoss())
                .metric("balanced_max_share", balanced.maxShare())
                .metric("balanced_balance", balanced.balance())
                .metric("balanced_val_loss", balanced.valLoss())
                .metric("uniform_share", 1.0 / ctx.intOption("experts"));
    }

    /** Trains one model from the chapter's seed; the batches are the same for both runs. */
    private static Trained train(ChapterContext ctx, int vocab, TextCorpus.Split split, int steps, float alpha,
                                 String name) {
        Rng init = new Rng(ctx.seed());
        Rng batches = new Rng(ctx.seed() + 1);
        MoeLanguageModel model = new MoeLanguageModel(vocab, CONTEXT, D_MODEL, ctx.intOption("experts"),
                ctx.intOption("k"), init);
        AdamW opt = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(ctx.floatOption("lr")));
        ProgressReporter progress = ctx.progress(name, steps);
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            IntTensor[] batch = windows(split.train(), BATCH, batches);
            opt.zeroGrad();
            Tensor loss = model.loss(batch[0], batch[1], alpha);
            loss.backward();
            opt.step();
            losses.add((double) loss.item());
            progress.update(step + 1, loss.item(), BATCH);
        }
        progress.finish();
        return measure(name, model, split.val(), losses, new Rng(ctx.seed() + 2));
    }

    /** Validation loss and the routing shares over validation windows. */
    private static Trained measure(String name, MoeLanguageModel model, IntTensor val, List<Double> losses, Rng rng) {
        model.eval();
        model.moe.resetUtilisation();
        double total = 0;
        int batches = 8;
        try (var ignored = Autograd.noGrad()) {
            for (int b = 0; b < batches; b++) {
                IntTensor[] batch = windows(val, 512, rng);
                total += Losses.crossEntropy(model.forward(batch[0]), batch[1]).item();
            }
        }
        return new Trained(name, losses, total / batches, model.moe.utilisation());
    }

    /** {@code n} random windows: {@code CONTEXT} characters and the one that follows. */
    static IntTensor[] windows(IntTensor text, int n, Rng rng) {
        int[] ids = new int[n * CONTEXT];
        int[] next = new int[n];
        int[] t = text.data();
        for (int b = 0; b < n; b++) {
            int p = CONTEXT + rng.nextInt(t.length - CONTEXT);
            System.arraycopy(t, p - CONTEXT, ids, b * CONTEXT, CONTEXT);
            next[b] = t[p];
        }
        return new IntTensor[] {IntTensor.of(ids, n, CONTEXT), IntTensor.of(next, n)};
    }

    private static void report(ChapterContext ctx, Trained plain, Trained balanced) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < plain.utilisation().length; i++) {
            rows.add(List.of("expert " + i, String.format("%.3f", plain.utilisation()[i]),
                    String.format("%.3f", balanced.utilisation()[i])));
        }
        rows.add(List.of("max share", String.format("%.3f", plain.maxShare()), String.format("%.3f", balanced.maxShare())));
        rows.add(List.of("routing balance", String.format("%.3f", plain.balance()), String.format("%.3f", balanced.balance())));
        rows.add(List.of("validation loss", String.format("%.3f", plain.valLoss()), String.format("%.3f", balanced.valLoss())));
        ctx.section("share of validation tokens routed to each expert (uniform: "
                + String.format("%.3f", 1.0 / plain.utilisation().length) + ")");
        ctx.table(List.of("", plain.name(), balanced.name()), rows);
        ctx.println("pictures: utilisation.png, loss.png in " + ctx.outDir());
    }

    private static void draw(ChapterContext ctx, Trained plain, Trained balanced) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < plain.utilisation().length; i++) {
            names.add(Integer.toString(i));
        }
        new BarChart("Share of tokens per expert", "expert", "share of routed tokens").categories(names)
                .series(plain.name(), plain.utilisation()).series(balanced.name(), balanced.utilisation())
                .save(ctx.outFile("utilisation.png"));
        new LineChart("Training loss (cross-entropy + alpha * balance)", "step", "loss")
                .trainingCurve(plain.name(), plain.losses()).trainingCurve(balanced.name(), balanced.losses())
                .save(ctx.outFile("loss.png"));
    }
}
