package dev.gradbook.nn.conv;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvTranspose2dTest {

    /** The scatter form: y[n, o, i*s-p+u, j*s-p+v] += x[n, c, i, j] W[c, o, u, v], plus b[o]. */
    static Tensor naiveConvTranspose2d(Tensor x, Tensor w, Tensor b, Window2d win) {
        int n = x.size(0), cin = x.size(1), h = x.size(2), wd = x.size(3);
        int cout = w.size(1), kh = w.size(2), kw = w.size(3);
        int outH = (h - 1) * win.strideH() - 2 * win.padH() + kh;
        int outW = (wd - 1) * win.strideW() - 2 * win.padW() + kw;
        double[] y = new double[n * cout * outH * outW];
        for (int bi = 0; bi < n; bi++) {
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < wd; j++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int yy = i * win.strideH() - win.padH() + u;
                                    int xx = j * win.strideW() - win.padW() + v;
                                    if (yy >= 0 && yy < outH && xx >= 0 && xx < outW) {
                                        y[((bi * cout + o) * outH + yy) * outW + xx] += x.get(bi, c, i, j) * w.get(c, o, u, v);
                                    }
                                }
                            }
                        }
                    }
                }
                for (int p = 0; p < outH * outW; p++) {
                    y[(bi * cout + o) * outH * outW + p] += b.get(o);
                }
            }
        }
        float[] f = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            f[i] = (float) y[i];
        }
        return Tensor.wrap(f, n, cout, outH, outW);
    }

    @ParameterizedTest(name = "H={0} k={1} s={2} p={3} -> {4}")
    @CsvSource({"4, 3, 1, 0, 6", "4, 3, 2, 1, 7", "7, 4, 2, 1, 14", "3, 2, 2, 0, 6", "5, 5, 1, 2, 5", "1, 3, 3, 0, 3"})
    void outputShapeIsTheInverseFormula(int h, int k, int s, int p, int out) {
        // Hout = (H - 1) s - 2p + k, by hand for each row
        ConvTranspose2d up = new ConvTranspose2d(2, 3, k, s, p, new Rng(0));
        assertShape(up.forward(Tensor.zeros(1, 2, h, h + 1)), 1, 3, out,
                ConvTranspose2d.outputSize(h + 1, k, s, p));
        assertEquals(out, ConvTranspose2d.outputSize(h, k, s, p));
    }

    @Test
    void isTheAdjointOfConv2dWithTheSameWeights() {
        // <conv(z), x> == <z, convT(x)>: Conv2d(a -> b) and ConvTranspose2d(b -> a) share W (b, a, kh, kw)
        Rng rng = new Rng(7);
        Window2d win = new Window2d(3, 2, 2, 2, 1, 0);
        Conv2d conv = new Conv2d(2, 3, win, false, rng);
        ConvTranspose2d convT = new ConvTranspose2d(3, 2, win, false, rng);
        try (var noGrad = Autograd.noGrad()) {
            convT.weight.copyInPlace(conv.weight);
        }
        Tensor z = Tensor.randn(rng, 2, 2, 7, 6); // (7 + 2 - 3) and (6 - 2) divisible by 2: sizes round-trip
        Tensor convZ = conv.forward(z);
        Tensor x = Tensor.randn(rng, convZ.shape());
        Tensor convTx = convT.forward(x);
        assertShape(convTx, z.shape());
        double left = Im2colTest.dot(convZ, x);
        double right = Im2colTest.dot(z, convTx);
        assertEquals(left, right, 1e-4 * Math.abs(left) + 1e-4);
    }

    @Test
    void matchesTheScatterLoops() {
        Rng rng = new Rng(8);
        for (Window2d win : new Window2d[] {Window2d.square(3, 1, 0), Window2d.square(4, 2, 1), new Window2d(3, 2, 2, 3, 1, 0)}) {
            ConvTranspose2d up = new ConvTranspose2d(3, 2, win, true, rng);
            Tensor x = Tensor.randn(rng, 2, 3, 4, 3);
            assertClose(naiveConvTranspose2d(x, up.weight, up.bias, win), up.forward(x), 1e-5);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(9);
        ConvTranspose2d up = new ConvTranspose2d(2, 3, new Window2d(3, 2, 2, 2, 1, 0), true, rng);
        Tensor x = Tensor.randn(rng, 2, 2, 3, 3).requiresGrad(true);
        assertGradients("ConvTranspose2d s=2 p=(1,0)", in -> up.forward(in[0]), x, up.weight, up.bias);
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        ConvTranspose2d up = new ConvTranspose2d(4, 2, 3, 2, 1, new Rng(0));
        var channels = assertThrows(IllegalArgumentException.class, () -> up.forward(Tensor.zeros(1, 3, 5, 5)));
        assertTrue(channels.getMessage().contains("ConvTranspose2d") && channels.getMessage().contains("[1, 3, 5, 5]"),
                channels.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> up.forward(Tensor.zeros(4, 5, 5)));
        assertTrue(rank.getMessage().contains("[4, 5, 5]"), rank.getMessage());
        ConvTranspose2d overPadded = new ConvTranspose2d(1, 1, 1, 1, 1, new Rng(0));
        var empty = assertThrows(IllegalArgumentException.class, () -> overPadded.forward(Tensor.zeros(1, 1, 1, 1)));
        assertTrue(empty.getMessage().contains("empty output"), empty.getMessage());
    }
}
