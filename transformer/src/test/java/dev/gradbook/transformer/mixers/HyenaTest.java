package dev.gradbook.transformer.mixers;

import dev.gradbook.core.GradCheck;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyenaTest {
    /** {@code y_t = sum_(k <= t, k < K) h_k u_(t-k)} summed in doubles. */
    private static double[][][] convolutionInDoubles(Tensor u, Tensor h) {
        int b = u.size(0);
        int t = u.size(1);
        int d = u.size(2);
        double[][][] y = new double[b][t][d];
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < t; i++) {
                for (int c = 0; c < d; c++) {
                    for (int k = 0; k <= i && k < h.size(0); k++) {
                        y[s][i][c] += (double) h.get(k, c) * u.get(s, i - k, c);
                    }
                }
            }
        }
        return y;
    }

    @Test
    void bothConvolutionsMatchTheSumInDoubles() {
        Rng rng = new Rng(1);
        int[][] cases = {{2, 7, 3, 7}, {1, 16, 2, 16}, {3, 9, 4, 3}, {1, 1, 2, 1}, {2, 33, 1, 20}};
        for (int[] c : cases) {
            Tensor u = Tensor.randn(rng, c[0], c[1], c[2]);
            Tensor h = Tensor.randn(rng, c[3], c[2]);
            double[][][] want = convolutionInDoubles(u, h);
            Tensor fft = LongConvolution.fft(u, h);
            Tensor direct = LongConvolution.direct(u, h);
            for (int s = 0; s < c[0]; s++) {
                for (int i = 0; i < c[1]; i++) {
                    for (int ch = 0; ch < c[2]; ch++) {
                        String where = java.util.Arrays.toString(c) + " at " + s + "," + i + "," + ch;
                        assertEquals(want[s][i][ch], fft.get(s, i, ch), 2e-5, "fft " + where);
                        assertEquals(want[s][i][ch], direct.get(s, i, ch), 2e-5, "direct " + where);
                    }
                }
            }
        }
    }

    @Test
    void fftGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        for (int k : new int[] {6, 2}) {
            Tensor u = Tensor.randn(rng, 2, 6, 3).requiresGrad(true);
            Tensor h = Tensor.randn(rng, k, 3).requiresGrad(true);
            GradCheck.Report r = GradCheck.check(in -> LongConvolution.fft(in[0], in[1]), u, h);
            assertTrue(r.passed(), "K=" + k + ": " + r);
        }
    }

    @Test
    void fftAndDirectHaveTheSameGradients() {
        Rng rng = new Rng(3);
        Tensor u = Tensor.randn(rng, 2, 20, 4);
        Tensor h = Tensor.randn(rng, 20, 4);
        Tensor w = Tensor.randn(rng, 2, 20, 4);
        Tensor[] viaFft = gradients(u, h, w, true);
        Tensor[] viaDirect = gradients(u, h, w, false);
        assertTrue(viaFft[0].allClose(viaDirect[0], 1e-4f, 1e-4f), "dL/du");
        assertTrue(viaFft[1].allClose(viaDirect[1], 1e-4f, 1e-4f), "dL/dh");
    }

    private static Tensor[] gradients(Tensor u0, Tensor h0, Tensor w, boolean fft) {
        Tensor u = u0.detach().requiresGrad(true);
        Tensor h = h0.detach().requiresGrad(true);
        (fft ? LongConvolution.fft(u, h) : LongConvolution.direct(u, h)).mul(w).sum().backward();
        return new Tensor[] {u.grad(), h.grad()};
    }

    @Test
    void operatorFftAndDirectFormsAgree() {
        HyenaOperator op = new HyenaOperator(8, 2, 64, new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 2, 40, 8);
        Tensor fft = op.forward(x);
        Tensor direct = op.forwardDirect(x);
        assertTrue(fft.allClose(direct, 1e-4f, 1e-5f), "largest difference " + fft.sub(direct).abs().max().item());
    }

    @Test
    void operatorIsCausal() {
        HyenaOperator op = new HyenaOperator(4, 2, 32, new Rng(6));
        Tensor x = Tensor.randn(new Rng(7), 1, 12, 4);
        Tensor changed = x.copy();
        for (int c = 0; c < 4; c++) {
            changed.setInPlace(5f, 0, 7, c);
        }
        Tensor a = op.forward(x);
        Tensor b = op.forward(changed);
        assertTrue(a.narrow(1, 0, 7).allClose(b.narrow(1, 0, 7), 0f, 0f), "outputs before position 7 must not change");
        assertTrue(a.narrow(1, 7, 5).sub(b.narrow(1, 7, 5)).abs().max().item() > 1e-3, "position 7 onwards does");
    }

    @Test
    void operatorGradientsMatchFiniteDifferences() {
        HyenaOperator op = new HyenaOperator(3, 2, 8, new Rng(8));
        Tensor x = Tensor.randn(new Rng(9), 1, 5, 3).requiresGrad(true);
        GradCheck.Report r = GradCheck.check(in -> op.forward(in[0]), 1e-2, 3e-2, 2e-3, x);
        assertTrue(r.passed(), r.toString());
        for (String name : new String[] {"filter.out.weight", "filter.omega1", "skip", "shortFilter"}) {
            Tensor p = op.namedParameters().get(name);
            GradCheck.Report rp = GradCheck.check(in -> op.forward(x.detach()), 1e-2, 3e-2, 2e-3, p);
            assertTrue(rp.passed(), name + ": " + rp);
        }
    }

    @Test
    void implicitFiltersArePrefixesAndTheirSizeDoesNotGrowWithLength() {
        HyenaFilter f = new HyenaFilter(4, 2, 100, 3, 8, 1f, new Rng(10));
        Tensor short5 = f.filters(5);
        Tensor long9 = f.filters(9);
        assertTrue(short5.allClose(long9.narrow(0, 0, 5), 1e-6f, 1e-7f));
        assertEquals(new HyenaFilter(4, 2, 100_000, 3, 8, 1f, new Rng(10)).parameterCount(), f.parameterCount());
        // the encoding at t: [t/L, cos(2 pi t/L), sin(2 pi t/L), cos(4 pi t/L), ...]
        Tensor z = f.positionalEncoding(30);
        assertEquals(25 / 100.0, z.get(25, 0), 1e-7);
        assertEquals(Math.cos(2 * Math.PI * 2 * 0.25), z.get(25, 3), 1e-6);
        assertEquals(Math.sin(2 * Math.PI * 3 * 0.25), z.get(25, 6), 1e-6);
        // window: exp(-α t/L), from α = ln(100)/1.5 on the first channel to ln(100)/0.3 on the last
        Tensor w = f.window(101);
        assertEquals(Math.exp(-Math.log(100) / 1.5), w.get(100, 0), 1e-6);
        assertEquals(Math.exp(-Math.log(100) / 0.3 * 0.5), w.get(50, 7), 1e-6);
    }

    @Test
    void wrongShapesAndLengthsAreNamed() {
        HyenaOperator op = new HyenaOperator(4, 2, 16, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.forward(Tensor.zeros(1, 3, 5)));
        assertTrue(e.getMessage().contains("HyenaOperator"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> op.forward(Tensor.zeros(1, 17, 4)));
        assertTrue(e.getMessage().contains("maxLength=16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LongConvolution.fft(Tensor.zeros(1, 4, 2), Tensor.zeros(5, 2)));
        assertTrue(e.getMessage().contains("K <= T"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LongConvolution.direct(Tensor.zeros(1, 4, 2), Tensor.zeros(3, 3)));
        assertThrows(IllegalArgumentException.class, () -> new HyenaFilter(4, 0, 16, 2, 8, 1f, new Rng(1)));
    }
}
