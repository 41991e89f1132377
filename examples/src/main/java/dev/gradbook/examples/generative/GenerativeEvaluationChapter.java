package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.BarChart;
import dev.gradbook.nn.generative.DdimSampler;
import dev.gradbook.nn.generative.DiffusionMlp;
import dev.gradbook.nn.generative.NoiseSchedule;
import dev.gradbook.nn.generative.Vae;
import dev.gradbook.nn.metrics.Bleu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * <h2>generative-evaluation: Inception Score, FID and BLEU</h2>
 *
 * <p>A generative model is judged by comparing what it makes with real data, through a fixed
 * network's eyes. Both image scores here use Part 6's judge, a small digit classifier trained once
 * (784-256-64-10, about 97% on MNIST), in place of the Inception-v3 network of the papers:
 * <ul>
 *   <li>Inception Score (Salimans et al., NeurIPS 2016, section 4):
 *       {@code IS = exp( E_x KL( p(y|x) || p(y) ) )}. High when each sample is recognised
 *       confidently and the classes are balanced; between 1 and 10 for digits. It never looks at
 *       real data.</li>
 *   <li>Frechet Inception Distance (Heusel et al., NeurIPS 2017, section 3): fit a Gaussian to the
 *       judge's 64 penultimate features of real and of generated images and take
 *       {@code ||mu_r - mu_g||^2 + Tr(S_r + S_g - 2 (S_r S_g)^(1/2))}. Lower is better; it sees
 *       both quality and variety.</li>
 *   <li>BLEU (Papineni et al., ACL 2002), for text: clipped n-gram precisions against reference
 *       sentences, times a brevity penalty.</li>
 * </ul>
 * Every digit model of this part is trained here again with a smaller budget (VAE, conditional
 * VAE, GAN, conditional GAN, pixel-space diffusion sampled with DDIM) and scored on 500 samples
 * against 1,000 test digits, between two references: another 1,000 real test digits (the best a
 * model can do) and uniform noise (the worst). The expected order is real &lt; model &lt; noise for
 * FID and real > model > noise for IS; the chapter checks it for every model. Numbers from
 * different judges or sample sizes do not compare: FID is biased upward for small samples.
 *
 * <p>BLEU beside them: Papineni et al.'s own example (section 2.1, Example 1): three human
 * references, and as "real" one reference scored against the other two, then the paper's two
 * machine candidates, then the better candidate's words shuffled ("noise"). BLEU-4 of a single
 * sentence is 0 whenever no 4-gram matches (there is no smoothing), so BLEU-2 is printed beside it.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table and {@code fid.png}: every model between real digits and noise; the models'
 *       ranking by FID and by IS need not agree (IS rewards confident, balanced samples; FID
 *       also punishes blur and missing variety).</li>
 *   <li>The BLEU-2 column: candidate 1 above candidate 2 and above its own shuffled words (which
 *       keep every word but few word pairs). The human reference scores below
 *       candidate 1: good translations differ in wording, and n-gram overlap cannot tell; that is
 *       why BLEU is computed against several references and over a whole corpus.</li>
 * </ul>
 * Default run: five models at three quarters of their chapters' budgets, about a minute of CPU.
 * {@code --quick}: a fifth of the steps; the FID order still holds (the quick GAN's IS can drop to
 * the noise's). At seed 42 the default run gave FID / IS: real digits 2.5 / 8.80; VAE 60.4 / 4.65;
 * conditional VAE 59.4 / 7.18; GAN 62.9 / 4.90; conditional GAN 93.1 / 3.88; diffusion 68.6 /
 * 3.96; noise 775.7 / 1.13: every model between real and noise on both scores. BLEU-2:
 * candidate 1 0.745, candidate 2 0.182, shuffled 0.236, a human reference 0.258 (BLEU-4: 0.505 for
 * candidate 1, the published value, and 0 for the others).
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --samples 100}: how much does every FID rise with fewer samples, the real one included?</li>
 *   <li>Score the training images instead of test digits as "generated": what FID does a model that
 *       memorised its data get?</li>
 * </ol>
 */
public final class GenerativeEvaluationChapter implements Chapter {
    @Override
    public String id() {
        return "generative-evaluation";
    }

    @Override
    public Part part() {
        return Part.GENERATIVE;
    }

    @Override
    public String summary() {
        return "Inception Score and FID on a digit classifier's features for every digit model, real and noise; BLEU beside";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.positiveInt("samples", "500", "samples per model (--quick: 200)"));
    }

    /** One row of the comparison. */
    record Scored(String name, double fid, double is) {
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        MnistDigits.Data train = MnistDigits.load(ctx, "train", ctx.quick() ? 5_000 : 20_000);
        MnistDigits.Data test = MnistDigits.load(ctx, "t10k", 2_000);
        int n = ctx.quick() ? 200 : ctx.intOption("samples");
        double budget = ctx.quick() ? 0.2 : 0.75;
        Judge judge = Judge.get(ctx);
        Tensor reference = test.images().narrow(0, 0, 1_000);
        Rng rng = ctx.rng();
        List<Scored> rows = new ArrayList<>();
        rows.add(score(judge, "real test digits", test.images().narrow(0, 1_000, n), reference));
        for (String model : List.of("VAE", "conditional VAE", "GAN", "conditional GAN", "diffusion (DDIM, 20 steps)")) {
            ctx.section(model);
            Tensor samples = trainAndSample(ctx, model, train, budget, n, rng.split());
            rows.add(score(judge, model, samples, reference));
        }
        rows.add(score(judge, "uniform noise", Tensor.rand(new Rng(ctx.seed() + 9), n, MnistDigits.PIXELS), reference));
        Result result = report(ctx, rows);
        bleu(ctx, result);
        return result;
    }

    private static Scored score(Judge judge, String name, Tensor images, Tensor reference) {
        return new Scored(name, judge.fid(images, reference), judge.inceptionScore(images));
    }

    /** Trains one of the part's digit models with {@code budget} times its chapter's steps, returns n samples in [0, 1]. */
    private static Tensor trainAndSample(ChapterContext ctx, String model, MnistDigits.Data train, double budget, int n, Rng rng) {
        int[] labels = MnistDigits.repeatEach(ChosenDigits.ALL, (n + 9) / 10);
        labels = Arrays.copyOf(labels, n);
        Rng sampling = new Rng(ctx.seed() + 3);
        switch (model) {
            case "VAE", "conditional VAE" -> {
                boolean c = model.startsWith("conditional");
                int steps = (int) (1_000 * budget);
                Vae vae = new Vae(MnistDigits.PIXELS, VaeChapter.HIDDEN, c ? 4 : 16, c ? MnistDigits.CLASSES : 0, rng.split());
                VaeChapter.train(vae, train, c ? train.oneHot() : null, steps, 2e-3f, 1f, rng.split(), ctx.progress(model, steps));
                return VaeChapter.sample(vae, c ? MnistDigits.Data.oneHotOf(labels) : null, n, sampling);
            }
            case "GAN", "conditional GAN" -> {
                int steps = (int) (1_500 * budget);
                DigitGan gan = new DigitGan(model.startsWith("conditional"), rng.split());
                gan.train(train, steps, 1e-3f, rng.split(), Tensor.randn(rng, 1, DigitGan.NOISE), new int[1], 1,
                        new double[steps], new double[steps], ctx.progress(model, steps));
                return gan.sample(labels, sampling);
            }
            default -> {
                int steps = (int) (2_000 * budget);
                NoiseSchedule schedule = NoiseSchedule.linear(DiffusionChapter.DIGIT_T);
                DiffusionMlp net = new DiffusionMlp(MnistDigits.PIXELS, DiffusionChapter.DIGIT_HIDDEN, 0, 64, rng.split());
                DiffusionTraining.train(net, schedule, DiffusionChapter.signedDigits(train, false), steps, 1e-3f, rng.split(),
                        ctx.progress("diffusion", steps));
                return DigitPictures.fromSigned(new DdimSampler(schedule, 20, -1f, 1f)
                        .sample(DiffusionTraining.predictor(net, null), sampling, n, MnistDigits.PIXELS));
            }
        }
    }

    private static Result report(ChapterContext ctx, List<Scored> rows) {
        Scored real = rows.get(0);
        Scored noise = rows.get(rows.size() - 1);
        ctx.section("scores on the judge (FID to 1,000 test digits; lower is better. IS: higher is better)");
        List<List<String>> table = new ArrayList<>();
        int fidOrdered = 0;
        int isOrdered = 0;
        Result result = new Result();
        for (Scored s : rows) {
            boolean isModel = s != real && s != noise;
            boolean fidOk = s.fid() > real.fid() && s.fid() < noise.fid();
            boolean isOk = s.is() < real.is() && s.is() > noise.is();
            fidOrdered += isModel && fidOk ? 1 : 0;
            isOrdered += isModel && isOk ? 1 : 0;
            table.add(List.of(s.name(), fmt(s.fid()), fmt(s.is()), isModel ? (fidOk ? "yes" : "NO") + " / " + (isOk ? "yes" : "NO") : "-"));
            String key = s.name().replaceAll("[^a-zA-Z]+", "_").replaceAll("_+$", "").toLowerCase(Locale.ROOT);
            result.metric(key + "_fid", s.fid()).metric(key + "_is", s.is());
        }
        ctx.table(List.of("images", "FID", "Inception Score", "between real and noise (FID / IS)"), table);
        int models = rows.size() - 2;
        ctx.printf("FID puts %d of %d models between real digits and noise; IS puts %d of %d there%n", fidOrdered, models,
                isOrdered, models);
        new BarChart("FID on the judge's features (lower is better)", "images", "FID")
                .categories(rows.stream().map(Scored::name).toList())
                .series("FID", rows.stream().mapToDouble(Scored::fid).toArray())
                .save(ctx.outFile("fid.png"));
        ctx.println("picture: fid.png in " + ctx.outDir());
        return result.metric("models", models).metric("fid_ordered", fidOrdered).metric("is_ordered", isOrdered);
    }

    private static List<String> words(String s) {
        return Arrays.asList(s.split(" "));
    }

    /** Papineni et al.'s Example 1 (section 2.1): three references, two candidates, and shuffled words. */
    private static void bleu(ChapterContext ctx, Result result) {
        List<String> r1 = words("It is a guide to action that ensures that the military will forever heed Party commands");
        List<String> r2 = words("It is the guiding principle which guarantees the military forces always being under the command of the Party");
        List<String> r3 = words("It is the practical guide for the army always to heed the directions of the party");
        List<String> c1 = words("It is a guide to action which ensures that the military always obeys the commands of the party");
        List<String> c2 = words("It is to insure the troops forever hearing the activity guidebook that party direct");
        List<String> shuffled = new ArrayList<>(c1);
        java.util.Collections.shuffle(shuffled, new java.util.Random(ctx.seed()));
        // BLEU-4 of one sentence is 0 as soon as no 4-gram matches (no smoothing), so BLEU-2 is shown beside it
        double real = bleu2(List.of(r2, r3), r1);
        double first = bleu2(List.of(r1, r2, r3), c1);
        double second = bleu2(List.of(r1, r2, r3), c2);
        double noise = bleu2(List.of(r1, r2, r3), shuffled);
        ctx.section("BLEU on Papineni et al.'s example (higher is better)");
        ctx.table(List.of("text", "BLEU-2", "BLEU-4"), List.of(
                List.of("a human reference against the other two", fmt(real), fmt(Bleu.sentence(List.of(r2, r3), r1))),
                List.of("candidate 1 (the paper's better translation)", fmt(first), fmt(Bleu.sentence(List.of(r1, r2, r3), c1))),
                List.of("candidate 2", fmt(second), fmt(Bleu.sentence(List.of(r1, r2, r3), c2))),
                List.of("candidate 1's words shuffled", fmt(noise), fmt(Bleu.sentence(List.of(r1, r2, r3), shuffled)))));
        result.metric("bleu_reference", real).metric("bleu_candidate1", first).metric("bleu_candidate2", second)
                .metric("bleu_shuffled", noise);
    }

    private static double bleu2(List<List<String>> references, List<String> candidate) {
        return Bleu.corpus(List.of(references), List.of(candidate), 2);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
