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
import dev.gradbook.examples.llm.eval.MlpCharModel;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.data.TextCorpus;
import dev.gradbook.nn.metrics.PowerLawFit;
import dev.gradbook.nn.optim.AdamW;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.List;

/**
 * <h2>scaling-laws: held-out loss against model size, fitted by a power law</h2>
 *
 * <p>Kaplan et al. 2020 ("Scaling laws for neural language models", section 3) found that the
 * loss of a language model trained well falls as a power of its parameter count,
 * {@code L(N) = a N^-alpha + c}, where {@code c} is the loss no model can beat. This chapter trains
 * character MLPs (the evaluation chapter's model: 4 characters of context, widths 8 to 128) on the
 * same number of Tiny Shakespeare characters, and one width on several amounts of data, and fits
 * the law with {@link PowerLawFit}: a grid over {@code c}, then least squares of
 * {@code log(L - c)} on {@code log N}.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table of parameters and held-out loss; loss falls with size, fast at first, then
 *       flattens towards {@code c}.</li>
 *   <li>The fitted exponent printed; {@code scaling.png} (log y) shows the measured losses and the
 *       fitted curve.</li>
 *   <li>The data sweep: one width, more steps of data, lower loss.</li>
 *   <li>Seed 42, default run (600 steps, about 6 s): held-out loss 2.657, 2.483, 2.409, 2.354, 2.347
 *       for widths 8 to 128; fit L(N) = 1.02e6 N^-1.95 + 2.341: the offset sits just
 *       under the largest models' loss and the exponent is far steeper than Kaplan's 0.076; data sweep 2.797, 2.566, 2.409, 2.299 for 9.6k to 76.8k characters.
 *       Tiny models on a small budget show the trend but not a clean law: the two largest widths
 *       are nearly equal because the budget, not the size, limits them (Kaplan et al. section 4).</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --steps 1200}: a larger token budget. Does the exponent change?</li>
 * </ol>
 */
public final class ScalingLawsChapter implements Chapter {
    private static final String CORPUS = "text/tinyshakespeare.txt";
    private static final int[] WIDTHS = {8, 16, 32, 64, 128};
    private static final int BATCH = 64;
    private static final int CONTEXT = 4;

    @Override
    public String id() {
        return "scaling-laws";
    }

    @Override
    public Part part() {
        return Part.LLMS;
    }

    @Override
    public String summary() {
        return "held-out loss of five model sizes and four data sizes, a fitted power law L(N) = a N^-alpha + c";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positiveInt("steps", "600", "training steps of 64 characters for each model size"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Result result = new Result();
        TextCorpus corpus;
        try (var in = ctx.openData(CORPUS)) {
            corpus = TextCorpus.read(in, ctx.dataSource(CORPUS));
        }
        TextCorpus.Split split = corpus.split(0.9);
        int steps = ctx.quick() ? 150 : ctx.intOption("steps");
        modelSizes(ctx, corpus.vocabSize(), split, steps, result);
        dataSizes(ctx, corpus.vocabSize(), split, steps, result);
        return result;
    }

    private static void modelSizes(ChapterContext ctx, int vocab, TextCorpus.Split split, int steps, Result result) {
        ctx.section("model sizes: " + WIDTHS.length + " widths, " + steps * BATCH + " training characters each");
        double[] params = new double[WIDTHS.length];
        double[] loss = new double[WIDTHS.length];
        for (int i = 0; i < WIDTHS.length; i++) {
            MlpCharModel model = new MlpCharModel(vocab, CONTEXT, WIDTHS[i], new Rng(ctx.seed()));
            params[i] = model.parameterCount();
            loss[i] = trainAndEvaluate(ctx, model, split, steps, "width " + WIDTHS[i]);
            ctx.printf("width %4d  parameters %7.0f  held-out loss %.4f%n", WIDTHS[i], params[i], loss[i]);
            result.metric("loss_width_" + WIDTHS[i], loss[i]);
        }
        PowerLawFit fit = PowerLawFit.fit(params, loss, 400);
        ctx.printf("fit: L(N) = %.3f N^-%.3f + %.3f%n", fit.a(), fit.alpha(), fit.c());
        result.metric("alpha", fit.alpha());
        result.metric("c", fit.c());
        double[] fitted = new double[params.length];
        for (int i = 0; i < params.length; i++) {
            fitted[i] = fit.predict(params[i]);
        }
        new LineChart("Held-out loss against parameters (fit a N^-alpha + c)", "parameters", "loss (nats)").logY(true)
                .series("measured", params, loss).series(String.format("fit, alpha = %.2f", fit.alpha()), params, fitted)
                .save(ctx.outFile("scaling.png"));
        ctx.println("picture: scaling.png in " + ctx.outDir());
    }

    private static void dataSizes(ChapterContext ctx, int vocab, TextCorpus.Split split, int steps, Result result) {
        ctx.section("data sizes: width 32 on a quarter, half, all and twice the budget");
        double[] fractions = {0.25, 0.5, 1, 2};
        for (double f : fractions) {
            int s = (int) Math.round(steps * f);
            double loss = trainAndEvaluate(ctx, new MlpCharModel(vocab, CONTEXT, 32, new Rng(ctx.seed())), split, s, "steps " + s);
            ctx.printf("%6d characters  held-out loss %.4f%n", s * BATCH, loss);
            result.metric("loss_data_" + f, loss);
        }
    }

    private static double trainAndEvaluate(ChapterContext ctx, MlpCharModel model, TextCorpus.Split split, int steps, String label) {
        int[] train = split.train().data();
        AdamW opt = new AdamW(model.namedParameters(), AdamW.Config.defaults().withLr(3e-3f));
        Rng rng = new Rng(ctx.seed() + 1);
        ProgressReporter progress = ctx.progress(label, steps);
        for (int step = 0; step < steps; step++) {
            int[] positions = EvaluationChapter.randomPositions(rng, train.length, CONTEXT, BATCH);
            opt.zeroGrad();
            Tensor loss = model.loss(model.windows(train, positions), targets(train, positions));
            loss.backward();
            opt.step();
            progress.update(step + 1, loss.item(), BATCH);
        }
        progress.finish();
        model.eval();
        int[] val = split.val().data();
        int[] positions = EvaluationChapter.randomPositions(new Rng(ctx.seed() + 2), val.length, CONTEXT, 4000);
        try (var noGrad = Autograd.noGrad()) {
            return model.loss(model.windows(val, positions), targets(val, positions)).item();
        }
    }

    private static IntTensor targets(int[] text, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = text[positions[i]];
        }
        return IntTensor.of(out, positions.length);
    }
}
