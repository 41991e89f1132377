package dev.gradbook.transformer.mixers;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiScaleRetentionTest {
    @Test
    void parallelAndRecurrentFormsGiveTheSameOutputs() {
        MultiScaleRetention msr = new MultiScaleRetention(16, 4, 32, new Rng(3));
        Tensor x = Tensor.randn(new Rng(4), 2, 12, 16);
        Tensor parallel = msr.forward(x);
        Tensor recurrent = msr.forwardRecurrent(x);
        assertTrue(parallel.allClose(recurrent, 1e-4f, 1e-5f), "eq. 5 and eq. 6 disagree");
    }

    @Test
    void decayMaskIsGammaToTheDistanceBelowTheDiagonal() {
        MultiScaleRetention msr = new MultiScaleRetention(8, 2, 8, new Rng(1));
        assertEquals(1 - 1.0 / 32, msr.gamma(0), 1e-7);
        assertEquals(1 - 1.0 / 64, msr.gamma(1), 1e-7);
        Tensor d = msr.decayMask(4);
        assertEquals(Math.pow(1 - 1.0 / 64, 3), d.get(1, 3, 0), 1e-6);
        assertEquals(1.0, d.get(0, 2, 2), 0);
        assertEquals(0.0, d.get(0, 1, 2), 0);
    }

    @Test
    void recurrentStateDoesNotGrowWithLength() {
        MultiScaleRetention msr = new MultiScaleRetention(8, 2, 64, new Rng(1));
        MultiScaleRetention.State s = msr.initialState(1);
        int before = s.floats();
        for (int n = 0; n < 40; n++) {
            msr.step(Tensor.randn(new Rng(n), 1, 1, 8), s);
        }
        assertEquals(before, s.floats());
        assertEquals(2 * 4 * 4, before);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        MultiScaleRetention msr = new MultiScaleRetention(4, 2, 8, new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), 1, 5, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> msr.forward(in[0]), 1e-2, 3e-2, 2e-3, x);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void wrongShapesAreNamed() {
        MultiScaleRetention msr = new MultiScaleRetention(8, 2, 8, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> msr.forward(Tensor.zeros(1, 3, 6)));
        assertTrue(e.getMessage().contains("[1, 3, 6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MultiScaleRetention(6, 2, 8, new Rng(1)));
    }
}
