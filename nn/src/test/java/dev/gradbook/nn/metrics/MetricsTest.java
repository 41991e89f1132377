package dev.gradbook.nn.metrics;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetricsTest {

    @Test
    void accuracyFromLogitsAndFromLabels() {
        Tensor logits = Tensor.of(new float[][] {
            {2, 1, 0},     // predicts 0
            {0, 3, 3},     // a tie: the first largest, 1
            {-1, -2, -0.5f}, // predicts 2
            {5, 0, 0}});   // predicts 0
        assertArrayEquals(new int[] {0, 1, 2, 0}, Metrics.predictions(logits).data());
        assertEquals(0.75, Metrics.accuracy(logits, IntTensor.vector(0, 1, 2, 1)));
        assertEquals(0.5, Metrics.accuracy(new int[] {1, 1, 0, 0}, new int[] {1, 0, 0, 1}));
    }

    @Test
    void confusionMatrixPrecisionRecallF1() {
        int[] labels = {0, 0, 1, 1, 2, 2, 2};
        int[] predicted = {0, 1, 1, 1, 2, 0, 2};
        int[][] cm = Metrics.confusionMatrix(predicted, labels, 3);
        assertArrayEquals(new int[] {1, 1, 0}, cm[0]); // rows: true class, columns: predicted class
        assertArrayEquals(new int[] {0, 2, 0}, cm[1]);
        assertArrayEquals(new int[] {1, 0, 2}, cm[2]);
        // precision: TP over the column sums 2, 3, 2
        assertArrayEquals(new double[] {1 / 2.0, 2 / 3.0, 2 / 2.0}, Metrics.precision(cm), 1e-12);
        // recall: TP over the row sums 2, 2, 3
        assertArrayEquals(new double[] {1 / 2.0, 2 / 2.0, 2 / 3.0}, Metrics.recall(cm), 1e-12);
        // F1 = 2PR / (P + R): 0.5; 2 (2/3)(1) / (5/3) = 0.8; likewise 0.8
        double[] f1 = Metrics.f1(cm);
        assertArrayEquals(new double[] {0.5, 0.8, 0.8}, f1, 1e-12);
        assertEquals(0.7, Metrics.macro(f1), 1e-12);

        // a class never predicted has precision 0 (not NaN), and so F1 0
        int[][] never = Metrics.confusionMatrix(new int[] {0, 0}, new int[] {0, 1}, 2);
        assertArrayEquals(new double[] {0.5, 0}, Metrics.precision(never), 1e-12);
        assertArrayEquals(new double[] {2 / 3.0, 0}, Metrics.f1(never), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Metrics.confusionMatrix(new int[] {3}, new int[] {0}, 3));
    }

    @Test
    void rocAucCountsPairsWithTiesAsHalf() {
        double[] scores = {0.1, 0.4, 0.35, 0.8, 0.4, 0.35};
        int[] labels = {0, 0, 1, 1, 1, 0};
        // positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.35. Over the 9 pairs:
        //   0.35 beats 0.1, loses to 0.4, ties 0.35  -> 1.5
        //   0.8  beats all three                     -> 3
        //   0.4  beats 0.1, ties 0.4, beats 0.35     -> 2.5
        double expected = (1.5 + 3 + 2.5) / 9;
        assertEquals(expected, Metrics.rocAuc(scores, labels), 1e-12);
        assertEquals(expected, Metrics.rocCurve(scores, labels).area(), 1e-12);
        assertEquals(expected, Metrics.rocAuc(Tensor.vector(0.1f, 0.4f, 0.35f, 0.8f, 0.4f, 0.35f),
                IntTensor.vector(0, 0, 1, 1, 1, 0)), 1e-12);
        // a perfect ranking and its reverse
        assertEquals(1.0, Metrics.rocAuc(new double[] {1, 2, 3, 4}, new int[] {0, 0, 1, 1}));
        assertEquals(0.0, Metrics.rocAuc(new double[] {4, 3, 2, 1}, new int[] {0, 0, 1, 1}));
        assertEquals(0.5, Metrics.rocAuc(new double[] {7, 7, 7}, new int[] {0, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new double[] {1, 2}, new int[] {1, 1}));
    }

    @Test
    void rocCurvePoints() {
        // scikit-learn's documentation example: roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        RocCurve roc = Metrics.rocCurve(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1});
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, roc.fpr());
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.tpr());
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1}, roc.thresholds());
        assertEquals(0.75, roc.area(), 1e-12);

        // tied scores cross the threshold together: one diagonal step
        RocCurve tied = Metrics.rocCurve(new double[] {0.5, 0.5, 0.9}, new int[] {0, 1, 1});
        assertArrayEquals(new double[] {0, 0, 1}, tied.fpr());
        assertArrayEquals(new double[] {0, 0.5, 1}, tied.tpr());
    }

    @Test
    void perplexityOfAUniformGuessIsTheVocabularySize() {
        assertEquals(65, Metrics.perplexity(Math.log(65)), 1e-9);
        assertEquals(1, Metrics.perplexity(0));
        assertEquals(1, Metrics.bitsPerToken(Math.log(2)), 1e-12);
    }
}
