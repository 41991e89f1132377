package dev.gradbook.transformer.mixers;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MambaTest {
    @Test
    void scanMatchesTheRecurrenceWrittenAsLoopsInDoubles() {
        Rng rng = new Rng(1);
        int b = 2, t = 5, d = 3, n = 4;
        Tensor x = Tensor.randn(rng, b, t, d);
        Tensor delta = Tensor.uniform(rng, 0.01f, 0.5f, b, t, d);
        Tensor a = Tensor.uniform(rng, -2f, -0.1f, d, n);
        Tensor bm = Tensor.randn(rng, b, t, n);
        Tensor cm = Tensor.randn(rng, b, t, n);
        Tensor y = SelectiveSsm.scan(x, delta, a, bm, cm);
        for (int s = 0; s < b; s++) {
            for (int ch = 0; ch < d; ch++) {
                double[] h = new double[n];
                for (int i = 0; i < t; i++) {
                    double out = 0;
                    for (int j = 0; j < n; j++) {
                        double dt = delta.get(s, i, ch);
                        h[j] = Math.exp(dt * a.get(ch, j)) * h[j] + dt * bm.get(s, i, j) * x.get(s, i, ch);
                        out += h[j] * cm.get(s, i, j);
                    }
                    assertEquals(out, y.get(s, i, ch), 1e-5, "batch " + s + " t " + i + " channel " + ch);
                }
            }
        }
    }

    @Test
    void softplusMatchesItsFormulaAndStaysFiniteForLargeInputs() {
        Tensor z = Tensor.vector(-30f, -1f, 0f, 2f, 100f);
        Tensor s = SelectiveSsm.softplus(z);
        double[] expected = {Math.log1p(Math.exp(-30)), Math.log1p(Math.exp(-1)), Math.log(2), Math.log1p(Math.exp(2)), 100};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], s.get(i), 1e-5);
        }
    }

    @Test
    void blockScanAndTokenByTokenAgree() {
        for (boolean selective : new boolean[] {true, false}) {
            MambaBlock block = new MambaBlock(8, 2, 4, 4, selective, new Rng(2));
            Tensor x = Tensor.randn(new Rng(3), 2, 9, 8);
            assertTrue(block.forward(x).allClose(block.forwardRecurrent(x), 1e-4f, 1e-5f), "selective=" + selective);
        }
    }

    @Test
    void generationStateHasAFixedSize() {
        MambaBlock block = new MambaBlock(8, 2, 4, 4, true, new Rng(2));
        MambaBlock.State s = block.initialState(1);
        for (int i = 0; i < 20; i++) {
            block.step(Tensor.randn(new Rng(i), 1, 1, 8), s);
        }
        assertEquals(16 * 4 + 3 * 16, s.floats());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        MambaBlock block = new MambaBlock(4, 2, 3, 3, true, new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 1, 5, 4).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> block.forward(in[0]), 1e-2, 3e-2, 2e-3, x);
        assertTrue(r.passed(), r.toString());
        Tensor aLog = block.namedParameters().get("ssm.aLog");
        GradCheck.Report ra = GradCheck.check(in -> block.forward(x.detach()), 1e-2, 3e-2, 2e-3, aLog);
        assertTrue(ra.passed(), ra.toString());
    }

    @Test
    void wrongShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MambaBlock(8, 2, 4, 4, true, new Rng(1)).forward(Tensor.zeros(1, 3, 5)));
        assertTrue(e.getMessage().contains("MambaBlock"));
    }
}
