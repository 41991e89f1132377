package dev.gradbook.transformer.position;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.GradCheckCases;
import dev.gradbook.core.testing.TensorAssert;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionalEncodingTest {

    @Test
    void sinusoidsAtKnownPositions() {
        SinusoidalPositionalEncoding pe = new SinusoidalPositionalEncoding(10, 4);
        // dModel 4: frequencies 1 and 1/100 (10000^(2/4) = 100)
        TensorAssert.assertValues(pe.encoding(1, 0), 1e-7, 0, 1, 0, 1);
        TensorAssert.assertValues(pe.encoding(1, 1), 1e-6, Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01));
        TensorAssert.assertValues(pe.encoding(1, 7), 1e-6, Math.sin(7), Math.cos(7), Math.sin(0.07), Math.cos(0.07));
        assertEquals(0, pe.parameters().size());
        assertEquals(0, pe.stateDict().size());
    }

    @Test
    void sinusoidsAreAddedAtTheRightOffset() {
        SinusoidalPositionalEncoding pe = new SinusoidalPositionalEncoding(10, 4);
        Tensor x = Tensor.zeros(2, 3, 4);
        Tensor y = pe.forward(x, 5);
        TensorAssert.assertClose(pe.encoding(3, 5), y.select(0, 1), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> pe.forward(Tensor.zeros(1, 6, 4), 5));
        assertTrue(e.getMessage().contains("maxLen=10"), e.getMessage());
    }

    @Test
    void learnedPositionsNameTheirLimit() {
        LearnedPositionalEmbedding wpe = new LearnedPositionalEmbedding(8, 3, new Rng(1));
        TensorAssert.assertShape(wpe.forward(5, 3), 5, 3);
        TensorAssert.assertClose(wpe.weight.narrow(0, 3, 5), wpe.forward(5, 3), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> wpe.forward(6, 3));
        assertTrue(e.getMessage().contains("8 learned positions"), e.getMessage());
    }

    /** q · k after rotating q to position m and k to position n. */
    private static double rotatedDot(RotaryEmbedding rope, Tensor q, Tensor k, int m, int n) {
        Tensor rq = rope.forward(q, m);    // (1, d): one position, at offset m
        Tensor rk = rope.forward(k, n);
        double dot = 0;
        for (int i = 0; i < q.numel(); i++) {
            dot += rq.data()[i] * rk.data()[i];
        }
        return dot;
    }

    @Test
    void rotaryScoresDependOnlyOnRelativePosition() {
        RotaryEmbedding rope = new RotaryEmbedding(8, 64);
        Rng rng = new Rng(31);
        Tensor q = Tensor.randn(rng, 1, 8);
        Tensor k = Tensor.randn(rng, 1, 8);
        for (int delta : new int[] {0, 1, 3, 10}) {
            double reference = rotatedDot(rope, q, k, 20 + delta, 20);
            for (int n : new int[] {0, 5, 33, 50}) {
                assertEquals(reference, rotatedDot(rope, q, k, n + delta, n), 1e-4, "m - n = " + delta + ", n = " + n);
            }
        }
        // and it does depend on m - n
        assertTrue(Math.abs(rotatedDot(rope, q, k, 3, 0) - rotatedDot(rope, q, k, 0, 3)) > 1e-3);
    }

    @Test
    void rotaryRotatesEachPairByPositionTimesFrequency() {
        RotaryEmbedding rope = new RotaryEmbedding(4, 16);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        TensorAssert.assertValues(rope.forward(x, 0), 1e-7, 1, 2, 3, 4);    // position 0: no rotation
        int m = 5;
        double a1 = m;              // theta_1 = 1
        double a2 = m / 100.0;      // theta_2 = 10000^(-2/4)
        TensorAssert.assertValues(rope.forward(x, m), 1e-6,
                1 * Math.cos(a1) - 2 * Math.sin(a1), 1 * Math.sin(a1) + 2 * Math.cos(a1),
                3 * Math.cos(a2) - 4 * Math.sin(a2), 3 * Math.sin(a2) + 4 * Math.cos(a2));
    }

    @Test
    void rotaryGradientMatchesFiniteDifferences() {
        RotaryEmbedding rope = new RotaryEmbedding(4, 16);
        Tensor x = Tensor.randn(new Rng(32), 2, 3, 4).requiresGrad(true);
        GradCheckCases.assertGradients("rope", in -> rope.forward(in[0], 2), x);
    }
}
