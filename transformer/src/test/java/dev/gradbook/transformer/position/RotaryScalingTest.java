package dev.gradbook.transformer.position;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import dev.gradbook.core.testing.TensorAssert;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RoPE's context extension: position interpolation and the NTK-aware base. */
class RotaryScalingTest {

    @Test
    void scaleOneIsPlainRope() {
        Tensor x = Tensor.randn(new Rng(1), 2, 12, 8);
        TensorAssert.assertBitsEqual(new RotaryEmbedding(8, 16).forward(x, 3),
                new RotaryEmbedding(8, 16, 10000, 1).forward(x, 3));
    }

    @Test
    void interpolatedPositionsRotateByPositionOverScaleTimesFrequency() {
        double s = 2.5;
        double base = 500;
        RotaryEmbedding rope = new RotaryEmbedding(4, 32, base, s);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        for (int m : new int[] {0, 1, 7, 31}) {
            double a1 = m / s;                              // theta_1 = base^0 = 1
            double a2 = m / s * Math.pow(base, -2.0 / 4);   // theta_2 = base^(-2/4)
            TensorAssert.assertValues(rope.forward(x, m), 1e-5,
                    1 * Math.cos(a1) - 2 * Math.sin(a1), 1 * Math.sin(a1) + 2 * Math.cos(a1),
                    3 * Math.cos(a2) - 4 * Math.sin(a2), 3 * Math.sin(a2) + 4 * Math.cos(a2));
        }
    }

    @Test
    void withScaleTwoPosition2mLooksLikePlainPositionM() {
        Tensor x = Tensor.randn(new Rng(2), 3, 1, 8);
        RotaryEmbedding plain = new RotaryEmbedding(8, 64);
        RotaryEmbedding interpolated = new RotaryEmbedding(8, 128, 10000, 2);
        for (int m : new int[] {0, 5, 63}) {
            TensorAssert.assertClose(plain.forward(x, m), interpolated.forward(x, 2 * m), 1e-5);
        }
    }

    @Test
    void ntkAwareBaseSlowsTheSlowestPairByTheScaleAndKeepsTheFastest() {
        int hs = 16;
        double s = 4;
        double b = RotaryEmbedding.ntkAwareBase(10000, s, hs);
        assertEquals(10000 * Math.pow(4, 16.0 / 14), b, 1e-6 * b);
        int slowest = hs / 2 - 1;
        double before = Math.pow(10000, -2.0 * slowest / hs);
        double after = Math.pow(b, -2.0 * slowest / hs);
        assertEquals(before / s, after, 1e-12);
        assertEquals(1.0, Math.pow(b, 0), 0);   // pair 0 turns at theta_0 = 1 whatever the base
        assertEquals(10000, RotaryEmbedding.ntkAwareBase(10000, 1, hs), 1e-9);
    }

    @Test
    void badScalesAndBasesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding(4, 8, 10000, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding(4, 8, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding(4, 8, 10000, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RotaryEmbedding.ntkAwareBase(10000, 2, 2));
    }
}
