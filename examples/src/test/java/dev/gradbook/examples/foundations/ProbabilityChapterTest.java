package dev.gradbook.examples.foundations;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbabilityChapterTest {
    @Test
    void quickRunMatchesTheoryAndIndependentComputations() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("probability");
        Result r = run.result();
        assertTrue(r.get("moments_worst_z") < 4, "sample means within 4 standard errors: " + r.get("moments_worst_z"));
        assertEquals(0.8, r.get("correlation"), 0.03);
        assertTrue(r.get("mle_mu_difference") < 1e-3 && r.get("mle_sigma_difference") < 1e-3,
                "gradient ascent reaches the closed-form MLE");
        assertTrue(r.get("credible_low") < r.get("posterior_mean") && r.get("posterior_mean") < r.get("credible_high"));
        assertTrue(r.get("posterior_grid_gap") < 1e-3, "conjugate formula vs grid posterior");

        // the t-test's p-value, recomputed here by integrating Student's density numerically
        double p = twoSidedByQuadrature(r.get("t_statistic"), r.get("t_df"));
        assertEquals(p, r.get("t_p_value"), 1e-3);
        assertEquals(0.0734, r.get("p_t2_df10"), 1e-4, "t table: P(|T| > 2.0) with 10 d.f.");
        assertEquals(r.get("t_p_value"), r.get("permutation_p_value"), 0.02, "permutation test agrees");

        double coverage = r.get("coverage_t");
        assertTrue(coverage >= 0.92 && coverage <= 0.98, "t interval coverage " + coverage);
        assertTrue(r.get("coverage_z") < coverage, "the z interval is too narrow for n = 10");
        assertEquals(2.2622, r.get("t_critical"), 1e-4);

        for (String png : new String[] {"normal-histogram.png", "mle-loss.png", "beta-posterior.png",
            "t-statistics.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 10, png);
        }
    }

    @Test
    void specialFunctionsMatchKnownValues() {
        assertEquals(Math.log(24), SpecialFunctions.logGamma(5), 1e-12);
        assertEquals(0.5 * Math.log(Math.PI), SpecialFunctions.logGamma(0.5), 1e-12);
        assertEquals(0.5, SpecialFunctions.regularizedBeta(0.5, 3.5, 3.5), 1e-12, "symmetry");
        // I_x(1, b) = 1 - (1 - x)^b and I_x(a, 1) = x^a
        assertEquals(1 - Math.pow(0.7, 4), SpecialFunctions.regularizedBeta(0.3, 1, 4), 1e-12);
        assertEquals(Math.pow(0.3, 2.5), SpecialFunctions.regularizedBeta(0.3, 2.5, 1), 1e-12);
        assertEquals(2.0860, SpecialFunctions.studentTQuantile(0.975, 20), 1e-4);
        assertEquals(0.25, SpecialFunctions.studentTCdf(-1, 1), 1e-12, "Cauchy: P(T <= -1) = 1/4");
        double q = SpecialFunctions.betaQuantile(0.9, 3, 5);
        assertEquals(0.9, SpecialFunctions.regularizedBeta(q, 3, 5), 1e-12);
        assertEquals(twoSidedByQuadrature(1.3, 7), SpecialFunctions.studentTTwoSided(1.3, 7), 1e-9);
    }

    /**
     * P(|T| > t) for nu degrees of freedom by Simpson's rule: with x = sqrt(nu) tan(theta) the
     * density (1 + x^2/nu)^(-(nu+1)/2) dx becomes cos(theta)^(nu-1) dtheta on [0, pi/2), so
     * p = 1 - int_0^atan(|t|/sqrt(nu)) cos^(nu-1) / int_0^(pi/2) cos^(nu-1).
     */
    static double twoSidedByQuadrature(double t, double nu) {
        DoubleUnaryOperator f = theta -> Math.pow(Math.cos(theta), nu - 1);
        return 1 - simpson(f, Math.atan(Math.abs(t) / Math.sqrt(nu))) / simpson(f, Math.PI / 2);
    }

    private static double simpson(DoubleUnaryOperator f, double upper) {
        int n = 20_000;
        double h = upper / n;
        double sum = f.applyAsDouble(0) + f.applyAsDouble(upper);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(i * h);
        }
        return sum * h / 3;
    }
}
