package dev.gradbook.examples.foundations;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.LineChart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * <h2>softmax-and-logs: turning scores into probabilities without overflowing</h2>
 *
 * <p>A classifier outputs real-valued scores (logits) {@code x_1 .. x_K}; softmax turns them into
 * probabilities, and training works with their logarithms:
 * <pre>
 *   softmax(x)_i     = exp(x_i) / sum_j exp(x_j)
 *   logsumexp(x)     = log sum_j exp(x_j) = m + log sum_j exp(x_j - m)    for any m; take m = max_j x_j
 *   log softmax(x)_i = x_i - logsumexp(x)
 * </pre>
 * Softmax does not change when the same constant is added to every logit, and that is the whole
 * trick: with {@code m = max x} the largest exponent is {@code exp(0) = 1}, so nothing
 * overflows, and the sum is at least 1, so nothing divides by zero. Written naively, float32's
 * {@code exp} overflows to infinity above {@code ln(3.4e38) = 88.7} and underflows to 0 below
 * about -103, and {@code inf / inf} or {@code 0 / 0} is NaN. Taking {@code log} of a softmax
 * that has rounded to 0 gives {@code -inf}, which is why losses call log-softmax directly
 * ({@link dev.gradbook.nn.loss.Losses#crossEntropy}). The logarithm rules
 * {@code log(ab) = log a + log b}, {@code log(a^k) = k log a} are what let a likelihood, a product
 * of many small probabilities, become a sum that no computer underflows. Sources: Goodfellow et
 * al., <i>Deep Learning</i>, section 4.1 (overflow and underflow) and 6.2.2.3 (softmax); Blanchard,
 * Higham and Higham, "Accurately computing the log-sum-exp and softmax functions" (IMA J. Numer.
 * Anal. 2021).
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The naive softmax of (1000, 1001, 1002) is NaN in every entry; the stable one is
 *       (0.090, 0.245, 0.665), the same as for (0, 1, 2).</li>
 *   <li>The log-sum-exp identity holds to float rounding for every shift m, and
 *       {@code max x <= logsumexp(x) <= max x + log K}.</li>
 *   <li>At logits (0, -50, -100, -200), log(softmax) gives -inf for the last class and a NaN
 *       gradient; log-softmax gives -200 and the gradient {@code onehot - softmax}.</li>
 *   <li>The product of 1,000 probabilities of 0.01 is 0 even in double; the sum of their logs
 *       is -4605.17. {@code temperature.png} shows softmax(x / T) from nearly one-hot (T small) to
 *       uniform (T large).</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Find the smallest logit gap d for which float32's naive softmax of (0, d) returns exactly
 *       (0, 1). Does the stable version do better?</li>
 *   <li>Derive the gradient of log-softmax, {@code d/dx_j log softmax(x)_i = [i = j] - softmax(x)_j},
 *       and check it against autograd.</li>
 *   <li>Compute {@code log(1 + x)} for x = 1e-10 with {@code Math.log} and {@code Math.log1p}.
 *       Where does the first one lose its digits?</li>
 * </ol>
 */
public final class SoftmaxChapter implements Chapter {
    @Override
    public String id() {
        return "softmax-and-logs";
    }

    @Override
    public Part part() {
        return Part.FOUNDATIONS;
    }

    @Override
    public String summary() {
        return "softmax and log-sum-exp: the naive forms overflow, the stable ones do not";
    }

    @Override
    public Result run(ChapterContext ctx) {
        Result result = new Result();
        ctx.section("softmax: scores to probabilities");
        Tensor small = Tensor.vector(2f, 1f, 0.1f);
        ctx.printf("softmax%s = %s, sum %.6f%n", show(small), show(small.softmax(0)), small.softmax(0).sum().item());
        ctx.printf("softmax of the same logits + 100 = %s: adding a constant changes nothing%n",
                show(small.add(100).softmax(0)));

        ctx.section("the naive formula overflows (float32 exp overflows above ln(3.4e38) = "
                + String.format(Locale.ROOT, "%.2f", Math.log(Float.MAX_VALUE)) + ")");
        Tensor large = Tensor.vector(1000f, 1001f, 1002f);
        Tensor veryNegative = Tensor.vector(-1000f, -1001f, -1002f);
        int naiveBad = 0;
        int stableBad = 0;
        double worstSum = 0;
        double stableVsLibrary = 0;
        for (Tensor x : List.of(large, veryNegative)) {
            Tensor naive = naiveSoftmax(x);
            Tensor stable = stableSoftmax(x);
            naiveBad += nonFinite(naive);
            stableBad += nonFinite(stable);
            worstSum = Math.max(worstSum, Math.abs(stable.sum().item() - 1));
            stableVsLibrary = Math.max(stableVsLibrary, stable.sub(x.softmax(0)).abs().max().item());
            ctx.printf("x = %s: exp(x) = %s%n", show(x), show(x.exp()));
            ctx.printf("    naive  exp(x) / sum exp(x)           = %s%n", show(naive));
            ctx.printf("    stable exp(x - m) / sum exp(x - m)   = %s (sum %.6f)%n", show(stable), stable.sum().item());
        }
        ctx.printf("the library's softmax equals the stable one to %.1e%n", stableVsLibrary);
        result.metric("naive_non_finite", naiveBad);
        result.metric("stable_non_finite", stableBad);
        result.metric("stable_sum_error", worstSum);
        result.metric("stable_vs_library", stableVsLibrary);

        logSumExp(ctx, result);
        logSoftmaxAtExtremes(ctx, result);
        logarithmRules(ctx, result);
        temperature(ctx);
        return result;
    }

    /** exp(x) / sum exp(x), as written on the blackboard. */
    static Tensor naiveSoftmax(Tensor x) {
        Tensor e = x.exp();
        return e.div(e.sum());
    }

    /** exp(x - m) / sum exp(x - m) with m = max(x): the largest term is exp(0) = 1. */
    static Tensor stableSoftmax(Tensor x) {
        Tensor e = x.sub(x.max()).exp();
        return e.div(e.sum());
    }

    private static void logSumExp(ChapterContext ctx, Result result) {
        ctx.section("log-sum-exp: log sum exp(x) = m + log sum exp(x - m) for every m");
        Tensor x = Tensor.randn(new Rng(7), 8).mul(3);
        double exact = 0;
        for (float v : x.data()) {
            exact += Math.exp(v); // fine in double for these small logits: the reference value
        }
        exact = Math.log(exact);
        double worst = 0;
        for (float m : new float[] {0f, x.max().item(), -5f, 10f}) {
            double shifted = m + x.sub(m).exp().sum().log().item();
            worst = Math.max(worst, Math.abs(shifted - exact));
            ctx.printf("  m = %7.3f: %.6f%n", m, shifted);
        }
        double library = x.logsumexp(0, false).item();
        worst = Math.max(worst, Math.abs(library - exact));
        ctx.printf("  library logsumexp %.6f, double-precision reference %.6f%n", library, exact);
        ctx.printf("  max x = %.4f <= logsumexp = %.4f <= max x + log 8 = %.4f%n", x.max().item(), library,
                x.max().item() + Math.log(8));
        Tensor large = x.add(1000);
        ctx.printf("  for x + 1000: naive log(sum(exp)) = %s, stable = %.4f (= %.4f + 1000)%n",
                x.add(1000).exp().sum().log().item(), large.logsumexp(0, false).item(), library);
        result.metric("logsumexp_identity_error", worst);
        result.metric("logsumexp_shifted_error", Math.abs(large.logsumexp(0, false).item() - (library + 1000)));
    }

    private static void logSoftmaxAtExtremes(ChapterContext ctx, Result result) {
        ctx.section("log-softmax vs log(softmax) at logits (0, -50, -100, -200)");
        Tensor x = Tensor.vector(0f, -50f, -100f, -200f).requiresGrad(true);
        Tensor viaSoftmax = x.softmax(0).log();
        Tensor direct = x.logSoftmax(0);
        ctx.printf("log(softmax(x)) = %s%n", show(viaSoftmax));
        ctx.printf("logSoftmax(x)   = %s%n", show(direct));
        viaSoftmax.select(0, 3).neg().backward();
        String gradViaSoftmax = show(x.grad());
        x.zeroGrad();
        direct.select(0, 3).neg().backward();
        ctx.printf("cross-entropy for class 4: %s via log(softmax), %.1f via logSoftmax%n",
                -viaSoftmax.get(3), -direct.get(3));
        ctx.printf("its gradient: %s via log(softmax), %s via logSoftmax (= softmax - onehot)%n",
                gradViaSoftmax, show(x.grad()));
        result.metric("log_of_softmax_last", viaSoftmax.get(3));
        result.metric("log_softmax_last", direct.get(3));
        result.metric("log_softmax_grad_non_finite", nonFinite(x.grad()));
    }

    private static void logarithmRules(ChapterContext ctx, Result result) {
        ctx.section("logarithm rules, checked in double");
        double a = 3.7;
        double b = 0.052;
        double[][] sides = {
            {Math.log(a * b), Math.log(a) + Math.log(b)},
            {Math.log(a / b), Math.log(a) - Math.log(b)},
            {Math.log(Math.pow(a, 7)), 7 * Math.log(a)},
            {Math.log(1024) / Math.log(2), 10},
            {Math.exp(Math.log(a)), a},
            {Math.log(Math.sqrt(b)), 0.5 * Math.log(b)}};
        String[] rules = {"log(ab) = log a + log b", "log(a/b) = log a - log b", "log(a^7) = 7 log a",
            "log_2(1024) = ln 1024 / ln 2 = 10", "exp(log a) = a", "log(sqrt b) = log(b) / 2"};
        List<List<String>> rows = new ArrayList<>();
        double worst = 0;
        for (int i = 0; i < rules.length; i++) {
            double diff = Math.abs(sides[i][0] - sides[i][1]);
            worst = Math.max(worst, diff);
            rows.add(List.of(rules[i], String.format(Locale.ROOT, "%.12f", sides[i][0]),
                    String.format(Locale.ROOT, "%.12f", sides[i][1]), String.format(Locale.ROOT, "%.1e", diff)));
        }
        ctx.table(List.of("rule (a = 3.7, b = 0.052)", "left", "right", "|difference|"), rows);
        double product = 1;
        double logSum = 0;
        for (int i = 0; i < 1000; i++) {
            product *= 0.01;
            logSum += Math.log(0.01);
        }
        ctx.printf("the product of 1,000 probabilities 0.01 is %s in double; the sum of their logs is %.2f%n",
                product, logSum);
        ctx.printf("log(1 + 1e-10): Math.log gives %.10e, Math.log1p gives %.10e%n", Math.log(1 + 1e-10),
                Math.log1p(1e-10));
        result.metric("log_rule_max_error", worst);
    }

    /** softmax(x / T) for temperatures from 0.05 to 20: from nearly one-hot to nearly uniform. */
    private static void temperature(ChapterContext ctx) {
        Tensor x = Tensor.vector(2f, 1f, 0.1f, -1f);
        int points = 61;
        double[] logT = new double[points];
        double[][] p = new double[x.numel()][points];
        for (int i = 0; i < points; i++) {
            logT[i] = -1.3 + 2.6 * i / (points - 1);
            Tensor s = x.div((float) Math.pow(10, logT[i])).softmax(0);
            for (int k = 0; k < x.numel(); k++) {
                p[k][i] = s.get(k);
            }
        }
        LineChart chart = new LineChart("softmax(x / T) for logits x = (2, 1, 0.1, -1)", "log10 temperature T",
                "probability");
        for (int k = 0; k < x.numel(); k++) {
            chart.series("class " + (k + 1) + " (x = " + x.get(k) + ")", logT, p[k]);
        }
        chart.save(ctx.outFile("temperature.png"));
        ctx.printf("%ntemperature.png: softmax(x / T) for T from 0.05 (nearly one-hot) to 20 (nearly uniform)%n");
    }

    private static int nonFinite(Tensor t) {
        int n = 0;
        for (float v : t.data()) {
            n += Float.isFinite(v) ? 0 : 1;
        }
        return n;
    }

    private static String show(Tensor t) {
        String[] parts = new String[t.numel()];
        for (int i = 0; i < parts.length; i++) {
            float v = t.data()[i];
            parts[i] = Float.isFinite(v) && v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)
                    ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.3f", v);
        }
        return "(" + String.join(", ", Arrays.asList(parts)) + ")";
    }
}
