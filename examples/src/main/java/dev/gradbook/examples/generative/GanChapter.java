package dev.gradbook.examples.generative;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.ScatterPlot;

import java.util.ArrayList;
import java.util.List;

/**
 * <h2>gan: a generator and a discriminator play a game</h2>
 *
 * <p>A generative adversarial network (Goodfellow et al., "Generative Adversarial Nets", NeurIPS
 * 2014) never writes down a likelihood. A generator {@code G} turns noise {@code z ~ N(0, I)} into
 * samples; a discriminator {@code D} outputs the probability that its input is real; they play
 * the minimax game of equation 1,
 * <pre>
 *   min_G max_D  V(D, G) = E_x[ log D(x) ] + E_z[ log(1 - D(G(z))) ]
 * </pre>
 * whose equilibrium, for unlimited networks, is the generator reproducing the data distribution
 * and D = 1/2 everywhere (section 4, Theorem 1). Training alternates one gradient step of each.
 * In practice the generator minimises {@code -log D(G(z))} instead (section 3: the "non-saturating"
 * loss; same equilibrium, but a strong gradient when D rejects its samples, early on).
 * Library pieces: {@code GanLosses} and {@code MlpCritic} in {@code dev.gradbook.nn.generative}.
 *
 * <p>Part 1 plays the game on 2-D points: eight Gaussians on a circle, where mode collapse (the
 * generator covering only some modes, and hopping between them) can be counted. It is played
 * from {@code --seeds} different seeds. Part 2 plays it on MNIST digits with MLPs (DCGAN's Adam
 * settings, Radford et al. 2016).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The table of seeds: modes covered (of 8) and the fraction of samples within three standard
 *       deviations of a mode. Runs differ from seed to seed; a GAN is not an optimiser converging
 *       to a minimum, and {@code toy-modes.png} shows the modes covered going up and down during
 *       training.</li>
 *   <li>{@code toy-samples.png}: the real points and the generator's points of the first seed.</li>
 *   <li>{@code digits-over-training.png}: the same eight noise vectors decoded at six moments of
 *       training: blobs, then strokes, then digits.</li>
 *   <li>{@code samples.png} and the judge's numbers: FID of the samples to test digits (lower is
 *       better) between that of real digits and that of noise; the Inception Score.</li>
 * </ul>
 * Default run: 3 seeds of 2,000 steps on the toy, then 2,000 steps of 64 digits; about 30 seconds
 * of CPU. At seed 42: 7, 8 and 8 modes covered (64.7%, 83.5%, 59.4% of samples within 3 std);
 * digits FID 37.6 (real digits 1.8, noise 775), Inception Score 5.95. With {@code --quick}: 2 seeds of 1,000 steps, 300 digit steps.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --seeds 6}: how often do all eight modes survive?</li>
 *   <li>{@code --toy-steps 6000}: does longer training cover more modes, or do modes keep coming and going?</li>
 *   <li>Compare with {@code wgan}, which plays a different game on the same toy with the same networks.</li>
 * </ol>
 */
public final class GanChapter implements Chapter {
    @Override
    public String id() {
        return "gan";
    }

    @Override
    public Part part() {
        return Part.GENERATIVE;
    }

    @Override
    public String summary() {
        return "generator vs discriminator: modes of 8 Gaussians over seeds, then MNIST digits; samples over training";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("seeds", "3", "toy runs, each from its own seed (--quick: 2)"),
                Option.positiveInt("toy-steps", "2000", "generator steps on the toy (--quick: 1000)"),
                Option.positiveFloat("lr", "1e-3", "Adam learning rate of the digit GAN (both players)"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        int seeds = ctx.quick() ? Math.min(2, ctx.intOption("seeds")) : ctx.intOption("seeds");
        int toySteps = ctx.quick() ? 1000 : ctx.intOption("toy-steps");
        Result result = new Result();
        toyExperiment(ctx, ToyGan.Game.GAN, seeds, toySteps, result);
        digits(ctx, result);
        return result;
    }

    /** Plays {@code game} on the eight Gaussians from {@code seeds} seeds; prints and records the coverage. */
    static List<ToyGan.Run> toyExperiment(ChapterContext ctx, ToyGan.Game game, int seeds, int steps, Result result) {
        String name = game == ToyGan.Game.GAN ? "GAN" : "WGAN-GP";
        ctx.section(name + " on eight Gaussians, " + seeds + " seeds of " + steps + " generator steps");
        List<ToyGan.Run> runs = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        LineChart modes = new LineChart(name + ": modes covered during training (one line per seed)", "step", "modes (of 8)");
        double sumModes = 0;
        double sumQuality = 0;
        int minModes = EightGaussians.MODES;
        for (int s = 0; s < seeds; s++) {
            long seed = ctx.seed() + s;
            ToyGan.Run run = ToyGan.train(game, steps, new Rng(seed), ctx.progress(name + " seed " + seed, steps));
            runs.add(run);
            rows.add(List.of(Long.toString(seed), run.coverage().modes() + " of 8",
                    String.format(java.util.Locale.ROOT, "%.1f%%", 100 * run.coverage().highQuality())));
            double[] x = new double[run.modesOverTraining().length];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i + 1.0) * steps / x.length;
                y[i] = run.modesOverTraining()[i];
            }
            modes.series("seed " + seed, x, y);
            sumModes += run.coverage().modes();
            sumQuality += run.coverage().highQuality();
            minModes = Math.min(minModes, run.coverage().modes());
        }
        ctx.table(List.of("seed", "modes covered", "samples within 3 std of a mode"), rows);
        ctx.printf("%s: %.2f modes covered on average, at least %d; %.1f%% high-quality samples%n", name,
                sumModes / seeds, minModes, 100 * sumQuality / seeds);
        String prefix = game == ToyGan.Game.GAN ? "toy" : "wgan";
        modes.save(ctx.outFile(prefix + "-modes.png"));
        saveScatter(ctx, runs.get(0).samples(), name + " samples (seed " + ctx.seed() + ") and real points",
                prefix + "-samples.png");
        result.metric(prefix + "_mean_modes", sumModes / seeds).metric(prefix + "_min_modes", minModes)
                .metric(prefix + "_high_quality", sumQuality / seeds);
        return runs;
    }

    static void saveScatter(ChapterContext ctx, Tensor generated, String title, String file) {
        Tensor real = EightGaussians.sample(new Rng(1), 1_000);
        int n = real.size(0) + generated.size(0);
        double[] x = new double[n];
        double[] y = new double[n];
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            boolean isReal = i < real.size(0);
            Tensor t = isReal ? real : generated;
            int row = isReal ? i : i - real.size(0);
            x[i] = t.get(row, 0);
            y[i] = t.get(row, 1);
            cls[i] = isReal ? 0 : 1;
        }
        new ScatterPlot(title, "x1", "x2").points(x, y, cls).classNames(List.of("real", "generated")).save(ctx.outFile(file));
    }

    private static void digits(ChapterContext ctx, Result result) throws Exception {
        MnistDigits.Data train = MnistDigits.load(ctx, "train", ctx.quick() ? 5_000 : 20_000);
        MnistDigits.Data test = MnistDigits.load(ctx, "t10k", ctx.quick() ? 500 : 2_000);
        int steps = ctx.steps(2_000, 300);
        ctx.section("GAN on MNIST digits, " + steps + " steps of 64");
        Rng rng = ctx.rng();
        DigitGan gan = new DigitGan(false, rng.split());
        Tensor probe = Tensor.randn(new Rng(ctx.seed() + 5), 8, DigitGan.NOISE);
        double[] d = new double[steps];
        double[] g = new double[steps];
        List<Tensor> snapshots = gan.train(train, steps, ctx.floatOption("lr"), rng.split(), probe, new int[8], 6, d, g,
                ctx.progress("digit GAN", steps));
        Tensor samples = gan.sample(new int[1_000], new Rng(ctx.seed() + 3));
        Judged.of(ctx, Judge.get(ctx), samples, test.images()).into(result);
        DigitPictures.save(ctx.outFile("digits-over-training.png"),
                "The same 8 noise vectors after each sixth of training (one row each)", Tensor.cat(snapshots, 0), 8, null);
        DigitPictures.save(ctx.outFile("samples.png"), "60 GAN samples", samples.narrow(0, 0, 60), 10, null);
        ctx.println("pictures: toy-samples.png, toy-modes.png, digits-over-training.png, samples.png in " + ctx.outDir());
    }
}
