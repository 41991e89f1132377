package dev.gradbook.examples.classical;

import dev.gradbook.core.Linalg;
import dev.gradbook.core.Tensor;
import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Part;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.ImageGrid;
import dev.gradbook.examples.plot.LineChart;
import dev.gradbook.examples.plot.ScatterPlot;
import dev.gradbook.nn.data.LabeledData;

import java.util.ArrayList;
import java.util.List;

/**
 * <h2>pca: principal components, by the SVD and by the covariance's eigenvectors</h2>
 *
 * <p>Principal component analysis finds the orthonormal directions {@code v_1, v_2, ...} along
 * which centred data vary most: {@code v_1} maximises the variance of the projections
 * {@code X_c v}, {@code v_2} does the same among directions orthogonal to {@code v_1}, and so on.
 * With {@code X_c} the N x D data minus its column means, two factorisations give them:
 * <pre>
 *   covariance    C = X_c^T X_c / (N - 1) = V diag(lambda) V^T      (symmetric eigen)
 *   SVD           X_c = U diag(s) V^T,   so   C = V diag(s^2 / (N - 1)) V^T
 *   explained variance ratio of component i     r_i = lambda_i / sum_j lambda_j = s_i^2 / sum_j s_j^2
 *   projection onto the first k components      Z = X_c V_k = U_k diag(s_1..s_k)
 *   reconstruction error                        ||X_c - X_c V_k V_k^T||_F^2 = sum_{i > k} s_i^2
 * </pre>
 * The SVD route never forms {@code X_c^T X_c}, which squares the condition number and so loses
 * the small components first in float32; both are run here through {@link Linalg} (EJML) and
 * must agree. Sources: Jolliffe, <i>Principal Component Analysis</i> (2nd ed., 2002), chapters
 * 1-3; Bishop, <i>Pattern Recognition and Machine Learning</i>, section 12.1; Eckart and Young
 * (1936) for the reconstruction error being the best possible for rank k.
 *
 * <p>The data are the 1,797 scikit-learn digits: 8x8 images with pixel values 0-16, so D = 64.
 *
 * <h3>What to look for</h3>
 * <ul>
 *   <li>The first ten explained-variance ratios, from the SVD and from the eigendecomposition,
 *       equal to about 1e-6: 0.149, 0.136, 0.118, 0.084, ... (the test checks them against
 *       EJML's double-precision SVD). Ten components keep about 74% of the variance; 21 keep
 *       90%, 29 keep 95%: the 64 pixels are far from independent.</li>
 *   <li>Matching directions: {@code |v_i(svd) . v_i(eig)|} = 1 for the leading components (the
 *       sign of an eigenvector is arbitrary).</li>
 *   <li>The Eckart-Young identity: the squared reconstruction error with 10 components equals
 *       the sum of the discarded {@code s_i^2}.</li>
 *   <li>{@code digits-pca.png}: zeros, fours, sixes and some sevens form separate groups along the
 *       first two components, while the rest overlap in the middle; only about 57% of each
 *       point's 10 nearest neighbours in this plane show the same digit, against about 97% in
 *       the full 64 dimensions. A linear projection to 2-D cannot keep the classes apart (see
 *       {@code tsne}). {@code explained-variance.png}: the cumulative curve.
 *       {@code components.png}: the mean digit and the first principal directions as images.</li>
 * </ul>
 *
 * <h3>Exercises</h3>
 * <ol>
 *   <li>Reconstruct a few digits from k = 2, 5, 10 and 20 components ({@code mean + Z V_k^T})
 *       and put them in an {@link ImageGrid}. From which k can you read them?</li>
 *   <li>Standardise each pixel first (PCA on the correlation matrix). Some pixels are always 0:
 *       what must you do with them, and how do the ratios change?</li>
 *   <li>Compute the covariance in float32 from raw pixels without centring first
 *       ({@code E[x x^T] - m m^T}). Compare the smallest eigenvalues with the SVD's: what was
 *       lost, and why?</li>
 * </ol>
 */
public final class PcaChapter implements Chapter {
    private static final int SHOWN = 10;
    private static final int NEIGHBOURS = 10;

    @Override
    public String id() {
        return "pca";
    }

    @Override
    public Part part() {
        return Part.CLASSICAL_ML;
    }

    @Override
    public String summary() {
        return "principal components of digits8x8 by SVD and by eigen-decomposition: explained variance, 2-D map";
    }

    @Override
    public Result run(ChapterContext ctx) throws Exception {
        LabeledData digits = ClassicalData.read(ctx, "images/digits8x8.csv.gz");
        Tensor x = digits.features();
        int n = x.size(0);
        int d = x.size(1);
        Tensor mean = x.mean(0);
        Tensor xc = x.sub(mean);                                   // (N, D), every column has mean 0
        ctx.printf("%d digits of %d pixels; centred on the mean image%n", n, d);

        ctx.section("two routes to the same components");
        Linalg.Svd svd = Linalg.svd(xc);                           // Xc = U diag(s) V^T
        double[] ratioSvd = ratios(svd.s().square());
        Tensor covariance = xc.t().matmul(xc).div(n - 1);          // (D, D)
        Linalg.Eigen eig = Linalg.eigSymmetric(covariance);         // C = V diag(lambda) V^T
        double[] ratioEig = ratios(eig.values());
        double ratioGap = 0;
        for (int i = 0; i < d; i++) {
            ratioGap = Math.max(ratioGap, Math.abs(ratioSvd[i] - ratioEig[i]));
        }
        double varianceGap = svd.s().square().div(n - 1).sub(eig.values()).abs().max().item();
        ctx.printf("max |s_i^2/(N-1) - lambda_i| = %.2e (largest lambda %.2f)%n", varianceGap, eig.values().get(0));
        ctx.printf("max |ratio(svd) - ratio(eig)| over all %d components = %.2e%n", d, ratioGap);
        StringBuilder cosines = new StringBuilder();
        double worstCosine = 1;
        for (int i = 0; i < SHOWN; i++) {
            double c = Math.abs(svd.vt().select(0, i).matmul(eig.vectors().select(1, i)).item());
            worstCosine = Math.min(worstCosine, c);
            cosines.append(String.format(java.util.Locale.ROOT, " %.5f", c));
        }
        ctx.println("|v_i(svd) . v_i(eig)| for i = 1.." + SHOWN + ":" + cosines);

        ctx.section("explained variance ratio");
        List<List<String>> rows = new ArrayList<>();
        double cumulative = 0;
        for (int i = 0; i < SHOWN; i++) {
            cumulative += ratioSvd[i];
            rows.add(List.of(Integer.toString(i + 1), f(ratioSvd[i]), f(ratioEig[i]), f(cumulative)));
        }
        ctx.table(List.of("component", "ratio (svd)", "ratio (eig)", "cumulative"), rows);
        double[] cumulativeCurve = cumulative(ratioSvd);
        for (double target : new double[] {0.5, 0.8, 0.9, 0.95, 0.99}) {
            ctx.printf("  %2.0f%% of the variance needs %2d components%n", 100 * target,
                    needed(cumulativeCurve, target));
        }
        new LineChart("Explained variance of digits8x8 (64 pixels)", "number of components", "fraction of variance")
                .series("cumulative", asList(cumulativeCurve)).series("per component", asList(ratioSvd))
                .save(ctx.outFile("explained-variance.png"));

        ctx.section("projection and reconstruction");
        Tensor vk = svd.vt().slice(0, 0, SHOWN).t();               // (D, k): the first k directions as columns
        Tensor reconstructed = xc.matmul(vk).matmul(vk.t());        // (N, D)
        double error = reconstructed.sub(xc).square().sum().item();
        double discarded = svd.s().slice(0, SHOWN, d).square().sum().item();
        ctx.printf("||Xc - Xc V_k V_k^T||^2 with k = %d: %.1f; sum of the discarded s_i^2: %.1f (Eckart-Young)%n",
                SHOWN, error, discarded);
        Tensor z = xc.matmul(svd.vt().slice(0, 0, 2).t());          // (N, 2)
        double kept2d = Neighbourhoods.sameLabelFraction(z, digits.labels(), NEIGHBOURS);
        double kept64d = Neighbourhoods.sameLabelFraction(x, digits.labels(), NEIGHBOURS);
        ctx.printf("same digit among the %d nearest neighbours: %.3f in the 2-D projection, %.3f in 64-D%n",
                NEIGHBOURS, kept2d, kept64d);
        new ScatterPlot("digits8x8 on the first two principal components", "PC 1 (" + pct(ratioSvd[0]) + ")",
                "PC 2 (" + pct(ratioSvd[1]) + ")")
                .points(Neighbourhoods.coordinate(z, 0), Neighbourhoods.coordinate(z, 1), digits.labels())
                .classNames(digits.classNames()).save(ctx.outFile("digits-pca.png"));
        ImageGrid grid = new ImageGrid("Mean digit and PCs 1-9", 5).scale(10);
        grid.add(mean.reshape(8, 8), "mean");
        for (int i = 0; i < 9; i++) {
            grid.add(svd.vt().select(0, i).reshape(8, 8), "PC " + (i + 1));
        }
        grid.save(ctx.outFile("components.png"));
        ctx.printf("pictures: explained-variance.png, digits-pca.png, components.png in %s%n", ctx.outDir());

        Result result = new Result();
        for (int i = 0; i < SHOWN; i++) {
            result.metric("explained_ratio_" + (i + 1), ratioSvd[i]);
        }
        return result.metric("ratio_sum_first_" + SHOWN, cumulativeCurve[SHOWN - 1])
                .metric("svd_eig_ratio_gap", ratioGap)
                .metric("worst_direction_cosine", worstCosine)
                .metric("reconstruction_error", error).metric("discarded_variance", discarded)
                .metric("components_for_90_percent", needed(cumulativeCurve, 0.9))
                .metric("neighbours_same_digit_2d", kept2d).metric("neighbours_same_digit_64d", kept64d);
    }

    /** Each value over their sum, in double. */
    static double[] ratios(Tensor variances) {
        float[] v = variances.data();
        double total = 0;
        for (float a : v) {
            total += a;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / total;
        }
        return out;
    }

    private static double[] cumulative(double[] ratios) {
        double[] out = new double[ratios.length];
        double sum = 0;
        for (int i = 0; i < ratios.length; i++) {
            sum += ratios[i];
            out[i] = sum;
        }
        return out;
    }

    /** The smallest k whose cumulative ratio reaches {@code target}. */
    private static int needed(double[] cumulative, double target) {
        for (int k = 0; k < cumulative.length; k++) {
            if (cumulative[k] >= target) {
                return k + 1;
            }
        }
        return cumulative.length;
    }

    private static List<Double> asList(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    private static String f(double v) {
        return String.format(java.util.Locale.ROOT, "%.5f", v);
    }

    private static String pct(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f%% of variance", 100 * v);
    }
}
