package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.nn.generative.DdimSampler;
import dev.gradbook.nn.generative.DdpmSampler;
import dev.gradbook.nn.generative.DiffusionMlp;
import dev.gradbook.nn.generative.NoiseSchedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <h2>diffusion: learning to undo noise (DDPM), and sampling in fewer steps (DDIM)</h2>
 *
 * <p>A denoising diffusion probabilistic model (Ho, Jain and Abbeel, NeurIPS 2020) fixes a
 * forward process that destroys data in T small steps of Gaussian noise, and learns to run it
 * backwards. Forward (section 2, equations 2 and 4):
 * <pre>
 *   q(x_t | x_(t-1)) = N( sqrt(1 - beta_t) x_(t-1), beta_t I )
 *   q(x_t | x_0)     = N( sqrt(alphaBar_t) x_0, (1 - alphaBar_t) I ),   alphaBar_t = prod over s &lt;= t of (1 - beta_s)
 * </pre>
 * so any {@code x_t} is one line away from {@code x_0}: {@code x_t = sqrt(alphaBar_t) x_0 +
 * sqrt(1 - alphaBar_t) eps}. A network {@code eps_theta(x_t, t)} is trained to tell the noise
 * that was added (section 3.2, equation 14, Algorithm 1):
 * <pre>
 *   L_simple = E_(x_0, t, eps) || eps - eps_theta( sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps, t ) ||^2
 * </pre>
 * Sampling (Algorithm 2) starts from pure noise and takes T reverse steps
 * {@code x_(t-1) = (x_t - beta_t / sqrt(1 - alphaBar_t) eps_theta) / sqrt(alpha_t) + sigma_t z}.
 * DDIM (Song, Meng and Ermon, ICLR 2021, section 4, equation 12) reuses the same trained network
 * with a deterministic update that jumps between the steps of a short subsequence: here 20 of
 * 200 network evaluations on digits. The network is a time-conditioned MLP ({@code DiffusionMlp}:
 * the step's sinusoidal embedding added inside every layer) in place of the paper's U-Net: an MLP
 * is what two CPU cores can train in seconds. Library pieces: {@code NoiseSchedule},
 * {@code DdpmSampler}, {@code DdimSampler}, {@code DiffusionMlp} in {@code dev.gradbook.nn.generative}.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Part 1, eight Gaussians (T = 100): modes covered and high-quality fraction for DDPM (100
 *       steps) and DDIM (10 steps), as for the GANs, and the mean distance of the samples to the
 *       circle. No adversary, no mode hopping: the loss is a plain regression. But it is slow to
 *       learn the modes' fine width: {@code toy-samples.png} shows every mode found and the
 *       samples still spread along the circle between them (a GAN's samples are tighter at the
 *       same budget; run {@code --quick} to see an earlier, blurrier stage).</li>
 *   <li>{@code forward-process.png}: one test digit at increasing t: the closed form at work.</li>
 *   <li>Part 2, digits (T = 200): time per sample and FID (on the judge's features) for DDPM with
 *       200 steps and DDIM with 20. DDIM is about ten times faster per sample; its FID is printed
 *       beside DDPM's, with real digits and noise for scale.</li>
 *   <li>{@code ddpm-samples.png}, {@code ddim-samples.png}, and {@code reverse-process.png}: eight
 *       DDIM trajectories from noise to digit.</li>
 * </ul>
 * Default run: 3,000 toy steps, 2,500 digit steps of 64 on 20,000 images; about 45 seconds of CPU.
 * At seed 42: toy DDPM and DDIM both cover 8 of 8 modes (38.1% and 33.2% of samples within 3 std;
 * mean distance to the circle 0.075 and 0.121 against 0.039 for real points and 0.864 for the
 * starting noise); digits: DDPM 105 ms per sample, FID 81.5, IS 4.02; DDIM (20 steps) 11.8 ms,
 * FID 87.1, IS 3.77: 8.9 times faster for a slightly worse FID (real digits 1.8, noise 779).
 * Timings at a load average of about 26 on two cores. {@code --quick}: 1,000 toy steps, 300 digit steps.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --ddim-steps 5} and {@code --ddim-steps 50}: where does DDIM's FID stop improving?</li>
 *   <li>{@code --steps 8000}: how much do longer training runs improve the digits' FID?</li>
 * </ol>
 */
public final class DiffusionChapter implements Chapter {
    static final int TOY_T = 100;
    static final int DIGIT_T = 200;
    static final int[] DIGIT_HIDDEN = {512, 512};

    @Override
    public String id() {
        return "diffusion";
    }

    @Override
    public Part part() {
        return Part.GENERATIVE;
    }

    @Override
    public String summary() {
        return "DDPM forward and reverse process on 2-D points and digits; DDIM with 10x fewer steps: time and FID";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("ddim-steps", "20", "DDIM steps on digits (of " + DIGIT_T + ")"),
                Option.positiveInt("samples", "200", "digits sampled by each sampler for the FID (--quick: 100)"),
                Option.positiveFloat("lr", "1e-3", "Adam learning rate"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        Result result = new Result();
        toy(ctx, result);
        digits(ctx, result);
        return result;
    }

    private static void toy(ChapterContext ctx, Result result) {
        int steps = ctx.quick() ? 1_000 : 3_000;
        ctx.section("eight Gaussians, T = " + TOY_T + ", " + steps + " training steps of 256");
        NoiseSchedule schedule = NoiseSchedule.linear(TOY_T);
        Rng rng = new Rng(ctx.seed());
        DiffusionMlp model = new DiffusionMlp(2, new int[] {128, 128}, 0, 32, rng.split());
        DiffusionTraining.train(model, schedule, r -> new DiffusionTraining.Batch(EightGaussians.sample(r, 256), null),
                steps, ctx.floatOption("lr"), rng.split(), ctx.progress("toy", steps));
        Tensor ddpm = new DdpmSampler(schedule).sample(DiffusionTraining.predictor(model, null), new Rng(ctx.seed() + 1), 2_000, 2);
        Tensor ddim = new DdimSampler(schedule, 10).sample(DiffusionTraining.predictor(model, null), new Rng(ctx.seed() + 2), 2_000, 2);
        EightGaussians.Coverage a = EightGaussians.coverage(ddpm);
        EightGaussians.Coverage b = EightGaussians.coverage(ddim);
        Tensor start = Tensor.randn(new Rng(ctx.seed() + 3), 2_000, 2);
        ctx.table(List.of("samples", "network evaluations", "modes covered", "within 3 std of a mode", "mean distance to the circle"),
                List.of(List.of("real points", "-", "8 of 8", "98.9% (3 std of a 2-D Gaussian)",
                                fmt3(EightGaussians.ringError(EightGaussians.sample(new Rng(1), 2_000)))),
                        List.of("DDPM", Integer.toString(TOY_T), a.modes() + " of 8", pct(a.highQuality()), fmt3(EightGaussians.ringError(ddpm))),
                        List.of("DDIM", "10", b.modes() + " of 8", pct(b.highQuality()), fmt3(EightGaussians.ringError(ddim))),
                        List.of("the starting noise x_T", "-", "-", "-", fmt3(EightGaussians.ringError(start)))));
        GanChapter.saveScatter(ctx, ddpm, "DDPM samples (" + TOY_T + " steps) and real points", "toy-samples.png");
        result.metric("toy_ddpm_modes", a.modes()).metric("toy_ddpm_high_quality", a.highQuality())
                .metric("toy_ddim_modes", b.modes()).metric("toy_ddim_high_quality", b.highQuality())
                .metric("toy_ddpm_ring_error", EightGaussians.ringError(ddpm)).metric("toy_ddim_ring_error", EightGaussians.ringError(ddim))
                .metric("toy_noise_ring_error", EightGaussians.ringError(start));
    }

    private static void digits(ChapterContext ctx, Result result) throws Exception {
        MnistDigits.Data train = MnistDigits.load(ctx, "train", ctx.quick() ? 5_000 : 20_000);
        MnistDigits.Data test = MnistDigits.load(ctx, "t10k", ctx.quick() ? 500 : 2_000);
        int steps = ctx.steps(2_500, 300);
        int n = ctx.quick() ? 100 : ctx.intOption("samples");
        ctx.section("digits, T = " + DIGIT_T + ", " + steps + " training steps of 64");
        NoiseSchedule schedule = NoiseSchedule.linear(DIGIT_T);
        Rng rng = ctx.rng();
        DiffusionMlp model = new DiffusionMlp(MnistDigits.PIXELS, DIGIT_HIDDEN, 0, 64, rng.split());
        DiffusionTraining.train(model, schedule, signedDigits(train, false), steps, ctx.floatOption("lr"), rng.split(),
                ctx.progress("digits", steps));
        saveForwardProcess(ctx, schedule, test.images().narrow(0, 1, 1));

        long t0 = System.nanoTime();
        Tensor ddpm = DigitPictures.fromSigned(new DdpmSampler(schedule).sample(DiffusionTraining.predictor(model, null),
                new Rng(ctx.seed() + 3), n, MnistDigits.PIXELS));
        double ddpmMs = (System.nanoTime() - t0) / 1e6 / n;
        int ddimSteps = ctx.intOption("ddim-steps");
        DdimSampler ddimSampler = new DdimSampler(schedule, ddimSteps, -1f, 1f);
        t0 = System.nanoTime();
        Tensor ddim = DigitPictures.fromSigned(ddimSampler.sample(DiffusionTraining.predictor(model, null),
                new Rng(ctx.seed() + 4), n, MnistDigits.PIXELS));
        double ddimMs = (System.nanoTime() - t0) / 1e6 / n;

        Judge judge = Judge.get(ctx);
        Tensor real = test.images();
        Judged byDdpm = Judged.of(ctx, judge, ddpm, real);
        double ddimFid = judge.fid(ddim, real.narrow(0, 0, real.size(0) / 2));
        double ddimIs = judge.inceptionScore(ddim);
        ctx.section("DDPM against DDIM on the same network");
        ctx.table(List.of("sampler", "network evaluations", "ms per sample", "FID", "Inception Score"), List.of(
                List.of("DDPM", Integer.toString(DIGIT_T), fmt(ddpmMs), fmt(byDdpm.fid()), fmt(byDdpm.inceptionScore())),
                List.of("DDIM", Integer.toString(ddimSteps), fmt(ddimMs), fmt(ddimFid), fmt(ddimIs))));
        ctx.printf("DDIM is %.1f times faster per sample%n", ddpmMs / ddimMs);
        DigitPictures.save(ctx.outFile("ddpm-samples.png"), "DDPM samples (" + DIGIT_T + " steps)", ddpm.narrow(0, 0, 40), 10, null);
        DigitPictures.save(ctx.outFile("ddim-samples.png"), "DDIM samples (" + ddimSteps + " steps)", ddim.narrow(0, 0, 40), 10, null);
        saveReverseProcess(ctx, model, schedule);
        byDdpm.into(result).metric("ddpm_ms_per_sample", ddpmMs).metric("ddim_ms_per_sample", ddimMs)
                .metric("ddim_fid", ddimFid).metric("ddim_inception_score", ddimIs);
        ctx.println("pictures: toy-samples.png, forward-process.png, ddpm-samples.png, ddim-samples.png, reverse-process.png in "
                + ctx.outDir());
    }

    /** Random batches of 64 digits scaled to [-1, 1], with their one-hot labels if {@code conditional}. */
    static DiffusionTraining.Source signedDigits(MnistDigits.Data data, boolean conditional) {
        return r -> {
            MnistDigits.Data b = data.batch(r, 64);
            return new DiffusionTraining.Batch(b.images().mul(2f).sub(1f), conditional ? b.oneHot() : null);
        };
    }

    private static void saveForwardProcess(ChapterContext ctx, NoiseSchedule schedule, Tensor digit) {
        int[] shown = {0, 10, 25, 50, 100, 150, DIGIT_T - 1};
        List<Tensor> rows = new ArrayList<>();
        String[] captions = new String[shown.length];
        Tensor x0 = digit.mul(2f).sub(1f);                                     // (1, 784)
        for (int i = 0; i < shown.length; i++) {
            rows.add(DigitPictures.fromSigned(schedule.sample(x0, new int[] {shown[i]}, Tensor.randn(new Rng(i), 1, MnistDigits.PIXELS))));
            captions[i] = "t=" + shown[i];
        }
        DigitPictures.save(ctx.outFile("forward-process.png"), "q(x_t | x_0) for one test digit", Tensor.cat(rows, 0),
                shown.length, captions);
    }

    private static void saveReverseProcess(ChapterContext ctx, DiffusionMlp model, NoiseSchedule schedule) {
        List<Tensor> rows = new ArrayList<>();
        int[] budgets = {1, 2, 4, 8, 20};
        for (int s : budgets) {
            // the same start noise, run for more and more DDIM steps: from a blurry mean to a crisp digit
            rows.add(DigitPictures.fromSigned(new DdimSampler(schedule, s, -1f, 1f)
                    .sample(DiffusionTraining.predictor(model, null), new Rng(ctx.seed() + 8), 8, MnistDigits.PIXELS)));
        }
        DigitPictures.save(ctx.outFile("reverse-process.png"), "The same 8 noise images after 1, 2, 4, 8, 20 DDIM steps (rows)",
                Tensor.cat(rows, 0), 8, null);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
