package dev.gradbook.nn.conv;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.gradbook.core.testing.GradCheckCases.assertGradients;
import static dev.gradbook.core.testing.TensorAssert.assertClose;
import static dev.gradbook.core.testing.TensorAssert.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv2dTest {

    /** The definition, with plain loops in double: y[n,o,i,j] = b[o] + sum W[o,c,u,v] x[n,c,i*sh-ph+u, j*sw-pw+v]. */
    static Tensor naiveConv2d(Tensor x, Tensor w, Tensor b, Window2d win) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), kh = w.size(2), kw = w.size(3);
        int outH = (h + 2 * win.padH() - kh) / win.strideH() + 1;
        int outW = (wd + 2 * win.padW() - kw) / win.strideW() + 1;
        Tensor y = Tensor.zeros(n, o, outH, outW);
        for (int bi = 0; bi < n; bi++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double s = b == null ? 0 : b.get(oc);
                        for (int ic = 0; ic < c; ic++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int yy = i * win.strideH() - win.padH() + u;
                                    int xx = j * win.strideW() - win.padW() + v;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                        s += w.get(oc, ic, u, v) * x.get(bi, ic, yy, xx);
                                    }
                                }
                            }
                        }
                        y.setInPlace((float) s, bi, oc, i, j);
                    }
                }
            }
        }
        return y;
    }

    @Test
    void matchesTheDirectLoopsForSeveralGeometries() {
        Rng rng = new Rng(1);
        for (Window2d win : List.of(Window2d.square(3, 1, 0), Window2d.square(3, 1, 1), Window2d.square(3, 2, 1),
                Window2d.square(1, 1, 0), new Window2d(3, 2, 2, 1, 1, 0), Window2d.square(4, 3, 2))) {
            Conv2d conv = new Conv2d(3, 4, win, true, rng);
            Tensor x = Tensor.randn(rng, 2, 3, 7, 6);
            assertClose(naiveConv2d(x, conv.weight, conv.bias, win), conv.forward(x), 1e-5);
        }
    }

    @ParameterizedTest(name = "H={0} W={1} k={2} s={3} p={4} -> {5} x {6}")
    @CsvSource({
            "28, 28, 5, 1, 0, 24, 24",
            "28, 28, 3, 1, 1, 28, 28",
            "28, 28, 3, 2, 1, 14, 14",
            "7, 5, 3, 2, 0, 3, 2",
            "8, 8, 2, 2, 0, 4, 4",
            "5, 9, 5, 3, 2, 2, 3",
            "1, 1, 1, 1, 0, 1, 1"})
    void outputShapeFollowsTheFormula(int h, int w, int k, int s, int p, int outH, int outW) {
        // Hout = floor((H + 2p - k) / s) + 1, worked out by hand for each row
        Conv2d conv = new Conv2d(2, 3, k, s, p, new Rng(0));
        assertShape(conv.forward(Tensor.zeros(1, 2, h, w)), 1, 3, outH, outW);
    }

    @Test
    void gradientsWithStrideTwoPaddingOneAndNonSquareShapes() {
        Rng rng = new Rng(2);
        Conv2d conv = new Conv2d(2, 3, new Window2d(3, 2, 2, 2, 1, 1), true, rng);
        Tensor x = Tensor.randn(rng, 2, 2, 5, 4).requiresGrad(true);
        assertGradients("Conv2d k=(3,2) s=2 p=1", in -> conv.forward(in[0]), x, conv.weight, conv.bias);
    }

    @Test
    void initIsUniformWithinOneOverSqrtFanIn() {
        Conv2d conv = new Conv2d(4, 8, 3, new Rng(5));
        double bound = 1 / Math.sqrt(4 * 3 * 3);
        for (Tensor t : List.of(conv.weight, conv.bias)) {
            float max = 0;
            for (float v : t.data()) {
                assertTrue(Math.abs(v) <= bound, "value " + v + " exceeds " + bound);
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0.7 * bound, "values should fill the range, max was " + max);
        }
    }

    @Test
    void withoutBiasThereIsOnlyAWeight() {
        Conv2d conv = new Conv2d(1, 2, Window2d.square(3, 1, 0), false, new Rng(0));
        assertNull(conv.bias);
        assertEquals(List.of("weight"), List.copyOf(conv.namedParameters().keySet()));
        assertEquals(2 * 9, conv.parameterCount());
    }

    @Test
    void wrongInputsGetErrorsNamingLayerAndShape() {
        Conv2d conv = new Conv2d(3, 4, 3, new Rng(0));
        var rank = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(3, 8, 8)));
        assertTrue(rank.getMessage().contains("Conv2d") && rank.getMessage().contains("[3, 8, 8]"), rank.getMessage());
        var channels = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(1, 1, 8, 8)));
        assertTrue(channels.getMessage().contains("Conv2d") && channels.getMessage().contains("3 input channels")
                && channels.getMessage().contains("[1, 1, 8, 8]"), channels.getMessage());
        var small = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(1, 3, 2, 8)));
        assertTrue(small.getMessage().contains("[1, 3, 2, 8]"), small.getMessage());
    }
}
