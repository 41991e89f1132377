package dev.gradbook.examples.classical;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Datasets;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import dev.gradbook.nn.data.Csv;
import dev.gradbook.nn.data.LabeledData;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcaChapterTest {
    @Test
    void explainedVarianceMatchesAnIndependentDoublePrecisionSvdAndTheIdentitiesHold() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("pca");
        Result r = run.result();
        double[] expected = referenceRatios();
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            double ratio = r.get("explained_ratio_" + (i + 1));
            assertEquals(expected[i], ratio, 1e-4, "explained variance ratio of component " + (i + 1));
            sum += ratio;
        }
        assertTrue(sum <= 1, "ten ratios sum to " + sum);
        assertEquals(sum, r.get("ratio_sum_first_10"), 1e-9);
        // the digits' known profile: PC 1 about 0.149, ten components near 0.74
        assertEquals(0.149, r.get("explained_ratio_1"), 0.002);
        assertEquals(21, r.get("components_for_90_percent"));

        assertTrue(r.get("svd_eig_ratio_gap") < 1e-5, "SVD and eigen ratios differ by " + r.get("svd_eig_ratio_gap"));
        assertTrue(r.get("worst_direction_cosine") > 0.999, "leading directions should match up to sign");
        assertEquals(r.get("discarded_variance"), r.get("reconstruction_error"), 1e-4 * r.get("discarded_variance"),
                "Eckart-Young: the reconstruction error is the discarded variance");
        assertTrue(r.get("neighbours_same_digit_2d") < r.get("neighbours_same_digit_64d") - 0.2,
                "a 2-D linear projection loses much of the class structure");
        for (String png : new String[] {"explained-variance.png", "digits-pca.png", "components.png"}) {
            assertTrue(PlotTest.distinctColours(run.outDir().resolve(png)) > 5, png + " looks blank");
        }
    }

    /** s_i^2 / sum s^2 of the centred digits, by EJML's SVD in double precision, sorted descending. */
    private static double[] referenceRatios() throws Exception {
        LabeledData digits;
        try (InputStream in = Datasets.open(null, "images/digits8x8.csv.gz")) {
            digits = Csv.readLabeled(in, "digits8x8.csv.gz");
        }
        int n = digits.size();
        int d = digits.numFeatures();
        float[] pixels = digits.features().data();
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += pixels[i * d + j];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                x.set(i, j, pixels[i * d + j] - mean);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, false, true);
        assertTrue(svd.decompose(x), "EJML SVD failed");
        double[] s = Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues());
        double total = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = s[i] * s[i];
            total += s[i];
        }
        Arrays.sort(s);
        double[] ratios = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            ratios[i] = s[s.length - 1 - i] / total;
        }
        return ratios;
    }
}
