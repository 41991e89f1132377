package dev.gradbook.examples.classical;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Datasets;
import dev.gradbook.examples.plot.PlotTest;
import dev.gradbook.nn.data.Csv;
import dev.gradbook.nn.data.Splits;
import dev.gradbook.nn.data.Table;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_FDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearRegressionChapterTest {
    @Test
    void normalEquationsAndDescentAgreeWithAnIndependentDoublePrecisionFit() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("linear-regression");

        // the same houses, split and standardisation; X^T X and X^T y summed in double, solved by EJML's Cholesky
        Table ames;
        try (InputStream in = Datasets.open(null, LinearRegressionChapter.DATA)) {
            ames = LinearRegressionChapter.keepOrdinaryHouses(Csv.read(in, LinearRegressionChapter.DATA));
        }
        Splits.Split split = Splits.trainTest(ames.rows(), LinearRegressionChapter.TRAIN_FRACTION, 42);
        int d = LinearRegressionChapter.FEATURES.size();
        double[] price = ames.numeric(LinearRegressionChapter.TARGET);
        int n = split.train().length;
        double[][] x = new double[n][d + 1];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = 1;
            y[i] = Math.log(price[split.train()[i]]);
        }
        for (int j = 0; j < d; j++) {
            double[] column = ames.numeric(LinearRegressionChapter.FEATURES.get(j));
            double mean = 0;
            for (int r : split.train()) {
                mean += column[r] / split.train().length;
            }
            double variance = 0;
            for (int r : split.train()) {
                variance += (column[r] - mean) * (column[r] - mean) / split.train().length;
            }
            for (int i = 0; i < n; i++) {
                x[i][j + 1] = (column[split.train()[i]] - mean) / Math.sqrt(variance);
            }
        }
        FMatrixRMaj gram = new FMatrixRMaj(d + 1, d + 1);
        FMatrixRMaj xty = new FMatrixRMaj(d + 1, 1);
        for (int a = 0; a <= d; a++) {
            double sy = 0;
            for (int i = 0; i < n; i++) {
                sy += x[i][a] * y[i];
            }
            xty.set(a, 0, (float) sy);
            for (int b = 0; b <= d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += x[i][a] * x[i][b];
                }
                gram.set(a, b, (float) s);
            }
        }
        LinearSolverDense<FMatrixRMaj> solver = LinearSolverFactory_FDRM.chol(d + 1);
        assertTrue(solver.setA(gram));
        FMatrixRMaj w = new FMatrixRMaj(d + 1, 1);
        solver.solve(xty, w);

        assertEquals(w.get(0), run.result().get("normal_intercept"), 1e-3);
        for (int j = 0; j < d; j++) {
            String name = LinearRegressionChapter.FEATURES.get(j);
            assertEquals(w.get(j + 1), run.result().get("normal_" + name), 1e-3, name);
        }
        assertTrue(run.result().get("max_coefficient_difference") < 1e-3, "descent reaches the normal equations");
        assertTrue(run.result().get("gradient_check_difference") < 1e-4, "autograd gradient = X^T (Xw - y) / N");
        assertEquals(run.result().get("optimal_cost"), run.result().get("final_cost"), 1e-6);
        double r2 = run.result().get("r2_test");
        assertTrue(r2 > 0.75 && r2 < 0.9, "held-out R^2 " + r2);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("cost.png")) > 10);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("predicted-vs-actual.png")) > 10);
    }
}
