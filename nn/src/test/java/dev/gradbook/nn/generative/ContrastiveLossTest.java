package dev.gradbook.nn.generative;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContrastiveLossTest {
    /** CLIP's loss written out in doubles, from the definition in the class comment. */
    private static double clipInDoubles(Tensor a, Tensor b, double tau) {
        int n = a.size(0);
        int d = a.size(1);
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int k = 0; k < d; k++) {
                    dot += a.get(i, k) * (double) b.get(j, k);
                    na += a.get(i, k) * (double) a.get(i, k);
                    nb += b.get(j, k) * (double) b.get(j, k);
                }
                s[i][j] = dot / Math.sqrt(na * nb) / tau;
            }
        }
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            double colSum = 0;
            for (int j = 0; j < n; j++) {
                rowSum += Math.exp(s[i][j]);
                colSum += Math.exp(s[j][i]);
            }
            loss += -(s[i][i] - Math.log(rowSum)) - (s[i][i] - Math.log(colSum));
        }
        return loss / (2 * n);
    }

    @Test
    void matchesTheFormulaInDoubles() {
        Tensor images = Tensor.randn(new Rng(1), 5, 3);
        Tensor texts = Tensor.randn(new Rng(2), 5, 3);
        assertEquals(clipInDoubles(images, texts, 0.1), ContrastiveLoss.clip(images, texts, 0.1f).item(), 1e-4);
        // with a = b the one-sided loss is InfoNCE of a batch against itself; symmetric, so both sides agree
        assertEquals(ContrastiveLoss.infoNce(images, images, 0.5f).item(), ContrastiveLoss.clip(images, images, 0.5f).item(), 1e-5);
    }

    @Test
    void perfectlyAlignedOrthogonalPairsReachTheLowerBound() {
        // S = I / tau: each row's loss is -log(e^(1/tau) / (e^(1/tau) + (n-1)))
        Tensor e = Tensor.eye(4);
        double expected = -Math.log(Math.exp(10) / (Math.exp(10) + 3));
        assertEquals(expected, ContrastiveLoss.clip(e, e, 0.1f).item(), 1e-5);
    }

    @Test
    void gradientsAgreeWithFiniteDifferences() {
        Tensor images = Tensor.randn(new Rng(3), 4, 3).requiresGrad(true);
        Tensor texts = Tensor.randn(new Rng(4), 4, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> ContrastiveLoss.clip(in[0], in[1], 0.5f).reshape(1), images, texts);
        assertTrue(r.passed(), r.toString());
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLoss.clip(images, Tensor.zeros(3, 3), 1f));
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLoss.clip(images, texts, 0f));
    }
}
