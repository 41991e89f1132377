package dev.gradbook.examples.foundations;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.Histogram;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.nn.optim.SGD;
import dev.gradbook.nn.train.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * <h2>probability: distributions, estimation, Bayes, tests and intervals, checked by simulation</h2>
 *
 * <p>Every claim of elementary statistics can be put to the test with a random number
 * generator: draw, compute, compare with the formula.
 * <pre>
 *   moments       E[X] = sum x p(x),  Var X = E[(X - E X)^2],  Cov(X, Y) = E[(X - EX)(Y - EY)],
 *                 corr = Cov / (sd_X sd_Y)
 *   MLE           theta_hat = argmax_theta sum_i log p(x_i | theta); for a Gaussian
 *                 mu_hat = mean(x), sigma_hat^2 = mean((x - mu_hat)^2)  (divides by n, not n - 1)
 *   Bayes         p(theta | data) ~ p(data | theta) p(theta); a Beta(a, b) prior and k heads in n
 *                 flips give the posterior Beta(a + k, b + n - k)  (conjugacy)
 *   t-test        t = (mean_1 - mean_2) / (s_p sqrt(1/n1 + 1/n2)), s_p^2 the pooled variance;
 *                 under H0 (equal means) t ~ Student t with n1 + n2 - 2 degrees of freedom
 *   interval      mean +- t_{0.975, n-1} s / sqrt(n) covers the true mean in 95% of samples
 * </pre>
 * The t and Beta distribution functions come from the regularized incomplete beta function
 * ({@link SpecialFunctions}). Sources: Wasserman, <i>All of Statistics</i>, chapters 3
 * (expectation), 6-9 (estimation, MLE), 10 (tests), 11 (Bayes); Student, "The probable error
 * of a mean", Biometrika 1908; Numerical Recipes, section 6.4.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>Sample means and variances within a few standard errors of the theory (column z).</li>
 *   <li>y = x^2 is completely determined by x, yet their correlation is near 0: correlation
 *       only measures the linear part of a dependence.</li>
 *   <li>The MLE by gradient ascent on the log-likelihood (autograd) lands on the closed form.</li>
 *   <li>The Beta posterior's mean and 95% credible interval, from the formula and from a
 *       brute-force grid over p, agree to four digits.</li>
 *   <li>p(|T| > 2.0) with 10 degrees of freedom is 0.0734, as in printed t tables; the
 *       permutation test gives nearly the same p-value as the t-test without assuming normality.</li>
 *   <li>The t interval covers the true mean in about 95% of trials; the z interval (1.96),
 *       used with only 10 observations, in about 92%. {@code t-statistics.png} shows why: the
 *       standardised means follow Student's t, whose tails are heavier than the normal's.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Raise the sample size of the interval trials to 100. What happens to the gap between
 *       the t and the z interval, and why?</li>
 *   <li>Use a flat prior Beta(1, 1) and then a strong wrong one, Beta(50, 50). How many flips
 *       does the strong prior need before the posterior mean is within 0.05 of 0.7?</li>
 *   <li>Draw the t-test's two groups from exponential distributions with equal means. Is the
 *       t-test's false positive rate at alpha = 0.05 still 5% for n = 5? For n = 50?</li>
 * </ol>
 */
public final class ProbabilityChapter implements Chapter {
    @Override
    public String id() {
        return "probability";
    }

    @Override
    public Part part() {
        return Part.FOUNDATIONS;
    }

    @Override
    public String summary() {
        return "moments, MLE, Beta-Binomial posterior, t-test and 95% intervals, checked by simulation";
    }

    @Override
    public Result run(ChapterContext ctx) {
        Rng rng = ctx.rng();
        Result result = new Result();
        moments(ctx, rng.split(), ctx.quick() ? 20_000 : 200_000, result);
        gaussianMle(ctx, rng.split(), result);
        Inference.betaBinomial(ctx, rng.split(), result);
        Inference.tTest(ctx, rng.split(), result);
        Inference.coverage(ctx, rng.split(), ctx.quick() ? 2_000 : 20_000, result);
        ctx.printf("%npictures: normal-histogram.png, mle-loss.png, beta-posterior.png, t-statistics.png in %s%n",
                ctx.outDir());
        return result;
    }

    private record Distribution(String name, double mean, double variance, DoubleSupplier draw) {
    }

    /** Sample mean and variance of four distributions against their formulas; covariance and correlation. */
    private static void moments(ChapterContext ctx, Rng rng, int n, Result result) {
        ctx.section("sample moments of " + String.format(Locale.ROOT, "%,d", n) + " draws vs theory");
        List<Distribution> distributions = List.of(
                new Distribution("normal(2, 3^2)", 2, 9, () -> 2 + 3 * rng.nextGaussian()),
                // inverse CDF: if U ~ U(0, 1) then -ln(1 - U) / lambda ~ Exp(lambda)
                new Distribution("exponential(0.5)", 2, 4, () -> -Math.log1p(-rng.nextDouble()) / 0.5),
                new Distribution("binomial(10, 0.3)", 3, 2.1, () -> {
                    int heads = 0;
                    for (int i = 0; i < 10; i++) {
                        heads += rng.nextDouble() < 0.3 ? 1 : 0;
                    }
                    return heads;
                }),
                new Distribution("uniform(-1, 3)", 1, 16.0 / 12, () -> -1 + 4 * rng.nextDouble()));
        List<List<String>> rows = new ArrayList<>();
        double worstZ = 0;
        double[] normalSample = null;
        for (Distribution d : distributions) {
            double[] xs = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = d.draw.getAsDouble();
            }
            normalSample = normalSample == null ? xs : normalSample;
            Tensor t = Tensor.fromDoubles(xs);
            double mean = t.mean().item();
            double variance = t.var().item();
            double z = (mean - d.mean) / Math.sqrt(d.variance / n); // in standard errors of the mean
            worstZ = Math.max(worstZ, Math.abs(z));
            rows.add(List.of(d.name, f4(d.mean), f4(mean), f4(d.variance), f4(variance), String.format(Locale.ROOT,
                    "%+.2f", z)));
        }
        ctx.table(List.of("distribution", "E[X]", "sample mean", "Var X", "sample var", "z"), rows);
        ctx.println("z = (sample mean - E[X]) / sqrt(Var X / n): |z| > 3 happens by chance in only 3 runs of 1,000");
        result.metric("moments_worst_z", worstZ);
        double[] sample = normalSample;
        new Histogram("normal(2, 3^2): " + String.format(Locale.ROOT, "%,d", n) + " samples", "x")
                .sample("samples", sample).range(-10, 14).bins(48)
                .density("N(2, 3^2) density", x -> SpecialFunctions.normalPdf(x, 2, 3))
                .save(ctx.outFile("normal-histogram.png"));

        ctx.section("covariance and correlation");
        Tensor x = Tensor.randn(rng, n);
        Tensor y = x.mul(0.8f).add(Tensor.randn(rng, n).mul(0.6f)); // corr(x, y) = 0.8 by construction
        ctx.printf("y = 0.8 x + 0.6 z: cov(x, y) = %.4f (theory 0.8), corr = %.4f (theory 0.8)%n",
                covariance(x, y), correlation(x, y));
        ctx.printf("y = x^2: corr(x, x^2) = %+.4f although y is a function of x (theory 0)%n",
                correlation(x, x.square()));
        result.metric("correlation", correlation(x, y));
    }

    private static double covariance(Tensor x, Tensor y) {
        Tensor dx = x.sub(x.mean());
        Tensor dy = y.sub(y.mean());
        return dx.mul(dy).sum().item() / (x.numel() - 1);
    }

    private static double correlation(Tensor x, Tensor y) {
        return covariance(x, y) / Math.sqrt(covariance(x, x) * covariance(y, y));
    }

    /** The Gaussian MLE in closed form, and by gradient ascent on the mean log-likelihood with autograd. */
    private static void gaussianMle(ChapterContext ctx, Rng rng, Result result) {
        int n = 200;
        ctx.section("maximum likelihood: mu and sigma of " + n + " draws from N(5, 2^2)");
        Tensor data = Tensor.normal(rng, 5f, 2f, n);
        double muHat = data.mean().item();
        double sigmaHat = Math.sqrt(data.sub((float) muHat).square().mean().item());
        // parameters (mu, log sigma): log sigma keeps sigma positive with no constraint to enforce
        Tensor mu = Tensor.scalar(0f).requiresGrad(true);
        Tensor logSigma = Tensor.scalar(0f).requiresGrad(true);
        SGD optimizer = new SGD(Map.of("mu", mu, "log_sigma", logSigma), 0.1f);
        int steps = ctx.steps(1000, 600);
        ProgressReporter progress = ctx.progress("gradient ascent", steps);
        double[] curve = new double[steps];
        for (int s = 1; s <= steps; s++) {
            // log N(x | mu, sigma) = -log sigma - (x - mu)^2 / (2 sigma^2) - log(2 pi) / 2
            Tensor z = data.sub(mu).div(logSigma.exp());
            Tensor logLik = logSigma.neg().sub(z.square().mul(0.5f).mean()).sub((float) (0.5 * Math.log(2 * Math.PI)));
            Tensor loss = logLik.neg(); // ascending the likelihood = descending its negative
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            curve[s - 1] = logLik.item();
            progress.update(s, loss.item());
        }
        progress.finish();
        double sigma = Math.exp(logSigma.item());
        ctx.printf("closed form:      mu = %.5f, sigma = %.5f%n", muHat, sigmaHat);
        ctx.printf("gradient ascent:  mu = %.5f, sigma = %.5f  (%d steps)%n", mu.item(), sigma, steps);
        ctx.printf("the unbiased variance divides by n - 1: sigma = %.5f%n", Math.sqrt(data.var().item()));
        double[] stepsAxis = new double[steps];
        for (int i = 0; i < steps; i++) {
            stepsAxis[i] = i + 1;
        }
        new LineChart("Gaussian MLE by gradient ascent", "step", "mean log-likelihood")
                .series("log-likelihood", stepsAxis, curve).save(ctx.outFile("mle-loss.png"));
        result.metric("mle_mu_difference", Math.abs(mu.item() - muHat));
        result.metric("mle_sigma_difference", Math.abs(sigma - sigmaHat));
    }

    static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
