package dev.gradbook.examples.foundations;

import dev.gradbook.core.Rng;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.Histogram;
import dev.gradbook.examples.plot.LineChart;

import java.util.Locale;

/**
 * The inference half of the {@link ProbabilityChapter probability} chapter: a Bayesian
 * posterior, a two-sample t-test and the coverage of confidence intervals, each computed from
 * its formula and checked a second, more direct way (a grid, a permutation test, a simulation).
 */
final class Inference {
    private Inference() {
    }

    /** Beta(2, 2) prior, 40 flips of a coin with p = 0.7: the posterior by conjugacy and on a grid. */
    static void betaBinomial(ChapterContext ctx, Rng rng, Result result) {
        double a = 2;
        double b = 2;
        int n = 40;
        int k = 0;
        for (int i = 0; i < n; i++) {
            k += rng.nextDouble() < 0.7 ? 1 : 0;
        }
        ctx.section("Bayes: a Beta(2, 2) prior on p and " + k + " heads in " + n + " flips");
        double postA = a + k;
        double postB = b + n - k;
        double mean = postA / (postA + postB);
        double low = SpecialFunctions.betaQuantile(0.025, postA, postB);
        double high = SpecialFunctions.betaQuantile(0.975, postA, postB);
        ctx.printf("posterior Beta(%.0f, %.0f): mean %.4f, mode %.4f, 95%% credible interval [%.4f, %.4f]%n",
                postA, postB, mean, (postA - 1) / (postA + postB - 2), low, high);
        ctx.printf("(the maximum-likelihood estimate k/n = %.4f; the prior pulls the mean toward 0.5)%n",
                (double) k / n);

        // the same posterior without conjugacy: prior x likelihood on a fine grid of p, normalised
        int g = 20_000;
        double[] weight = new double[g];
        double total = 0;
        for (int j = 0; j < g; j++) {
            double p = (j + 0.5) / g;
            double logPrior = (a - 1) * Math.log(p) + (b - 1) * Math.log1p(-p);
            double logLikelihood = k * Math.log(p) + (n - k) * Math.log1p(-p);
            weight[j] = Math.exp(logPrior + logLikelihood);
            total += weight[j];
        }
        double gridMean = 0;
        double cumulative = 0;
        double gridLow = Double.NaN;
        double gridHigh = Double.NaN;
        for (int j = 0; j < g; j++) {
            double p = (j + 0.5) / g;
            gridMean += p * weight[j] / total;
            double next = cumulative + weight[j] / total;
            gridLow = Double.isNaN(gridLow) && next >= 0.025 ? p : gridLow;
            gridHigh = Double.isNaN(gridHigh) && next >= 0.975 ? p : gridHigh;
            cumulative = next;
        }
        ctx.printf("on a grid of %,d values of p: mean %.4f, 95%% interval [%.4f, %.4f]%n", g, gridMean, gridLow,
                gridHigh);
        double gap = Math.max(Math.abs(gridMean - mean), Math.max(Math.abs(gridLow - low), Math.abs(gridHigh - high)));
        result.metric("posterior_mean", mean);
        result.metric("credible_low", low);
        result.metric("credible_high", high);
        result.metric("posterior_grid_gap", gap);

        int points = 201;
        double[] ps = new double[points];
        double[] prior = new double[points];
        double[] posterior = new double[points];
        for (int j = 0; j < points; j++) {
            ps[j] = (double) j / (points - 1);
            prior[j] = SpecialFunctions.betaPdf(ps[j], a, b);
            posterior[j] = SpecialFunctions.betaPdf(ps[j], postA, postB);
        }
        new LineChart("Beta-Binomial: prior and posterior of p", "p", "density")
                .series("prior Beta(2, 2)", ps, prior)
                .series(String.format(Locale.ROOT, "posterior Beta(%.0f, %.0f)", postA, postB), ps, posterior)
                .save(ctx.outFile("beta-posterior.png"));
    }

    /** Student's two-sample t-test on two drawn groups, checked against a t table and a permutation test. */
    static void tTest(ChapterContext ctx, Rng rng, Result result) {
        ctx.section("hypothesis test: are two group means equal?");
        ctx.println("the t distribution function from the incomplete beta function, against printed t tables:");
        double[][] table = {{2.0, 10, 0.0734}, {2.228, 10, 0.0500}, {2.086, 20, 0.0500}, {2.576, 1e6, 0.0100}};
        for (double[] row : table) {
            ctx.printf("  P(|T| > %.3f), %7.0f degrees of freedom = %.4f (table %.4f)%n", row[0], row[1],
                    SpecialFunctions.studentTTwoSided(row[0], row[1]), row[2]);
        }
        result.metric("p_t2_df10", SpecialFunctions.studentTTwoSided(2.0, 10));

        int n = 15;
        double[] first = new double[n];
        double[] second = new double[n];
        for (int i = 0; i < n; i++) {
            first[i] = rng.nextGaussian();
            second[i] = 0.8 + rng.nextGaussian();
        }
        double t = pooledT(first, second);
        int df = 2 * n - 2;
        double p = SpecialFunctions.studentTTwoSided(t, df);
        ctx.printf("group 1 ~ N(0, 1), group 2 ~ N(0.8, 1), %d each: means %.3f and %.3f%n", n, mean(first),
                mean(second));
        ctx.printf("t = %.4f with %d degrees of freedom, two-sided p = %.4f%s%n", t, df, p,
                p < 0.05 ? ": reject equal means at the 5% level" : ": cannot reject equal means at the 5% level");

        // permutation test: if the means were equal the labels would not matter, so shuffle them
        int shuffles = ctx.quick() ? 2_000 : 20_000;
        double[] pooled = new double[2 * n];
        System.arraycopy(first, 0, pooled, 0, n);
        System.arraycopy(second, 0, pooled, n, n);
        int asExtreme = 0;
        for (int r = 0; r < shuffles; r++) {
            int[] order = rng.permutation(2 * n);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = pooled[order[i]];
                y[i] = pooled[order[n + i]];
            }
            asExtreme += Math.abs(pooledT(x, y)) >= Math.abs(t) ? 1 : 0;
        }
        double permutationP = (asExtreme + 1.0) / (shuffles + 1.0);
        ctx.printf("permutation test, %,d shuffles of the group labels: p = %.4f%n", shuffles, permutationP);
        result.metric("t_statistic", t);
        result.metric("t_df", df);
        result.metric("t_p_value", p);
        result.metric("permutation_p_value", permutationP);
    }

    /** Student's t with the pooled variance s_p^2 = ((n1-1) s1^2 + (n2-1) s2^2) / (n1 + n2 - 2). */
    static double pooledT(double[] x, double[] y) {
        double pooledVar = ((x.length - 1) * variance(x) + (y.length - 1) * variance(y)) / (x.length + y.length - 2);
        return (mean(x) - mean(y)) / Math.sqrt(pooledVar * (1.0 / x.length + 1.0 / y.length));
    }

    /** How often mean +- c s / sqrt(n) covers the true mean, for c from the t and from the normal. */
    static void coverage(ChapterContext ctx, Rng rng, int trials, Result result) {
        int n = 10;
        double mu = 3;
        double sigma = 2;
        double tCritical = SpecialFunctions.studentTQuantile(0.975, n - 1);
        ctx.section(String.format(Locale.ROOT, "95%% confidence intervals: %,d samples of %d from N(3, 2^2)",
                trials, n));
        int coveredT = 0;
        int coveredZ = 0;
        double[] standardised = new double[trials];
        double[] x = new double[n];
        for (int r = 0; r < trials; r++) {
            for (int i = 0; i < n; i++) {
                x[i] = mu + sigma * rng.nextGaussian();
            }
            double se = Math.sqrt(variance(x) / n);
            standardised[r] = (mean(x) - mu) / se;
            coveredT += Math.abs(standardised[r]) <= tCritical ? 1 : 0;
            coveredZ += Math.abs(standardised[r]) <= 1.96 ? 1 : 0;
        }
        double t = (double) coveredT / trials;
        double z = (double) coveredZ / trials;
        double mcError = Math.sqrt(0.95 * 0.05 / trials);
        ctx.printf("t interval, mean +- %.3f s/sqrt(n): covers mu in %.2f%% of trials (expected 95%% +- %.2f%%)%n",
                tCritical, 100 * t, 100 * 2 * mcError);
        ctx.printf("z interval, mean +- 1.960 s/sqrt(n): covers mu in %.2f%% (too narrow: s is itself estimated)%n",
                100 * z);
        result.metric("t_critical", tCritical);
        result.metric("coverage_t", t);
        result.metric("coverage_z", z);
        new Histogram("(mean - mu) / (s / sqrt(n)) over " + String.format(Locale.ROOT, "%,d", trials) + " samples of "
                + n, "standardised mean").sample("trials", standardised).range(-6, 6).bins(60)
                .density("Student t, " + (n - 1) + " d.f.", v -> SpecialFunctions.studentTPdf(v, n - 1))
                .density("normal N(0, 1)", v -> SpecialFunctions.normalPdf(v, 0, 1))
                .save(ctx.outFile("t-statistics.png"));
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** The unbiased sample variance (divides by n - 1). */
    static double variance(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }
}
