package dev.gradbook.examples.classical;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelEvaluationChapterTest {
    @Test
    void crossValidationScoresRocAndTheFittingCurve() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("model-evaluation");
        Result r = run.result();

        // fold scores, and their mean and sample standard deviation recomputed here
        double[] folds = new double[5];
        double sum = 0;
        for (int f = 0; f < 5; f++) {
            folds[f] = r.get("fold_" + (f + 1));
            assertTrue(folds[f] >= 0 && folds[f] <= 1, "fold " + (f + 1) + ": " + folds[f]);
            sum += folds[f];
        }
        double mean = sum / 5;
        double squares = 0;
        for (double v : folds) {
            squares += (v - mean) * (v - mean);
        }
        assertEquals(mean, r.get("cv_mean"), 1e-12);
        assertEquals(Math.sqrt(squares / 4), r.get("cv_std"), 1e-12);
        assertTrue(mean > 0.95, "logistic regression cross-validates at ~0.97, got " + mean);

        // F1 is the harmonic mean of the printed precision and recall
        double p = r.get("precision_malignant");
        double rec = r.get("recall_malignant");
        assertEquals(2 * p * rec / (p + rec), r.get("f1_malignant"), 1e-12);
        assertTrue(rec > 0.9, "recall " + rec);

        assertTrue(r.get("auc") > 0.9, "AUC " + r.get("auc"));
        assertEquals(r.get("auc"), r.get("auc_trapezoid"), 1e-9, "rank formula = area under the curve");
        assertTrue(r.get("tree_auc") > 0.5 && r.get("tree_auc") < r.get("auc"));

        // capacity: training error never rises with depth and reaches (near) zero; depth 1 under-fits
        for (int depth = 2; depth <= 8; depth++) {
            assertTrue(r.get("train_error_depth_" + depth) <= r.get("train_error_depth_" + (depth - 1)) + 1e-12,
                    "training error at depth " + depth);
        }
        assertTrue(r.get("train_error_depth_8") < 0.01 && r.get("train_error_depth_1") > 0.05);
        double bestVal = 1;
        for (int depth = 1; depth <= 8; depth++) {
            bestVal = Math.min(bestVal, r.get("val_error_depth_" + depth));
        }
        assertTrue(bestVal < r.get("val_error_depth_1") - 0.02, "a deeper tree validates better than a stump");
        assertTrue(r.get("val_error_depth_8") > r.get("train_error_depth_8") + 0.03, "the deep tree over-fits");

        assertTrue(PlotTest.distinctColours(run.outDir().resolve("roc.png")) > 10);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("fitting.png")) > 10);
    }
}
