package dev.gradbook.examples.generative;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Option;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.neural.StepCurves;
import dev.gradbook.examples.plot.LineChart;

import java.util.List;
import java.util.Locale;

/**
 * <h2>wgan: the Wasserstein GAN and its gradient penalty</h2>
 *
 * <p>The GAN's discriminator outputs a probability; once it separates real from generated
 * perfectly, {@code log(1 - D(G(z)))} is flat and teaches the generator nothing, which is one
 * reason GAN training is fragile. Arjovsky, Chintala and Bottou ("Wasserstein GAN", ICML 2017)
 * replace the game: a <em>critic</em> {@code f} (a score, no sigmoid) estimates the
 * Wasserstein-1 (earth mover's) distance between the real and generated distributions through the
 * Kantorovich-Rubinstein duality (section 3, equation 3),
 * <pre>
 *   W(P_r, P_g) = sup over 1-Lipschitz f of  E_x~P_r[ f(x) ] - E_x~P_g[ f(x) ]
 * </pre>
 * The critic is trained to maximise the difference (several steps per generator step, so that it
 * stays near the supremum), the generator to minimise {@code -E[f(G(z))]}. W is continuous in the
 * generator's parameters even when the two distributions do not overlap, so the generator always
 * gets a gradient, and the critic's value is a loss curve that means something.
 *
 * <p>The critic must stay 1-Lipschitz. Arjovsky clips every weight to [-c, c]; Gulrajani et al.
 * ("Improved Training of Wasserstein GANs", NeurIPS 2017, section 4, equation 3) add instead a
 * penalty {@code lambda * E[(||grad_x f(x_hat)||_2 - 1)^2]} at random points x_hat between real
 * and generated samples. Training that penalty needs the derivative of a derivative; Gradbook's
 * autograd has no double backward, so {@code MlpCritic} writes the critic's input gradient in
 * closed form (exact for a leaky-ReLU MLP) and autograd differentiates that. This chapter uses
 * lambda = 0.1 (the toy's distances are small; the paper's 10 is for images).
 *
 * <p>Both games here use the same networks, batch (256), Adam and number of generator steps
 * on the eight Gaussians of {@code gan}, from the same seeds; the WGAN critic takes 3 steps per
 * generator step, so it costs about four times more.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The side-by-side table: modes covered and high-quality fraction for each seed, and the
 *       fewest modes covered at any checkpoint of the second half of training (a collapse that
 *       recovered would not show at the end). At seed 42 both games ended with all 8 modes in
 *       every seed, so final coverage does not separate them here; stability does: the GAN's
 *       worst late checkpoint covered 4.0 modes on average (2, 8 and 2 by seed), WGAN-GP's 7.7
 *       (8, 8, 7), and WGAN-GP had 46.9% high-quality samples against the GAN's 36.6%.</li>
 *   <li>{@code wgan-critic.png}: the critic's estimate of W falling during training: a loss
 *       that tracks sample quality, which the GAN's discriminator loss does not give.</li>
 *   <li>{@code wgan-samples.png}, {@code wgan-modes.png} beside {@code gan}'s pictures.</li>
 * </ul>
 * Default run: 3 seeds of 1,000 generator steps for each game; about 30 seconds on two cores.
 * {@code --quick}: 2 seeds of 300.
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>{@code --toy-steps 300}: stop both games early. Which one has covered more modes?</li>
 *   <li>{@code --seeds 6}: are the differences between the games larger than those between seeds?</li>
 * </ol>
 */
public final class WganChapter implements Chapter {
    @Override
    public String id() {
        return "wgan";
    }

    @Override
    public Part part() {
        return Part.GENERATIVE;
    }

    @Override
    public String summary() {
        return "Wasserstein GAN with gradient penalty against the plain GAN on eight Gaussians, same networks and seeds";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.positiveInt("seeds", "3", "runs of each game, each from its own seed (--quick: 2)"),
                Option.positiveInt("toy-steps", "1000", "generator steps of each run (--quick: 300)"));
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        int seeds = ctx.quick() ? Math.min(2, ctx.intOption("seeds")) : ctx.intOption("seeds");
        int steps = ctx.quick() ? 300 : ctx.intOption("toy-steps");
        Result result = new Result();
        List<ToyGan.Run> gan = GanChapter.toyExperiment(ctx, ToyGan.Game.GAN, seeds, steps, result);
        List<ToyGan.Run> wgan = GanChapter.toyExperiment(ctx, ToyGan.Game.WGAN_GP, seeds, steps, result);
        compare(ctx, gan, wgan, result);
        criticCurve(ctx, wgan.get(0));
        ctx.println("pictures: toy-samples.png, toy-modes.png, wgan-samples.png, wgan-modes.png, wgan-critic.png in "
                + ctx.outDir());
        return result;
    }

    /** The worst coverage at any checkpoint of the second half of training. */
    static int worstLateModes(ToyGan.Run run) {
        int[] m = run.modesOverTraining();
        int worst = Integer.MAX_VALUE;
        for (int i = m.length / 2; i < m.length; i++) {
            worst = Math.min(worst, m[i]);
        }
        return worst;
    }

    private static void compare(ChapterContext ctx, List<ToyGan.Run> gan, List<ToyGan.Run> wgan, Result result) {
        ctx.section("side by side");
        double[] late = new double[2];
        List<List<String>> rows = new java.util.ArrayList<>();
        for (int s = 0; s < gan.size(); s++) {
            ToyGan.Run g = gan.get(s);
            ToyGan.Run w = wgan.get(s);
            late[0] += worstLateModes(g) / (double) gan.size();
            late[1] += worstLateModes(w) / (double) gan.size();
            rows.add(List.of(Long.toString(ctx.seed() + s),
                    g.coverage().modes() + " / " + w.coverage().modes(),
                    pct(g.coverage().highQuality()) + " / " + pct(w.coverage().highQuality()),
                    worstLateModes(g) + " / " + worstLateModes(w)));
        }
        ctx.table(List.of("seed", "modes (GAN / WGAN-GP)", "high quality (GAN / WGAN-GP)", "fewest modes, 2nd half"), rows);
        double dm = result.get("wgan_mean_modes") - result.get("toy_mean_modes");
        ctx.printf("WGAN-GP minus GAN: %+.2f modes at the end, %+.2f at the worst late checkpoint, %+.1f points of high-quality samples%n",
                dm, late[1] - late[0], 100 * (result.get("wgan_high_quality") - result.get("toy_high_quality")));
        ctx.println(dm > 0 ? "On this run the Wasserstein game covered more modes."
                : dm == 0 ? "On this run both games covered the same number of modes: the toy does not separate them."
                : "On this run the plain GAN covered more modes.");
        result.metric("gan_worst_late_modes", late[0]).metric("wgan_worst_late_modes", late[1]);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static void criticCurve(ChapterContext ctx, ToyGan.Run wgan) {
        double[] v = wgan.criticValues();
        int window = Math.max(1, v.length / 50);
        new LineChart("WGAN-GP critic's estimate of W(real, generated), first seed (mean of " + window + " steps)",
                "generator step", "E f(real) - E f(generated)")
                .series("critic estimate", StepCurves.windowEnds(v.length, window), StepCurves.windowMeans(v, window))
                .save(ctx.outFile("wgan-critic.png"));
    }
}
